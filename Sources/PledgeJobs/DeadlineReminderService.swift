import Foundation
import Logging
import PledgeCore
import PledgeStore
import ServiceLifecycle

/// Looks for cases nearly due or overdue every `interval` and emails staff once per case and level
/// (issue 5 §2, `CaseReminders`); the emails go through the outbox like every other.
public struct DeadlineReminderService: Service {
    let reminders: CaseReminders
    let registry: DeclarationRegistry
    let consoleURL: String
    let interval: Duration
    let logger: Logger
    let clock: @Sendable () -> Date
    /// One node at a time (issue 27 §3); nil runs on every round.
    let lease: JobLease?

    public init(
        reminders: CaseReminders, registry: DeclarationRegistry, consoleURL: String, interval: Duration = .seconds(900),
        lease: JobLease? = nil, logger: Logger, clock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.lease = lease
        self.reminders = reminders
        self.registry = registry
        self.consoleURL = consoleURL
        self.interval = interval
        self.logger = logger
        self.clock = clock
    }

    public func run() async throws {
        var warned = false
        await periodically(every: interval) {
            guard let current = registry.current else { return }
            if CaseReminders.recipient(in: current.declaration) == nil, !warned {
                logger.warning("The declaration names no DPO or contact email: no deadline reminders are sent.")
                warned = true
            }
            let pass: @Sendable () async throws -> Void = { [reminders, clock, consoleURL, logger] in
                let sent = try await reminders.send(
                    at: clock(), declaration: current.declaration, clock: current.statutoryClock, consoleURL: consoleURL)
                if !sent.isEmpty { logger.info("deadline reminders queued: \(sent.count)") }
            }
            await JobLease.run(lease, logger: logger, failing: "deadline reminders", pass)
        }
    }
}
