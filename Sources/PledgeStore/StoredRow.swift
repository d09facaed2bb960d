import Foundation
import SQLKit

/// A stored row that cannot be read as Pledge wrote it (an id that is not a UUID, a count query
/// that returned nothing): an error naming the table, the row and the column, never a crash of the
/// whole server on one bad row (issue 25 §7).
public struct CorruptRow: Error, Equatable, CustomStringConvertible {
    public let table: String
    public let row: String
    public let column: String

    public var description: String { "The stored row \(row) of \(table) has an unreadable \(column)." }
}

extension Optional {
    /// The value, or `CorruptRow` naming where it was stored.
    func stored(in table: String, row: String, column: String) throws -> Wrapped {
        guard let self else { throw CorruptRow(table: table, row: row, column: column) }
        return self
    }
}

extension SQLQueryString {
    /// `values` as one bound value that the statement reads as rows, for `IN (…)`: SQLite's
    /// `json_each` over a JSON array, PostgreSQL's `unnest` over a text array; either way the index
    /// on the column is searched once a value. One bind where a list bound every value: an erasure's
    /// fourteen statements bound its 200 people each, one by one (retention bench, docs/SCALING.md).
    static func members(_ values: [String], in sql: any SQLDatabase) -> SQLQueryString {
        if sql.dialect.name == "postgresql" { return "SELECT unnest(\(bind: values)::text[])" }
        return "SELECT value FROM json_each(\(bind: jsonArray(values)))"
    }

    /// `values` as a JSON array of strings.
    static func jsonArray(_ values: [String]) -> String {
        var json = "["
        for (index, value) in values.enumerated() {
            if index > 0 { json += "," }
            json += "\""
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": json += "\\\""
                case "\\": json += "\\\\"
                case let control where control.value < 0x20: json += String(format: "\\u%04x", control.value)
                default: json.unicodeScalars.append(scalar)
                }
            }
            json += "\""
        }
        return json + "]"
    }
}

extension SQLDatabase {
    /// The `n` of a `SELECT COUNT(*) AS n …` query.
    func count(_ query: SQLQueryString, table: String) async throws -> Int {
        try await raw(query).first().stored(in: table, row: "COUNT(*)", column: "n").decode(column: "n", as: Int.self)
    }
}
