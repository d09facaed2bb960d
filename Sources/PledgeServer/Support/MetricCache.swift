import Synchronization

/// Metric objects made once per key and kept: the metrics factory's own look-up builds label arrays
/// on every call, which a per-request metric cannot afford.
final class MetricCache<Key: Hashable & Sendable, Metric: Sendable>: Sendable {
    private let metrics = Mutex<[Key: Metric]>([:])
    private let make: @Sendable (Key) -> Metric

    init(make: @escaping @Sendable (Key) -> Metric) {
        self.make = make
    }

    subscript(key: Key) -> Metric {
        metrics.withLock { metrics in
            if let metric = metrics[key] { return metric }
            let metric = make(key)
            metrics[key] = metric
            return metric
        }
    }
}
