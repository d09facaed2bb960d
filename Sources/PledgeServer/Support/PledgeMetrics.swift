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

    /// Page views into `POST /v1/collect`, by outcome: `counted` or the `collect.*` / `request.*`
    /// code. The route is outside the request metrics (it is called on every page of every site).
    static func pageView(_ outcome: String) {
        pageViewCounters[outcome].increment()
    }

    private static let pageViewCounters = MetricCache<String, Prometheus.Counter> { outcome in
        let descriptor = MetricNameDescriptor(
            namespace: "pledge", subsystem: "statistics", metricName: "page_views", unitName: "total",
            helpText: "Page views received by POST /v1/collect, by outcome."
        )
        return registry.makeCounter(descriptor: descriptor, labels: [("outcome", outcome)])
    }

    /// The exposition text.
    static func exposition() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
