import ServiceLifecycle

extension Task where Success == Never, Failure == Never {
    /// Whether a service's loop should stop: its group is shutting down gracefully, or its task is
    /// cancelled. A loop that asked only about graceful shutdown spun a core for ever once cancelled,
    /// because `try? await Task.sleep` then returns at once.
    public static var isServiceStopping: Bool { isCancelled || isShuttingDownGracefully }
}
