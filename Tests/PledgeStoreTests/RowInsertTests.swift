import Foundation
import PledgeTestSupport
import SQLKit
import Testing

@testable import PledgeStore

/// The journal and the statistics write their rows through `RowInsert`, not SQLKit's builder: on
/// PostgreSQL as one statement of array binds written by hand (`PostgresArrayColumn`), on SQLite as
/// VALUES lists or kept statements. Every value must be stored exactly, with its type, a NULL of a
/// number column too, on both backends (issue 3 performance; C10, C14).
@Suite("Row inserts")
struct RowInsertTests {
    static let awkward: [String] = [
        "", "plain", "quote \" backslash \\ slash / </script>", "tab\tnewline\ncarriage\rbell\u{07}escape\u{1b}", "é ✓ 😀 \u{2028}",
        #"{"looks":["like","json"]}"#, "null", "123", "'; DROP TABLE t; --",
    ]

    struct Row: Decodable, Equatable {
        let id: Int64
        let label: String
        let note: String?
        let amount: Int64?
    }

    @Test("Every value round-trips, text, null and 64-bit integers alike, across several statements on SQLite", arguments: StoreBackend.all)
    func roundTrip(_ backend: StoreBackend) async throws {
        try await backend.withDatabase { database in
            try await Self.checkRoundTrip(on: database) { insert in try await RowInsert.run([insert], on: database.sql) }
        }
    }

    @Test("On SQLite the writer's direct handle, with its kept statements, stores the same values")
    func roundTripThroughHandle() async throws {
        try await StoreBackend.all[0].withDatabase { database in
            let writer = try #require(database.writer)
            try await Self.checkRoundTrip(on: database) { insert in
                // Twice through one handle: the second run reuses the prepared statement.
                let (first, second) = insert.split()
                try await writer.withHandle { handle in
                    try handle.immediateTransaction {
                        try first.run(on: handle)
                        try second.run(on: handle)
                    }
                }
            }
        }
    }

    /// Inserts awkward rows with `run` and checks that they read back exactly, with their types.
    private static func checkRoundTrip(on database: PledgeDatabase, _ run: (RowInsert) async throws -> Void) async throws {
        let sql = database.sql
        try await sql.raw("CREATE TABLE row_insert_probe (id BIGINT PRIMARY KEY, label TEXT NOT NULL, note TEXT, amount BIGINT)").run()
        var insert = RowInsert(into: "row_insert_probe", columns: ["id", "label", "note", "amount"], rowsPerStatement: 2)
        var expected: [Row] = []
        for (index, text) in awkward.enumerated() {
            let amount: Int64? = index % 3 == 0 ? nil : (index % 2 == 0 ? Int64.max - Int64(index) : -Int64(index) * 1_000_000_007)
            let note: String? = index % 4 == 1 ? nil : String(text.reversed())
            insert.append([Int64(index), text, note, amount])
            expected.append(Row(id: Int64(index), label: text, note: note, amount: amount))
        }
        try await run(insert)
        let rows = try await sql.raw("SELECT id, label, note, amount FROM row_insert_probe ORDER BY id").all(decoding: Row.self)
        #expect(rows == expected)
        if !database.isPostgres {
            // Stored with the column's own type, as the binds stored them: numbers are not text.
            let types = try await sql.raw(
                "SELECT DISTINCT typeof(id) || ',' || typeof(label) || ',' || typeof(amount) AS t FROM row_insert_probe WHERE amount IS NOT NULL"
            ).all()
            #expect(try types.map { try $0.decode(column: "t", as: String.self) } == ["integer,text,integer"])
        }
    }

    @Test("Several inserts go together, a column of nothing but NULLs and an insert of no rows among them", arguments: StoreBackend.all)
    func severalWithNulls(_ backend: StoreBackend) async throws {
        try await backend.withDatabase { database in
            let sql = database.sql
            try await sql.raw("CREATE TABLE row_insert_left (id BIGINT PRIMARY KEY, note TEXT, amount BIGINT)").run()
            try await sql.raw("CREATE TABLE row_insert_right (name TEXT PRIMARY KEY)").run()
            var left = RowInsert(into: "row_insert_left", columns: ["id", "note", "amount"])
            for id in 1...3 { left.append([Int64(id), String?.none, Int64?.none]) }
            let empty = RowInsert(into: "row_insert_right", columns: ["name"])
            var right = RowInsert(into: "row_insert_right", columns: ["name"])
            right.append(["only"])
            try await RowInsert.run([left, empty, right], on: sql)
            let rows = try await sql.raw("SELECT id, note, amount FROM row_insert_left ORDER BY id").all()
            #expect(try rows.map { try $0.decode(column: "id", as: Int64.self) } == [1, 2, 3])
            #expect(
                try rows.allSatisfy { try $0.decode(column: "note", as: String?.self) == nil && $0.decode(column: "amount", as: Int64?.self) == nil })
            let names = try await sql.raw("SELECT name FROM row_insert_right").all()
            #expect(try names.map { try $0.decode(column: "name", as: String.self) } == ["only"])
        }
    }

    @Test("A suffix such as ON CONFLICT applies to every row (the statistics' upsert)", arguments: StoreBackend.all)
    func upsert(_ backend: StoreBackend) async throws {
        try await backend.withDatabase { database in
            let sql = database.sql
            try await sql.raw("CREATE TABLE row_insert_counts (name TEXT PRIMARY KEY, views BIGINT NOT NULL)").run()
            for _ in 1...3 {
                var insert = RowInsert(
                    into: "row_insert_counts", columns: ["name", "views"],
                    suffix: " ON CONFLICT (name) DO UPDATE SET views = row_insert_counts.views + EXCLUDED.views")
                insert.append(["a", Int64(2)])
                insert.append(["b/\"c\"", Int64(5)])
                try await insert.run(on: sql)
            }
            let rows = try await sql.raw("SELECT name, views FROM row_insert_counts ORDER BY name").all()
            #expect(try rows.map { try $0.decode(column: "name", as: String.self) } == ["a", "b/\"c\""])
            #expect(try rows.map { try $0.decode(column: "views", as: Int64.self) } == [6, 15])
        }
    }
}

extension RowInsert {
    /// The first half of the rows and the rest, as two inserts into the same table.
    func split() -> (RowInsert, RowInsert) {
        let rows = values.count / columns.count
        var first = RowInsert(into: table, columns: columns, suffix: suffix)
        var second = first
        for row in 0..<rows {
            let values = Array(values[row * columns.count..<(row + 1) * columns.count])
            if row < rows / 2 { first.append(values) } else { second.append(values) }
        }
        return (first, second)
    }
}
