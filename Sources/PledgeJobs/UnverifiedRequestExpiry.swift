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

    public init(cases: CaseRegister, interval: Duration = .seconds(900), logger: Logger, clock: @escaping @Sendable () -> Date = Date.init) {
        self.cases = cases
        self.interval = interval
        self.logger = logger
        self.clock = clock
    }

    public func run() async throws {
        await periodically(every: interval) {
            let now = clock()
            do {
                let expired = try await cases.expireUnverified(receivedBefore: now.addingTimeInterval(-UnverifiedRequest.lifetime), at: now)
                if expired > 0 { logger.info("unconfirmed requests deleted: \(expired)") }
            } catch {
                logger.error("deleting unconfirmed requests failed: \(error)")
            }
        }
    }
}
