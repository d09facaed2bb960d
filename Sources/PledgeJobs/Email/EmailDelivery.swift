import Foundation
import Logging
import PledgeStore
import ServiceLifecycle

/// Sends what the outbox holds, every second, retrying failures with a growing delay (at most an
/// hour). Without a relay configured, messages wait in the outbox and a warning says so once.
public struct EmailDelivery: Service {
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
        while !Task.isServiceStopping {
            await deliver(with: client)
            try? await Task.sleep(for: .seconds(1))
        }
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
                    let delay = min(3600, 10 * pow(2, Double(message.attempts)))
                    logger.warning("email not sent, retrying in \(Int(delay)) s: \(error)")
                    try await outbox.markFailed(message.id, error: "\(error)", retryAfter: delay, at: clock())
                }
            }
        } catch {
            logger.error("outbox unreadable: \(error)")
        }
        return sent
    }
}
