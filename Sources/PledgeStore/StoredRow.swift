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
    /// `values` bound one by one and separated by commas, for `IN (…)`.
    static func list(_ values: [String]) -> SQLQueryString {
        values.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
    }
}

extension SQLDatabase {
    /// The `n` of a `SELECT COUNT(*) AS n …` query.
    func count(_ query: SQLQueryString, table: String) async throws -> Int {
        try await raw(query).first().stored(in: table, row: "COUNT(*)", column: "n").decode(column: "n", as: Int.self)
    }
}
