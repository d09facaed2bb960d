import Foundation
import Logging
import PledgeStore
import ServiceLifecycle

/// Runs the retention sweep every `interval` (issue 29 §1; C36): what has outlived the period the
/// declaration in force gives it goes, in small batches, one node at a time. The run is audited with
/// its counts by `RetentionSweep`; the log says how many, never what.
public struct RetentionService: Service {
    let sweep: RetentionSweep
    let registry: DeclarationRegistry
    let interval: Duration
    let lease: JobLease?
    let logger: Logger
    let clock: @Sendable () -> Date

    public init(
        sweep: RetentionSweep, registry: DeclarationRegistry, interval: Duration = .seconds(3600), lease: JobLease? = nil, logger: Logger,
        clock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.sweep = sweep
        self.registry = registry
        self.interval = interval
        self.lease = lease
        self.logger = logger
        self.clock = clock
    }

    public func run() async throws {
        await periodically(every: interval) {
            let pass: @Sendable () async throws -> Void = { [sweep, registry, clock, logger] in
                guard let schedule = registry.current?.retention else { return }
                let run = try await sweep.run(schedule, at: clock())
                if run.total > 0 || run.subjectsErased > 0 {
                    logger.info(
                        "retention sweep removed \(run.total) items and erased \(run.subjectsErased) people in \(run.batches) batches, longest \(Int(run.longestBatch * 1000)) ms"
                    )
                }
            }
            await JobLease.run(lease, logger: logger, failing: "retention sweep", pass)
        }
    }
}
