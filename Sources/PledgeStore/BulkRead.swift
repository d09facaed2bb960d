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
    /// A row SQLKit read, for code that reads both kinds alike.
    init(sql row: any SQLRow) { storage = .sql(row) }

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

    func optionalInteger(_ column: String) throws -> Int64? {
        switch storage {
        case .sqlite(let row):
            guard let data = row.column(column) else { throw BulkReadError.unexpected(column) }
            if case .null = data { return nil }
            guard let value = data.integer else { throw BulkReadError.unexpected(column) }
            return Int64(value)
        case .sql(let row):
            return try row.decode(column: column, as: Int64?.self)
        }
    }

    /// A boolean: an integer on SQLite, a boolean on PostgreSQL.
    func optionalBool(_ column: String) throws -> Bool? {
        switch storage {
        case .sqlite: return try optionalInteger(column).map { $0 != 0 }
        case .sql(let row): return try row.decode(column: column, as: Bool?.self)
        }
    }

    func bool(_ column: String) throws -> Bool {
        guard let value = try optionalBool(column) else { throw BulkReadError.unexpected(column) }
        return value
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
        try await bulkRows(query, bindings: [.text(value)])
    }

    /// The rows of a read whose binds are `values`, one `?` each, in order.
    func bulkRows(_ query: String, bindings values: [BulkBind]) async throws -> [BulkRow] {
        if let sqlite = reader as? any SQLiteDatabase {
            // The connection's own query hands each row over on the database thread; the database's
            // (what `query(_:_:)` uses) submits a task to an event loop per row, which was most of the
            // time of reading the 10,000 entries of a disclosure log.
            let rows = try await sqlite.withConnection { connection in
                nonisolated(unsafe) var rows: [SQLiteRow] = []  // appended to on the one thread that steps the statement
                try await connection.query(query, values.map(\.sqlite)) { rows.append($0) }
                return rows
            }
            return rows.map(BulkRow.init(sqlite:))
        }
        let parts = query.split(separator: "?", omittingEmptySubsequences: false)
        var statement = SQLQueryString(String(parts[0]))
        for (part, value) in zip(parts.dropFirst(), values) {
            switch value {
            case .text(let text): statement.appendInterpolation(bind: text)
            case .integer(let number): statement.appendInterpolation(bind: number)
            }
            statement.appendLiteral(String(part))
        }
        return try await sql.raw(statement).all().map(BulkRow.init(sql:))
    }
}

/// One value bound to a bulk read's `?`.
enum BulkBind: Sendable {
    case text(String)
    case integer(Int64)

    /// `WHERE column IN (?, ...)` (`AND …` with `and`) and its binds for `only`; nothing when it is nil.
    static func membership(_ column: String, _ only: [String]?, and: Bool = false) -> (String, [BulkBind]) {
        guard let only else { return ("", []) }
        guard !only.isEmpty else { return ("\(and ? "AND" : "WHERE") FALSE", []) }
        return ("\(and ? "AND" : "WHERE") \(column) IN (\(Array(repeating: "?", count: only.count).joined(separator: ", ")))", only.map { .text($0) })
    }

    var sqlite: SQLiteData {
        switch self {
        case .text(let text): .text(text)
        case .integer(let number): .integer(Int(number))
        }
    }
}
