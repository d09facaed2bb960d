import Metrics
import Prometheus

/// The process's Prometheus registry. swift-metrics can be bootstrapped once per process, so the
/// registry is shared by every application built in it (tests build several).
public enum PledgeMetrics {
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    /// Declaration publications, by outcome (published, unchanged, rejected).
    static func publication(_ outcome: String) {
        let descriptor = MetricNameDescriptor(
            namespace: "pledge", subsystem: "declaration", metricName: "publications", unitName: "total",
            helpText: "Declaration publications by outcome."
        )
        registry.makeCounter(descriptor: descriptor, labels: [("outcome", outcome)]).increment()
    }

    /// The exposition text.
    static func exposition() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
