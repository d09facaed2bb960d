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
    func bind<Values: Collection>(_ values: Values) throws where Values.Element == any RowValue {
        for (offset, value) in values.enumerated() {
            try value.bind(to: self, at: Int32(offset + 1))
        }
    }

    /// Binds a bulk read's `values` to the parameters, first to last.
    func bind(_ values: [BulkBind]) throws {
        for (offset, value) in values.enumerated() {
            switch value {
            case .text(let text): try bind(text: text, at: Int32(offset + 1))
            case .integer(let number): try bind(integer: number, at: Int32(offset + 1))
            }
        }
    }

    /// Binds `text` to parameter `index` (from 1).
    func bind(text: String, at index: Int32) throws {
        try check(sqlite_nio_sqlite3_bind_text64(statement, index, text, UInt64(text.utf8.count), Self.transient, UInt8(SQLITE_UTF8)), index)
    }

    /// Binds `integer` to parameter `index` (from 1).
    func bind(integer: Int64, at index: Int32) throws {
        try check(sqlite_nio_sqlite3_bind_int64(statement, index, integer), index)
    }

    /// Binds NULL to parameter `index` (from 1).
    func bindNull(at index: Int32) throws {
        try check(sqlite_nio_sqlite3_bind_null(statement, index), index)
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

    /// The current row's text in `column`, nil for NULL; read by its length, so a NUL inside does not cut it short.
    func text(at column: Int32) -> String? {
        isNull(at: column) ? nil : String(decoding: bytes(at: column), as: UTF8.self)
    }

    /// Whether the current row's `column` is NULL.
    func isNull(at column: Int32) -> Bool {
        sqlite_nio_sqlite3_column_type(statement, column) == SQLITE_NULL
    }

    /// The current row's text or blob in `column`, in place: valid until the next step (empty for NULL).
    func bytes(at column: Int32) -> UnsafeRawBufferPointer {
        // The pointer first, then the length (SQLite's rule: the length of the form just asked for).
        guard let start = sqlite_nio_sqlite3_column_blob(statement, column) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: start, count: Int(sqlite_nio_sqlite3_column_bytes(statement, column)))
    }

    /// Releases the statement; it cannot run again.
    func finalize() {
        sqlite_nio_sqlite3_finalize(statement)
        statement = nil
    }

    private func check(_ bound: Int32, _ index: Int32) throws {
        guard bound == SQLITE_OK else { throw failure(bound, "bind parameter \(index) of") }
    }

    private func failure(_ code: Int32, _ action: String) -> SQLiteFailure {
        SQLiteFailure(code: code, connection: connection, doing: "\(action) \(sql)")
    }

    /// SQLite copies the bytes before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
