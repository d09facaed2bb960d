import Logging
import PledgeStore
import ServiceLifecycle

/// Runs `work` now and then every `interval` until the service is stopping (cancelled or shutting
/// down gracefully); a long sleep does not hold up a graceful shutdown.
func periodically(every interval: Duration, _ work: () async -> Void) async {
    while !Task.isServiceStopping {
        await work()
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
    }
}

extension JobLease {
    /// Runs `pass` when this job is free on every node (or at once without a lease), and logs, as
    /// `failing`, a pass that fails: the next round tries again.
    static func run(_ lease: JobLease?, logger: Logger, failing: String, _ pass: @escaping @Sendable () async throws -> Void) async {
        do {
            if let lease { try await lease.ifFree(pass) } else { try await pass() }
        } catch {
            logger.error("\(failing) failed: \(error)")
        }
    }
}
