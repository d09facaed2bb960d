import SQLKit

/// A multi-row INSERT of plain values, written in one pass.
///
/// SQLKit's insert builder wraps every value in expression types and walks them to serialise:
/// on the journal's thread that was 23 µs a row (bench/http.sh, consent writes). The hot writes
/// (the journal, page views) build their statements here instead; the text is the same.
struct RowInsert: SQLExpression {
    let table: String
    let columns: [String]
    /// Text after the list of rows, such as an ON CONFLICT clause.
    let suffix: String
    /// The values, row after row, `columns.count` to a row.
    private(set) var values: [any Encodable & Sendable] = []

    init(into table: String, columns: [String], suffix: String = "", capacity rows: Int = 0) {
        self.table = table
        self.columns = columns
        self.suffix = suffix
        values.reserveCapacity(rows * columns.count)
    }

    mutating func append(_ row: [any Encodable & Sendable]) {
        precondition(row.count == columns.count, "a row of \(table) has \(columns.count) values")
        values.append(contentsOf: row)
    }

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write("INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES ")
        for (index, value) in values.enumerated() {
            let column = index % columns.count
            serializer.write(column != 0 ? ", " : index == 0 ? "(" : "), (")
            serializer.write(bind: value)
        }
        serializer.write(")")
        serializer.write(suffix)
    }

    /// Runs the statement; nothing to do without rows.
    func run(on sql: any SQLDatabase) async throws {
        guard !values.isEmpty else { return }
        try await sql.execute(sql: self) { _ in }
    }

    /// Runs `inserts` in order. On PostgreSQL as few statements as its bind limit allows, joined by
    /// data-modifying WITH clauses (each runs exactly once, whether or not the last one reads it):
    /// one round trip where each insert took one, and a journal batch was six of them. SQLite has no
    /// data-modifying WITH; there each runs alone.
    static func run(_ inserts: [RowInsert], on sql: any SQLDatabase) async throws {
        let inserts = inserts.filter { !$0.values.isEmpty }
        guard sql.dialect.name == "postgresql" else {
            for insert in inserts { try await insert.run(on: sql) }
            return
        }
        var statement: [RowInsert] = []
        for insert in inserts {
            if statement.map(\.values.count).reduce(insert.values.count, +) > postgresBindLimit {
                try await sql.execute(sql: Chain(inserts: statement)) { _ in }
                statement = []
            }
            statement.append(insert)
        }
        if !statement.isEmpty { try await sql.execute(sql: Chain(inserts: statement)) { _ in } }
    }

    /// PostgreSQL numbers binds with a 16-bit count.
    static let postgresBindLimit = 65_535

    /// `WITH i0 AS (INSERT …), i1 AS (INSERT …) INSERT …`.
    private struct Chain: SQLExpression {
        let inserts: [RowInsert]

        func serialize(to serializer: inout SQLSerializer) {
            for (index, insert) in inserts.dropLast().enumerated() {
                serializer.write(index == 0 ? "WITH i\(index) AS (" : ", i\(index) AS (")
                insert.serialize(to: &serializer)
                serializer.write(") ")
            }
            inserts.last?.serialize(to: &serializer)
        }
    }
}
