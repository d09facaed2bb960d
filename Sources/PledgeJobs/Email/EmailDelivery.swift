import Foundation
import Logging
import PledgeStore
import ServiceLifecycle

/// Sends what the outbox holds, every second, retrying failures with a growing delay (at most an
/// hour) up to `maximumAttempts`; a permanent refusal (5xx, or no address) is not retried. Logs and
/// the outbox name the message and the step that failed, never the address (issue 24 finding 8).
/// Without a relay configured, messages wait in the outbox and a warning says so once.
public struct EmailDelivery: Service {
    /// Attempts before a message is given up: with the growing delay, about a day of trying.
    public static let maximumAttempts = 30

    let outbox: Outbox
    let client: SMTPClient?
    let logger: Logger
    let clock: @Sendable () -> Date

    public init(outbox: Outbox, client: SMTPClient?, logger: Logger, clock: @escaping @Sendable () -> Date = Date.init) {
        self.outbox = outbox
        self.client = client
        self.logger = logger
        self.clock = clock
    }

    public func run() async throws {
        guard let client else {
            logger.warning("No SMTP relay is configured (--smtp-url): verification links and notices wait in the outbox.")
            try? await gracefulShutdown()
            return
        }
        await periodically(every: .seconds(1)) { await deliver(with: client) }
    }

    /// How long to wait before trying a message again after `error` on its attempt number
    /// `attempts` (from 0): doubling from 10 s to an hour; nil when it is given up (a permanent
    /// refusal, or `maximumAttempts` reached). Campaign messages retry by the same rule.
    public static func retryDelay(after error: any Error, attempts: Int) -> TimeInterval? {
        guard (error as? SMTPError)?.isPermanent != true, attempts + 1 < maximumAttempts else { return nil }
        return min(3600, 10 * pow(2, Double(attempts)))
    }

    /// What a failed attempt is recorded and logged with: the relay's step, never the address.
    public static func reason(_ error: any Error) -> String {
        (error as? SMTPError)?.summary ?? String(describing: type(of: error))
    }

    /// Passes over what is due until a pass takes less than a full batch; returns how many were sent.
    @discardableResult
    public func deliver(with client: SMTPClient) async -> Int {
        var sent = 0
        while let pass = await deliverBatch(with: client) {
            sent += pass.sent
            guard pass.taken == Outbox.batch, !Task.isCancelled else { break }
        }
        return sent
    }

    /// One batch: how many messages it took and how many of them went; nil when the outbox is unreadable.
    private func deliverBatch(with client: SMTPClient) async -> (taken: Int, sent: Int)? {
        var sent = 0
        do {
            let due = try await outbox.due(at: clock())
            for message in due {
                do {
                    try await client.send(message.email, id: message.id, at: clock())
                    try await outbox.markSent(message.id, at: clock())
                    sent += 1
                } catch {
                    let reason = Self.reason(error)
                    guard let delay = Self.retryDelay(after: error, attempts: message.attempts) else {
                        logger.error(
                            "email given up",
                            metadata: ["message": "\(message.id.lowercasedString)", "attempts": "\(message.attempts + 1)", "reason": "\(reason)"])
                        try await outbox.markAbandoned(message.id, error: reason, at: clock())
                        continue
                    }
                    logger.notice(
                        "email not sent, retrying",
                        metadata: ["message": "\(message.id.lowercasedString)", "in": "\(Int(delay)) s", "reason": "\(reason)"])
                    try await outbox.markFailed(message.id, error: reason, retryAfter: delay, at: clock())
                }
            }
            return (due.count, sent)
        } catch {
            logger.error("outbox unreadable: \(error)")
            return nil
        }
    }
}
