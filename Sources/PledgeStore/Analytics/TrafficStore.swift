import Foundation
import PledgeCore
import SQLKit

/// Where statistics live: reduced page views (until the declared retention ends) and the roll-ups
/// that reports read. The same SQL on SQLite and PostgreSQL.
public struct TrafficStore: Sendable {
    let database: PledgeDatabase

    public init(database: PledgeDatabase) { self.database = database }

    /// Writes a drained tally and the page views behind it in one transaction.
    /// `pooled`: the counts come from one of several nodes sharing a `VisitorPool` (PostgreSQL), and
    /// each visitor is added only if no node counted them yet; otherwise the stored figure is raised.
    public func write(_ counts: [(TrafficTally.Cell, TrafficTally.Counts)], views: [(Date, PageView)], pooled: Bool = false) async throws {
        guard !counts.isEmpty || !views.isEmpty else { return }
        let postgres = database.isPostgres
        try await Journal.transaction(on: database) { sql in
            try await Self.insert(views, into: sql)
            // On PostgreSQL several nodes may count: a visitor is added only if no node counted them yet (issue 27 §4).
            let pooled = pooled && postgres ? try await VisitorPool.pooled(counts, into: sql) : nil
            try await Self.add(counts, into: sql, postgres: postgres, pooled: pooled)
        }
    }

    static func insert(_ views: [(Date, PageView)], into sql: any SQLDatabase) async throws {
        var insert = RowInsert(
            into: "page_views",
            columns: [
                "at_us", "site", "path", "referrer", "campaign", "source", "medium", "browser", "os", "device", "screen",
            ], rowsPerStatement: RowInsert.rowsPerStatement / 2, capacity: views.count)
        for (at, view) in views {
            insert.append([
                at.microseconds, view.site, view.path, view.referrer, view.campaign, view.source, view.medium,
                view.browser, view.os, view.device, view.screen,
            ])
        }
        try await insert.run(on: sql)
    }

    static func add(
        _ counts: [(TrafficTally.Cell, TrafficTally.Counts)], into sql: any SQLDatabase, postgres: Bool, pooled: [TrafficTally.Cell: Int]? = nil
    ) async throws {
        // Uniques are not additive: alone, the stored figure is raised to the tally's, never summed; pooled
        // across nodes, what no node had counted is added.
        let visitors =
            pooled == nil
            ? "\(postgres ? "GREATEST" : "MAX")(traffic_rollups.visitors, EXCLUDED.visitors)" : "traffic_rollups.visitors + EXCLUDED.visitors"
        // In key order: two writers (nodes, or flushes side by side) that upsert the same rows in
        // different orders deadlock on PostgreSQL (40P01); a tally drains in hash order.
        let counts = counts.sorted {
            ($0.0.granularity.rawValue, $0.0.site, $0.0.bucket, $0.0.dimension, $0.0.value)
                < ($1.0.granularity.rawValue, $1.0.site, $1.0.bucket, $1.0.dimension, $1.0.value)
        }
        var insert = RowInsert(
            into: "traffic_rollups",
            columns: [
                "granularity", "bucket", "site", "dimension", "value", "views", "visits", "visitors",
            ],
            suffix: """
                 ON CONFLICT (granularity, site, bucket, dimension, value) DO UPDATE SET \
                views = traffic_rollups.views + EXCLUDED.views, visits = traffic_rollups.visits + EXCLUDED.visits, \
                visitors = \(visitors)
                """, rowsPerStatement: RowInsert.rowsPerStatement / 2, capacity: counts.count)
        for (cell, count) in counts {
            insert.append([
                cell.granularity.rawValue, cell.bucket, cell.site, cell.dimension, cell.value,
                Int64(count.views), Int64(count.visits), Int64(pooled.map { $0[cell] ?? 0 } ?? count.visitors),
            ])
        }
        try await insert.run(on: sql)
    }

    /// The report for [from, to) at one granularity, for `site` (nil: every site): cells with
    /// fewer than `k` visitors are dropped before summing (C37), each dimension keeps its `top`
    /// values. Three queries that return a few hundred rows whatever the traffic.
    public func report(
        _ granularity: TrafficTally.Granularity, site: String?, from: Int64, to: Int64, k: Int, top: Int = 10
    ) async throws -> TrafficReport {
        let scope: SQLQueryString =
            "granularity = \(bind: granularity.rawValue) AND bucket >= \(bind: from) AND bucket < \(bind: to)"
            + (site.map { " AND site = \(bind: $0)" as SQLQueryString } ?? "")
        let sql = database.sql
        var totals: [Int64: TrafficRow?] = [:]
        for row in try await sql.raw(
            """
            SELECT bucket, CAST(SUM(CASE WHEN visitors >= \(bind: k) THEN views ELSE 0 END) AS BIGINT) AS views,
                   CAST(SUM(CASE WHEN visitors >= \(bind: k) THEN visits ELSE 0 END) AS BIGINT) AS visits,
                   CAST(SUM(CASE WHEN visitors >= \(bind: k) THEN visitors ELSE 0 END) AS BIGINT) AS visitors,
                   CAST(SUM(CASE WHEN visitors >= \(bind: k) THEN 1 ELSE 0 END) AS BIGINT) AS shown
            FROM traffic_rollups WHERE \(scope) AND dimension = '' GROUP BY bucket
            """
        ).all() {
            let bucket = try row.decode(column: "bucket", as: Int64.self)
            totals[bucket] =
                try row.decode(column: "shown", as: Int64.self) == 0 ? .some(nil) : try Self.counts(row, bucket: bucket, dimension: "", value: "")
        }
        let breakdowns = try await sql.raw(
            """
            SELECT dimension, value, views, visits, visitors FROM (
              SELECT dimension, value, CAST(SUM(views) AS BIGINT) AS views, CAST(SUM(visits) AS BIGINT) AS visits,
                     CAST(SUM(visitors) AS BIGINT) AS visitors,
                     ROW_NUMBER() OVER (PARTITION BY dimension ORDER BY SUM(views) DESC, value) AS position
              FROM traffic_rollups WHERE \(scope) AND dimension <> '' AND visitors >= \(bind: k)
              GROUP BY dimension, value
            ) ranked WHERE position <= \(bind: top) ORDER BY dimension, position
            """
        ).all().map { row in
            try Self.counts(
                row, bucket: 0, dimension: try row.decode(column: "dimension", as: String.self),
                value: try row.decode(column: "value", as: String.self))
        }
        let suppressed =
            try await sql.raw("SELECT COUNT(*) AS n FROM traffic_rollups WHERE \(scope) AND visitors < \(bind: k)").first()?
            .decode(column: "n", as: Int64.self) ?? 0
        return TrafficReport(
            totals: totals, buckets: Array(stride(from: from, to: to, by: granularity == .hour ? 3_600 : 86_400)),
            breakdowns: breakdowns, suppressed: Int(suppressed), k: k)
    }

    private static func counts(_ row: any SQLRow, bucket: Int64, dimension: String, value: String) throws -> TrafficRow {
        TrafficRow(
            bucket: bucket, dimension: dimension, value: value, views: Int(try row.decode(column: "views", as: Int64.self)),
            visits: Int(try row.decode(column: "visits", as: Int64.self)), visitors: Int(try row.decode(column: "visitors", as: Int64.self)))
    }

    /// The sites that have any counts.
    public func sites() async throws -> [String] {
        // Every count is written at both granularities; the daily rows are a few per site and day,
        // where the hourly ones are most of the table.
        try await database.sql.select().distinct().column("site").from("traffic_rollups")
            .where("granularity", .equal, TrafficTally.Granularity.day.rawValue).orderBy("site").all()
            .map { try $0.decode(column: "site", as: String.self) }
    }

    /// Deletes page views recorded before `cutoff` (the roll-ups keep their counts); returns how many.
    @discardableResult
    public func deleteViews(before cutoff: Date) async throws -> Int {
        let old =
            try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("page_views")
            .where("at_us", .lessThan, cutoff.microseconds).first()?.decode(column: "n", as: Int64.self) ?? 0
        guard old > 0 else { return 0 }
        try await database.sql.delete(from: "page_views").where("at_us", .lessThan, cutoff.microseconds).run()
        return Int(old)
    }

    /// How many page views are stored.
    public func viewCount() async throws -> Int {
        Int(
            try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("page_views").first()?
                .decode(column: "n", as: Int64.self) ?? 0)
    }
}
