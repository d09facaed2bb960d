import Foundation
import Logging
import PledgeCore
import PledgeStore
import ServiceLifecycle

/// Deletes, every `interval`, the privacy centre's requests nobody confirmed within
/// `UnverifiedRequest.lifetime` (issue 24 finding 5), so a flood of requests typed with other
/// people's addresses neither stays in the queue nor keeps those addresses.
public struct UnverifiedRequestExpiry: Service {
    let cases: CaseRegister
    let interval: Duration
    let logger: Logger
    let clock: @Sendable () -> Date
    /// One node at a time (issue 27 §3); nil runs on every round.
    let lease: JobLease?

    public init(
        cases: CaseRegister, interval: Duration = .seconds(900), lease: JobLease? = nil, logger: Logger,
        clock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.lease = lease
        self.cases = cases
        self.interval = interval
        self.logger = logger
        self.clock = clock
    }

    public func run() async throws {
        await periodically(every: interval) {
            let pass: @Sendable () async throws -> Void = { [cases, clock, logger] in
                let now = clock()
                let expired = try await cases.expireUnverified(receivedBefore: now.addingTimeInterval(-UnverifiedRequest.lifetime), at: now)
                if expired > 0 { logger.info("unconfirmed requests deleted: \(expired)") }
            }
            await JobLease.run(lease, logger: logger, failing: "deleting unconfirmed requests", pass)
        }
    }
}
