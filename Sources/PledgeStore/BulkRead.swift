import FluentSQLiteDriver
import Foundation
import SQLKit

/// One row of a bulk read, its columns by name.
///
/// On SQLite the columns are read straight from SQLiteNIO's row; SQLKit's `decode(column:as:)` goes
/// through a `Codable` decoder for every column, which was half the time of opening the 10,000
/// records of an access request. PostgreSQL rows still go through SQLKit.
struct BulkRow: Sendable {
    private enum Storage: Sendable {
        case sqlite(SQLiteRow)
        case sql(any SQLRow)
    }

    private let storage: Storage

    fileprivate init(sqlite row: SQLiteRow) { storage = .sqlite(row) }
    fileprivate init(sql row: any SQLRow) { storage = .sql(row) }

    func text(_ column: String) throws -> String {
        guard let text = try optionalText(column) else { throw BulkReadError.unexpected(column) }
        return text
    }

    func optionalText(_ column: String) throws -> String? {
        switch storage {
        case .sqlite(let row):
            guard let data = row.column(column) else { throw BulkReadError.unexpected(column) }
            if case .null = data { return nil }
            guard let text = data.string else { throw BulkReadError.unexpected(column) }
            return text
        case .sql(let row):
            return try row.decode(column: column, as: String?.self)
        }
    }

    func integer(_ column: String) throws -> Int64 {
        switch storage {
        case .sqlite(let row):
            guard let value = row.column(column)?.integer else { throw BulkReadError.unexpected(column) }
            return Int64(value)
        case .sql(let row):
            return try row.decode(column: column, as: Int64.self)
        }
    }

    func bytes(_ column: String) throws -> Data {
        switch storage {
        case .sqlite(let row):
            guard case .blob(let buffer) = row.column(column) else { throw BulkReadError.unexpected(column) }
            return Data(buffer.readableBytesView)
        case .sql(let row):
            return try row.decode(column: column, as: Data.self)
        }
    }
}

enum BulkReadError: Error, CustomStringConvertible {
    case unexpected(String)

    var description: String {
        switch self {
        case .unexpected(let column): "column \(column) is missing or of an unexpected type"
        }
    }
}

extension PledgeDatabase {
    /// The rows of a read whose one bind is `value`, written with `?` where the value goes (the
    /// placeholder is rewritten for PostgreSQL). On a SQLite file it runs on the reading connections.
    func bulkRows(_ query: String, binding value: String) async throws -> [BulkRow] {
        if let sqlite = reader as? any SQLiteDatabase {
            // The connection's own query hands each row over on the database thread; the database's
            // (what `query(_:_:)` uses) submits a task to an event loop per row, which was most of the
            // time of reading the 10,000 entries of a disclosure log.
            let rows = try await sqlite.withConnection { connection in
                nonisolated(unsafe) var rows: [SQLiteRow] = []  // appended to on the one thread that steps the statement
                try await connection.query(query, [.text(value)]) { rows.append($0) }
                return rows
            }
            return rows.map(BulkRow.init(sqlite:))
        }
        let parts = query.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var statement = SQLQueryString(String(parts[0]))
        if parts.count == 2 {
            statement.appendInterpolation(bind: value)
            statement.appendLiteral(String(parts[1]))
        }
        return try await sql.raw(statement).all().map(BulkRow.init(sql:))
    }
}
