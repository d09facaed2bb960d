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

    /// One pass over what is due; returns how many were sent.
    @discardableResult
    public func deliver(with client: SMTPClient) async -> Int {
        var sent = 0
        do {
            for message in try await outbox.due(at: clock()) {
                do {
                    try await client.send(message.email, at: clock())
                    try await outbox.markSent(message.id, at: clock())
                    sent += 1
                } catch {
                    let reason = (error as? SMTPError)?.summary ?? String(describing: type(of: error))
                    if (error as? SMTPError)?.isPermanent == true || message.attempts + 1 >= Self.maximumAttempts {
                        logger.error(
                            "email given up",
                            metadata: ["message": "\(message.id.lowercasedString)", "attempts": "\(message.attempts + 1)", "reason": "\(reason)"])
                        try await outbox.markAbandoned(message.id, error: reason, at: clock())
                    } else {
                        let delay = min(3600, 10 * pow(2, Double(message.attempts)))
                        logger.notice(
                            "email not sent, retrying",
                            metadata: ["message": "\(message.id.lowercasedString)", "in": "\(Int(delay)) s", "reason": "\(reason)"])
                        try await outbox.markFailed(message.id, error: reason, retryAfter: delay, at: clock())
                    }
                }
            }
        } catch {
            logger.error("outbox unreadable: \(error)")
        }
        return sent
    }
}
