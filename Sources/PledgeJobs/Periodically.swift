import ServiceLifecycle

/// Runs `work` now and then every `interval` until the service is stopping (cancelled or shutting
/// down gracefully); a long sleep does not hold up a graceful shutdown.
func periodically(every interval: Duration, _ work: () async -> Void) async {
    while !Task.isServiceStopping {
        await work()
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
    }
}
