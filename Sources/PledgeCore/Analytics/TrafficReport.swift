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

    /// - Parameters:
    ///   - rows: roll-up rows of one granularity; totals have an empty dimension.
    ///   - buckets: every bucket of the period, so empty ones show as zero.
    ///   - top: how many values each breakdown keeps, most viewed first.
    public init(rows: [TrafficRow], buckets: [Int64], k: Int, top: Int = 10) {
        self.k = k
        var suppressed = 0
        var totals: [Int64: TrafficRow] = [:]
        var sums: [PageView.Dimension: [String: Entry]] = [:]
        for row in rows {
            guard row.visitors >= k else { suppressed += 1; continue }
            if row.dimension.isEmpty {
                totals[row.bucket] = row
            } else if let dimension = PageView.Dimension(rawValue: row.dimension) {
                sums[dimension, default: [:]][row.value, default: Entry(value: row.value, views: 0, visits: 0, visitors: 0)].add(row)
            }
        }
        // An empty bucket is zero, not suppressed: no one is singled out by nobody.
        let empty = Set(buckets).subtracting(rows.filter { $0.dimension.isEmpty }.map(\.bucket))
        series = buckets.map { bucket in
            if let row = totals[bucket] { return Point(bucket: bucket, views: row.views, visits: row.visits, visitors: row.visitors) }
            return empty.contains(bucket) ? Point(bucket: bucket, views: 0, visits: 0, visitors: 0) : Point(bucket: bucket, views: nil, visits: nil, visitors: nil)
        }
        views = totals.values.reduce(0) { $0 + $1.views }
        visits = totals.values.reduce(0) { $0 + $1.visits }
        visitors = totals.values.reduce(0) { $0 + $1.visitors }
        breakdowns = sums.mapValues { entries in
            Array(entries.values.sorted { ($0.views, $1.value) > ($1.views, $0.value) }.prefix(top))
        }
        self.suppressed = suppressed
    }
}

extension TrafficReport.Entry {
    mutating func add(_ row: TrafficRow) {
        views += row.views
        visits += row.visits
        visitors += row.visitors
    }
}
