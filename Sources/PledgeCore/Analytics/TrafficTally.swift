import Foundation

/// Counts page views as they arrive, per hour and per day, per site and per dimension value: views,
/// visits (a visit ends after 30 minutes without a view) and unique visitors. Visitor keys stay in
/// memory for the current hour and day only, to count uniques; what leaves is counts.
public struct TrafficTally: Sendable {
    /// The bucket granularities kept.
    public enum Granularity: String, Sendable, CaseIterable { case hour, day }

    /// One row of counts: a bucket, a site, a dimension value ("" and "" for the totals).
    public struct Cell: Hashable, Sendable {
        public var granularity: Granularity
        public var bucket: Int64
        public var site: String
        public var dimension: String
        public var value: String

        public init(granularity: Granularity, bucket: Int64, site: String, dimension: String, value: String) {
            self.granularity = granularity
            self.bucket = bucket
            self.site = site
            self.dimension = dimension
            self.value = value
        }
    }

    /// Counts since the last `drain`, and the distinct visitors so far in the bucket.
    public struct Counts: Sendable, Equatable {
        public var views: Int
        public var visits: Int
        public var visitors: Int
        /// Visitor keys first seen in the bucket since the last drain: what several nodes pool to count
        /// each visitor once (issue 27 §4).
        public var newVisitors: [UInt64] = []
    }

    struct Accumulating {
        var views = 0
        var visits = 0
        var visitors: Set<UInt64> = []
        var fresh: [UInt64] = []

        /// One lookup per cell: the dictionary's default subscript mutates in place.
        mutating func add(_ key: UInt64, _ newVisit: Bool) {
            views += 1
            if newVisit { visits += 1 }
            if visitors.insert(key).inserted { fresh.append(key) }
        }
    }

    private var cells: [Cell: Accumulating] = [:]
    private var lastSeen: [UInt64: Int64] = [:]
    /// How long a visit lasts without a new view (the common web analytics convention).
    public static let visitTimeout: Int64 = 30 * 60

    public init() {}

    public static func bucket(_ instant: Date, _ granularity: Granularity) -> Int64 {
        let seconds = Int64(instant.timeIntervalSince1970.rounded(.down))
        let size: Int64 = granularity == .hour ? 3_600 : 86_400
        return seconds - ((seconds % size) + size) % size
    }

    /// Counts one view by the visitor with `key`.
    public mutating func count(_ view: PageView, visitor key: UInt64, at instant: Date) {
        let now = Int64(instant.timeIntervalSince1970)
        let newVisit = lastSeen[key].map { now - $0 > Self.visitTimeout } ?? true
        lastSeen[key] = now
        let dimensions = view.dimensions
        for granularity in Granularity.allCases {
            let bucket = Self.bucket(instant, granularity)
            cells[Cell(granularity: granularity, bucket: bucket, site: view.site, dimension: "", value: ""), default: Accumulating()].add(
                key, newVisit)
            for (dimension, value) in dimensions {
                cells[
                    Cell(granularity: granularity, bucket: bucket, site: view.site, dimension: dimension.rawValue, value: value),
                    default: Accumulating()
                ]
                .add(key, newVisit)
            }
        }
    }

    /// The counts to write: views and visits since the last drain (added to what is stored) and
    /// visitors so far (the stored figure is raised to it). Buckets that have ended are forgotten,
    /// with their visitor keys.
    public mutating func drain(at instant: Date) -> [(Cell, Counts)] {
        var out: [(Cell, Counts)] = []
        for (cell, counts) in cells where counts.views > 0 || counts.visits > 0 {
            out.append((cell, Counts(views: counts.views, visits: counts.visits, visitors: counts.visitors.count, newVisitors: counts.fresh)))
        }
        let hour = Self.bucket(instant, .hour), day = Self.bucket(instant, .day)
        for cell in Array(cells.keys) {
            let current = cell.bucket == (cell.granularity == .hour ? hour : day)
            if current {
                cells[cell]!.views = 0
                cells[cell]!.visits = 0
                cells[cell]!.fresh = []
            } else {
                cells[cell] = nil
            }
        }
        let now = Int64(instant.timeIntervalSince1970)
        lastSeen = lastSeen.filter { now - $0.value <= Self.visitTimeout && $0.value >= day }
        return out
    }

    public var isEmpty: Bool { cells.values.allSatisfy { $0.views == 0 } }
}
