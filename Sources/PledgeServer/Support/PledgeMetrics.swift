import Metrics
import PledgeCore
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

    /// Reviews past or near their date (issue 29 §6), by kind (security, lia, contract) and standing
    /// (overdue, due_soon, not_recorded): counts only, set from the declaration in force at each scrape.
    static func reviews(_ items: [ReviewItem]) {
        let descriptor = MetricNameDescriptor(
            namespace: "pledge", subsystem: "reviews", metricName: "attention", unitName: nil,
            helpText: "Security reviews, LIAs and processor contracts past or within 30 days of their date, or with none recorded."
        )
        for kind in ReviewItem.Kind.allCases {
            for standing in ReviewItem.Standing.allCases {
                let count = items.filter { $0.kind == kind && $0.standing == standing }.count
                registry.makeGauge(descriptor: descriptor, labels: [("kind", kind.rawValue), ("standing", standing.rawValue)]).set(Double(count))
            }
        }
    }

    /// The exposition text.
    static func exposition() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
