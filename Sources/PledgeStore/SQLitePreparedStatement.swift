import SQLiteKit
import VaporCSQLite

/// A statement of a `SQLiteHandle`, prepared once and run many times: bind, step until done
/// (which resets it for the next run), read the current row's columns.
final class SQLitePreparedStatement {
    private var statement: OpaquePointer?
    private let connection: OpaquePointer?
    private let sql: String

    init(_ sql: String, on connection: OpaquePointer?) throws {
        self.sql = sql
        self.connection = connection
        let prepared = sqlite_nio_sqlite3_prepare_v3(connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard prepared == SQLITE_OK else { throw SQLiteFailure(code: prepared, connection: connection, doing: "prepare \(sql)") }
    }

    /// Binds `values` to the parameters, first to last.
    func bind<Values: Collection>(_ values: Values) throws where Values.Element == any Encodable & Sendable {
        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
    }

    /// Binds one value with the type it has: integers as integers, text as text, nil as NULL.
    func bind(_ value: any Encodable & Sendable, at index: Int32) throws {
        let bound: Int32
        // The journal's own types first; anything else goes through SQLiteNIO's encoder, as SQLKit would.
        switch value {
        case let text as String: bound = Self.bindText(text, to: statement, at: index)
        case let number as Int64: bound = sqlite_nio_sqlite3_bind_int64(statement, index, number)
        case let number as Int: bound = sqlite_nio_sqlite3_bind_int64(statement, index, Int64(number))
        case let optional as any OptionalValue where optional.isNone: bound = sqlite_nio_sqlite3_bind_null(statement, index)
        default:
            switch try SQLiteDataEncoder().encode(value) {
            case .integer(let number): bound = sqlite_nio_sqlite3_bind_int64(statement, index, Int64(number))
            case .float(let number): bound = sqlite_nio_sqlite3_bind_double(statement, index, number)
            case .text(let text): bound = Self.bindText(text, to: statement, at: index)
            case .blob(let bytes):
                bound = bytes.withUnsafeReadableBytes {
                    sqlite_nio_sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), Self.transient)
                }
            case .null: bound = sqlite_nio_sqlite3_bind_null(statement, index)
            }
        }
        guard bound == SQLITE_OK else { throw failure(bound, "bind parameter \(index) of") }
    }

    /// Runs the statement to its next row: true with a row to read, false when done, and then it is
    /// reset (binds cleared) for the next run. On failure it is reset too.
    func step() throws -> Bool {
        let stepped = sqlite_nio_sqlite3_step(statement)
        if stepped == SQLITE_ROW { return true }
        sqlite_nio_sqlite3_reset(statement)
        sqlite_nio_sqlite3_clear_bindings(statement)
        guard stepped == SQLITE_DONE else { throw failure(stepped, "run") }
        return false
    }

    /// The current row's integer in `column` (0 for NULL).
    func int64(at column: Int32) -> Int64 {
        sqlite_nio_sqlite3_column_int64(statement, column)
    }

    /// The current row's text in `column`, nil for NULL.
    func text(at column: Int32) -> String? {
        sqlite_nio_sqlite3_column_text(statement, column).map { String(cString: $0) }
    }

    /// Releases the statement; it cannot run again.
    func finalize() {
        sqlite_nio_sqlite3_finalize(statement)
        statement = nil
    }

    private func failure(_ code: Int32, _ action: String) -> SQLiteFailure {
        SQLiteFailure(code: code, connection: connection, doing: "\(action) \(sql)")
    }

    /// SQLite copies the bytes before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private static func bindText(_ text: String, to statement: OpaquePointer?, at index: Int32) -> Int32 {
        sqlite_nio_sqlite3_bind_text64(statement, index, text, UInt64(text.utf8.count), transient, UInt8(SQLITE_UTF8))
    }
}

/// Lets a bind tell a nil of any wrapped type from a value.
private protocol OptionalValue {
    var isNone: Bool { get }
}

extension Optional: OptionalValue {
    var isNone: Bool { self == nil }
}
