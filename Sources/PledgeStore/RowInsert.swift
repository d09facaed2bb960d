import FluentPostgresDriver
import SQLKit

/// A multi-row INSERT of plain values (`RowValue`), written in one pass.
///
/// SQLKit's insert builder wraps every value in expression types and walks them to serialise:
/// on the journal's thread that was 23 µs a row (bench/http.sh, consent writes). The hot writes
/// (the journal, page views) build their statements here instead: on PostgreSQL one statement of
/// array binds, on SQLite multi-row VALUES through SQLKit, or on the writer's direct handle a kept
/// single-row statement stepped once a row.
struct RowInsert: Sendable {
    /// Rows per statement on SQLite by default: well under its limit of bound parameters.
    static let rowsPerStatement = 1000

    let table: String
    let columns: [String]
    /// Text after the rows, such as an ON CONFLICT clause.
    let suffix: String
    /// The most rows one statement takes on SQLite; more are split over several.
    let rowsPerStatement: Int
    /// The values, row after row, `columns.count` to a row.
    private(set) var values: [any RowValue] = []

    init(into table: String, columns: [String], suffix: String = "", rowsPerStatement: Int = Self.rowsPerStatement, capacity rows: Int = 0) {
        self.table = table
        self.columns = columns
        self.suffix = suffix
        self.rowsPerStatement = rowsPerStatement
        values.reserveCapacity(rows * columns.count)
    }

    mutating func append(_ row: [any RowValue]) {
        precondition(row.count == columns.count, "a row of \(table) has \(columns.count) values")
        values.append(contentsOf: row)
    }

    /// Runs the rows on a SQLite handle: one single-row statement, prepared once and kept by the
    /// handle, stepped once a row, where SQLKit's path parses a statement of all the rows every time.
    func run(on handle: SQLiteHandle) throws {
        guard !values.isEmpty else { return }
        let placeholders = repeatElement("?", count: columns.count).joined(separator: ", ")
        let statement = try handle.statement("INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(placeholders))\(suffix)")
        for start in stride(from: 0, to: values.count, by: columns.count) {
            try statement.bind(values[start..<start + columns.count])
            while try statement.step() {}
        }
    }

    /// Runs the rows through SQLKit (`run(_:on:)`).
    func run(on sql: any SQLDatabase) async throws {
        try await Self.run([self], on: sql)
    }

    /// Runs `inserts` in order. On PostgreSQL as one statement whatever the number of rows, each
    /// insert a data-modifying WITH clause (each runs exactly once, whether or not the last one reads
    /// it) that reads its rows from one array bind per column with `unnest`: one round trip where
    /// each insert took one, a short text that PostgreSQL parses and plans at once where a VALUES
    /// list of every row's binds took a third of its time (perf, bench/http.sh consent writes), and
    /// binds written straight into the wire format (`PostgresArrayColumn`). SQLite has no
    /// data-modifying WITH or arrays; there each insert runs alone, `rowsPerStatement` rows to a statement.
    ///
    /// (Tried: every insert's rows as one JSON bind read by `json_populate_recordset`. No faster
    /// over HTTP, and PostgreSQL parsed each JSON twice, planning and running.)
    static func run(_ inserts: [RowInsert], on sql: any SQLDatabase) async throws {
        guard let postgres = sql as? any PostgresDatabase else {
            for statement in inserts.flatMap(\.statements) { try await sql.execute(sql: statement) { _ in } }
            return
        }
        let inserts = inserts.filter { !$0.values.isEmpty }
        guard !inserts.isEmpty else { return }
        var binds = PostgresBindings(capacity: inserts.reduce(0) { $0 + $1.columns.count })
        for insert in inserts {
            try insert.appendArrays(to: &binds, types: insert.columns.indices.map { type(of: insert.values[$0]).postgresTypes })
        }
        let query = PostgresQuery(unsafeSQL: postgresText(inserts.map { ($0.table, $0.columns, $0.suffix) }), binds: binds)
        _ = try await postgres.withConnection { connection in connection.query(query, logger: connection.logger) }.get()
    }

    /// The PostgreSQL statement `run` sends for inserts into these tables: its binds are each
    /// insert's columns in order, one array per column (`appendArrays`).
    static func postgresText(_ inserts: [(table: String, columns: [String], suffix: String)]) -> String {
        var text = ""
        var bind = 0
        for (index, insert) in inserts.enumerated() {
            let last = index == inserts.count - 1
            if !last { text += index == 0 ? "WITH i0 AS (" : ", i\(index) AS (" }
            let arrays = insert.columns.map { _ in
                bind += 1; return "$\(bind)"
            }.joined(separator: ", ")
            text += "INSERT INTO \(insert.table) (\(insert.columns.joined(separator: ", "))) SELECT * FROM unnest(\(arrays))\(insert.suffix)"
            if !last { text += ") " }
        }
        return text
    }

    /// Appends the rows to `binds` as one array per column, of the columns' `types` (which no value
    /// tells when there are no rows).
    func appendArrays(to binds: inout PostgresBindings, types: [(element: PostgresDataType, array: PostgresDataType)]) throws {
        for (column, types) in types.enumerated() {
            try binds.append(PostgresArrayColumn(values: values, width: columns.count, column: column, types: types))
        }
    }

    /// The rows split into statements of at most `rowsPerStatement` rows.
    private var statements: [Statement] {
        let width = rowsPerStatement * columns.count
        return stride(from: 0, to: values.count, by: width).map { start in
            Statement(insert: self, values: values[start..<min(start + width, values.count)])
        }
    }

    /// `INSERT INTO table (columns) VALUES (…), (…) suffix` for some of the rows.
    private struct Statement: SQLExpression {
        let insert: RowInsert
        let values: ArraySlice<any RowValue>

        func serialize(to serializer: inout SQLSerializer) {
            serializer.write("INSERT INTO \(insert.table) (\(insert.columns.joined(separator: ", "))) VALUES ")
            for (index, value) in values.enumerated() {
                let column = index % insert.columns.count
                serializer.write(column != 0 ? ", " : index == 0 ? "(" : "), (")
                serializer.write(bind: value)
            }
            serializer.write(")")
            serializer.write(insert.suffix)
        }
    }
}
