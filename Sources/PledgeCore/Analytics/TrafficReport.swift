import Foundation

/// One stored row of counts (see `TrafficTally.Cell`).
public struct TrafficRow: Sendable, Equatable {
    public var bucket: Int64
    public var dimension: String
    public var value: String
    public var views: Int
    public var visits: Int
    public var visitors: Int

    public init(bucket: Int64, dimension: String, value: String, views: Int, visits: Int, visitors: Int) {
        self.bucket = bucket
        self.dimension = dimension
        self.value = value
        self.views = views
        self.visits = visits
        self.visitors = visitors
    }
}

/// What a statistics report shows, built from roll-up rows (never raw events), with every cell
/// of fewer than k visitors suppressed before anything is added up, so no figure rests on a
/// group small enough to single someone out (C37; ICO anonymisation guidance, UK GDPR Recital 26).
/// The summing happens in the database (`TrafficStore.report`), so a report reads a few rows.
public struct TrafficReport: Sendable, Equatable {
    /// A point of the time series; nil counts mean suppressed.
    public struct Point: Sendable, Equatable {
        public var bucket: Int64
        public var views: Int?
        public var visits: Int?
        public var visitors: Int?
    }

    /// One value of a breakdown, summed over the period. `visitors` is visitor-days: the sum of
    /// each bucket's unique visitors (uniques are not additive across days).
    public struct Entry: Sendable, Equatable {
        public var value: String
        public var views: Int
        public var visits: Int
        public var visitors: Int
    }

    public var k: Int
    public var series: [Point]
    public var views: Int
    public var visits: Int
    public var visitors: Int
    public var breakdowns: [PageView.Dimension: [Entry]]
    /// How many cells were left out because they had fewer than k visitors.
    public var suppressed: Int

    /// Assembles a report from what the store summed. The store applies the rule: a cell (one
    /// bucket, site and value) with fewer than k visitors is left out before anything is added up.
    /// - Parameters:
    ///   - totals: per bucket, the summed counts of the shown total cells, or nil where every total
    ///     cell of that bucket was suppressed; a bucket absent from it had no views.
    ///   - buckets: every bucket of the period, so empty ones show as zero.
    ///   - breakdowns: the top values of each dimension, summed over the period.
    public init(totals: [Int64: TrafficRow?], buckets: [Int64], breakdowns: [TrafficRow], suppressed: Int, k: Int) {
        self.k = k
        series = buckets.map { bucket in
            switch totals[bucket] {
            case .none: Point(bucket: bucket, views: 0, visits: 0, visitors: 0)
            case .some(.none): Point(bucket: bucket, views: nil, visits: nil, visitors: nil)
            case .some(.some(let row)): Point(bucket: bucket, views: row.views, visits: row.visits, visitors: row.visitors)
            }
        }
        let shown = totals.values.compactMap { $0 }
        views = shown.reduce(0) { $0 + $1.views }
        visits = shown.reduce(0) { $0 + $1.visits }
        visitors = shown.reduce(0) { $0 + $1.visitors }
        var grouped: [PageView.Dimension: [Entry]] = [:]
        for row in breakdowns {
            guard let dimension = PageView.Dimension(rawValue: row.dimension) else { continue }
            grouped[dimension, default: []].append(Entry(value: row.value, views: row.views, visits: row.visits, visitors: row.visitors))
        }
        self.breakdowns = grouped
        self.suppressed = suppressed
    }
}
