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
}
