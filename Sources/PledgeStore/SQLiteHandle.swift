import VaporCSQLite

/// A SQLite connection called directly, with its prepared statements kept for reuse: the journal's
/// plain batches write through it (`Journal.appendPlain`).
///
/// Why beside SQLiteNIO's connection: SQLiteNIO prepares every statement anew and each statement is
/// an async round trip (thread pool, its event loop, back). A journal batch is the same few
/// statements every time, so here they are parsed once and stepped synchronously on the writer's
/// thread; parsing and serialising binds were a third of that thread's time (bench/http.sh).
/// It is the same SQLite library SQLiteNIO links (`VaporCSQLite`), never a second copy in-process.
///
/// Not thread-safe by itself: only the holder of the writer's lease uses it (`SQLiteWriter`).
final class SQLiteHandle: @unchecked Sendable {
    private var connection: OpaquePointer?
    private var statements: [String: SQLitePreparedStatement] = [:]

    /// Opens the database file at `path` (which must exist: the server migrates it first) with the
    /// settings every writing connection of Pledge uses (`SQLiteWriter.pragmas`), or only to read it.
    init(path: String, pragmas: [String], readOnly: Bool = false) throws {
        // NOMUTEX: the writer's lease (or, reading, the one thread that opened it) already serialises every use.
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let opened = sqlite_nio_sqlite3_open_v2(path, &connection, flags, nil)
        guard opened == SQLITE_OK else {
            let failure = SQLiteFailure(code: opened, connection: connection, doing: "open \(path)")
            sqlite_nio_sqlite3_close_v2(connection)
            throw failure
        }
        do {
            for pragma in pragmas { try execute(pragma) }
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// The statement for `sql`, prepared on first use and reset for the next.
    func statement(_ sql: String) throws -> SQLitePreparedStatement {
        if let statement = statements[sql] { return statement }
        let statement = try SQLitePreparedStatement(sql, on: connection)
        statements[sql] = statement
        return statement
    }

    /// How many rows the last INSERT, UPDATE or DELETE on this connection changed (an upsert's
    /// update counts as one), without a `RETURNING` clause: SQLite gathers returned rows in an
    /// ephemeral table, a page cache of its own made and freed every time.
    var changes: Int { connection.map { Int(sqlite_nio_sqlite3_changes($0)) } ?? 0 }

    /// Runs `sql`, a statement without results, through the statement cache.
    func execute(_ sql: String) throws {
        let statement = try statement(sql)
        while try statement.step() {}
    }

    /// Runs `body` in a transaction that takes the write lock at once (so what it reads cannot be
    /// stale when another process writes too), committing when it returns and rolling back when it throws.
    func immediateTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            // Ends the transaction if it is still open; after a failed COMMIT SQLite may have ended it already.
            if sqlite_nio_sqlite3_get_autocommit(connection) == 0 { try? execute("ROLLBACK") }
            throw error
        }
    }

    /// Finalises every statement and closes the connection; nothing may use it afterwards.
    func close() {
        for statement in statements.values { statement.finalize() }
        statements = [:]
        if let connection { sqlite_nio_sqlite3_close_v2(connection) }
        connection = nil
    }
}

/// A SQLite call that failed, with SQLite's own message.
struct SQLiteFailure: Error, CustomStringConvertible {
    /// The extended result code.
    let code: Int32
    let message: String

    init(code: Int32, connection: OpaquePointer?, doing action: String) {
        self.code = code
        let reason =
            connection.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite_nio_sqlite3_errstr(code))
        message = "SQLite could not \(action): \(reason) (\(code))"
    }

    var description: String { message }
}
