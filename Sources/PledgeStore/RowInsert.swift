import SQLKit

/// A multi-row INSERT of plain values (`RowValue`), written in one pass.
///
/// SQLKit's insert builder wraps every value in expression types and walks them to serialise:
/// on the journal's thread that was 23 µs a row (bench/http.sh, consent writes). The hot writes
/// (the journal, page views) build their statements here instead: multi-row VALUES through SQLKit,
/// or on SQLite's direct handle a kept single-row statement stepped once a row.
struct RowInsert: Sendable {
    /// Rows per statement by default: well under PostgreSQL's 65,535 parameters and SQLite's limit.
    static let rowsPerStatement = 1000

    let table: String
    let columns: [String]
    /// Text after the rows, such as an ON CONFLICT clause.
    let suffix: String
    /// The most rows one statement takes through SQLKit; more are split over several.
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

    /// Runs `inserts` in order. On PostgreSQL as few statements as its bind limit allows, joined by
    /// data-modifying WITH clauses (each runs exactly once, whether or not the last one reads it):
    /// one round trip where each insert took one, and a journal batch was six of them. SQLite has no
    /// data-modifying WITH; there each runs alone.
    ///
    /// (Tried: on PostgreSQL every insert's rows as one JSON bind read by `json_populate_recordset`,
    /// to spare the binds' encoding and the planning of hundreds of parameters. No faster over HTTP,
    /// and PostgreSQL parsed each JSON twice, planning and running.)
    static func run(_ inserts: [RowInsert], on sql: any SQLDatabase) async throws {
        guard sql.dialect.name == "postgresql" else {
            for statement in inserts.flatMap(\.statements) { try await sql.execute(sql: statement) { _ in } }
            return
        }
        var chain: [Statement] = []
        var binds = 0
        for statement in inserts.flatMap(\.statements) {
            if binds + statement.values.count > postgresBindLimit {
                try await sql.execute(sql: Chain(statements: chain)) { _ in }
                (chain, binds) = ([], 0)
            }
            chain.append(statement)
            binds += statement.values.count
        }
        if !chain.isEmpty { try await sql.execute(sql: Chain(statements: chain)) { _ in } }
    }

    /// Whether `run` sends `inserts` to PostgreSQL as one statement, so that they succeed or fail
    /// together even outside a transaction: while their binds fit in one.
    static func fitOnePostgresStatement(_ inserts: [RowInsert]) -> Bool {
        inserts.reduce(0) { $0 + $1.values.count } <= postgresBindLimit
    }

    /// PostgreSQL numbers binds with a 16-bit count.
    static let postgresBindLimit = 65_535

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

    /// `WITH i0 AS (INSERT …), i1 AS (INSERT …) INSERT …`.
    private struct Chain: SQLExpression {
        let statements: [Statement]

        func serialize(to serializer: inout SQLSerializer) {
            for (index, statement) in statements.dropLast().enumerated() {
                serializer.write(index == 0 ? "WITH i\(index) AS (" : ", i\(index) AS (")
                statement.serialize(to: &serializer)
                serializer.write(") ")
            }
            statements.last?.serialize(to: &serializer)
        }
    }
}
