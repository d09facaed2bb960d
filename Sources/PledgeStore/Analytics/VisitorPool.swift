import Crypto
import Foundation
import PledgeCore
import SQLKit

/// How several nodes on one PostgreSQL count a visitor once (issue 27 §4): they share the day's salt,
/// made by whichever node asks first and wrapped by the master key, and pool the visitor keys each
/// bucket has counted, so a visitor seen by two nodes is one visitor. Yesterday's salt and the keys of
/// closed buckets are deleted (C12: nothing links two days; PECR reg 6, UK GDPR Recital 26).
public struct VisitorPool: Sendable {
    let database: PledgeDatabase
    let master: MasterKey

    public init(database: PledgeDatabase, master: MasterKey) {
        self.database = database
        self.master = master
    }

    /// The salts of the day of `instant` and the next (so every node has tomorrow's before midnight),
    /// made if missing; older ones are deleted.
    func salts(at instant: Date) async throws -> [Int: DailyVisitorKey.Salted] {
        let today = DailyVisitorKey.day(of: instant)
        let sql = database.sql
        for day in [today, today + 1] {
            let wrapped = try master.wrap(SymmetricKey(size: .bits256), context: "visitor-salt:\(day)")
            try await sql.raw("INSERT INTO visitor_salts (day, wrapped) VALUES (\(bind: Int64(day)), \(bind: wrapped)) ON CONFLICT (day) DO NOTHING")
                .run()
        }
        try await sql.raw("DELETE FROM visitor_salts WHERE day < \(bind: Int64(today))").run()
        var salts: [Int: DailyVisitorKey.Salted] = [:]
        for row in try await sql.raw("SELECT day, wrapped FROM visitor_salts WHERE day >= \(bind: Int64(today))").all() {
            let day = Int(try row.decode(column: "day", as: Int64.self))
            let key = try master.unwrap(try row.decode(column: "wrapped", as: Data.self), context: "visitor-salt:\(day)")
            salts[day] = DailyVisitorKey.Salted(key: key)
        }
        return salts
    }

    /// Adds the keys new to each cell to the pool and returns, per cell, how many no node had counted yet.
    static func pooled(_ counts: [(TrafficTally.Cell, TrafficTally.Counts)], into sql: any SQLDatabase) async throws -> [TrafficTally.Cell: Int] {
        var rows: [(TrafficTally.Cell, UInt64)] = []
        for (cell, count) in counts { rows += count.newVisitors.map { (cell, $0) } }
        guard !rows.isEmpty else { return [:] }
        // In key order, as the roll-ups: two nodes inserting the same keys in different orders could deadlock.
        rows.sort {
            ($0.0.granularity.rawValue, $0.0.bucket, $0.0.site, $0.0.dimension, $0.0.value, $0.1) < (
                $1.0.granularity.rawValue, $1.0.bucket, $1.0.site, $1.0.dimension, $1.0.value, $1.1
            )
        }
        let inserted = try await sql.raw(
            """
            INSERT INTO visitor_marks (granularity, bucket, site, dimension, value, visitor)
            SELECT * FROM unnest(\(bind: rows.map(\.0.granularity.rawValue)), \(bind: rows.map(\.0.bucket)), \(bind: rows.map(\.0.site)),
                \(bind: rows.map(\.0.dimension)), \(bind: rows.map(\.0.value)), \(bind: rows.map { Int64(bitPattern: $0.1) }))
            ON CONFLICT DO NOTHING RETURNING granularity, bucket, site, dimension, value
            """
        ).all()
        var added: [TrafficTally.Cell: Int] = [:]
        for row in inserted {
            guard let granularity = TrafficTally.Granularity(rawValue: try row.decode(column: "granularity", as: String.self)) else { continue }
            let cell = TrafficTally.Cell(
                granularity: granularity, bucket: try row.decode(column: "bucket", as: Int64.self),
                site: try row.decode(column: "site", as: String.self),
                dimension: try row.decode(column: "dimension", as: String.self), value: try row.decode(column: "value", as: String.self))
            added[cell, default: 0] += 1
        }
        return added
    }

    /// Deletes the keys of buckets that have closed.
    static func forgetClosed(at instant: Date, in sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            DELETE FROM visitor_marks WHERE (granularity = 'hour' AND bucket < \(bind: TrafficTally.bucket(instant, .hour)))
                OR (granularity = 'day' AND bucket < \(bind: TrafficTally.bucket(instant, .day)))
            """
        ).run()
    }
}
