import FluentPostgresDriver
import SQLKit

/// A journal batch's rows on PostgreSQL, consent events and audit entries, as one statement that
/// each connection prepares once (`PostgresPreparedStatement`): PostgreSQL then neither parses nor
/// plans it again, where doing so for every batch was a quarter of its time (perf, bench/http.sh
/// consent writes). It calls `pledge_journal_append` (`AddJournalAppendFunction`), which takes the
/// journal's lock shared and inserts into the two tables; a batch with no consent events or no audit
/// entries binds empty arrays, so that one statement serves every batch.
struct JournalAppend: PostgresPreparedStatement {
    typealias Row = ()

    /// The ledger's columns, and the kind of value each takes.
    static let consentColumns: [(name: String, type: any RowValue.Type)] = [
        ("seq", Int64.self), ("holder_kind", String.self), ("holder", String.self), ("purpose", String.self),
        ("recipient", String?.self), ("channel", String?.self), ("action", String.self), ("mechanism", String.self),
        ("notice_version", String.self), ("wording_hash", String.self), ("recorded_us", Int64.self),
    ]

    /// The audit chain's columns, and the kind of value each takes.
    static let auditColumns: [(name: String, type: any RowValue.Type)] = [
        ("seq", Int64.self), ("at_us", Int64.self), ("actor", String.self), ("action", String.self), ("object", String.self),
        ("purpose", String?.self), ("field", String?.self), ("before_digest", String?.self), ("after_digest", String?.self),
        ("previous_hash", String.self), ("hash", String.self),
    ]

    /// Through `pledge_journal_append`, which takes the journal's lock shared first (`AddJournalAppendFunction`).
    static let sql =
        "SELECT pledge_journal_append(\(Journal.advisoryLock), "
        + (1...(consentColumns.count + auditColumns.count)).map { "$\($0)" }.joined(separator: ", ") + ")"

    private static let consentTypes = consentColumns.map { $0.type.postgresTypes }
    private static let auditTypes = auditColumns.map { $0.type.postgresTypes }
    static let bindingDataTypes = (consentTypes + auditTypes).map(\.array)

    let consents: RowInsert
    let audit: RowInsert

    func makeBindings() throws -> PostgresBindings {
        var binds = PostgresBindings(capacity: Self.bindingDataTypes.count)
        try consents.appendArrays(to: &binds, types: Self.consentTypes)
        try audit.appendArrays(to: &binds, types: Self.auditTypes)
        return binds
    }

    func decodeRow(_ row: PostgresRow) throws {}

    /// Inserts the rows on `sql`'s connection: on PostgreSQL as this prepared statement, on SQLite
    /// through `RowInsert`. On PostgreSQL `sql` must be one leased connection (the journal's
    /// transaction or lease), which the statement runs on directly.
    func run(on sql: any SQLDatabase) async throws {
        guard let postgres = sql as? any PostgresDatabase else {
            return try await RowInsert.run([consents, audit], on: sql)
        }
        let connection = try await postgres.withConnection { $0.eventLoop.makeSucceededFuture($0) }.get()
        // The function returns a row; an error raised while it runs (a sequence number taken) arrives with
        // the rows, so they are read to the end, or the failure would pass for a commit.
        for try await _ in try await connection.execute(self, logger: connection.logger) {}
    }

    /// Inserts the rows through the SQLite writer's direct handle.
    func run(on handle: SQLiteHandle) throws {
        try consents.run(on: handle)
        try audit.run(on: handle)
    }
}
