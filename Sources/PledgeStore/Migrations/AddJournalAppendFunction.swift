import FluentKit
import SQLKit

/// On PostgreSQL, `pledge_journal_append(lock, arrays…)`: the journal's unlocked append (one round
/// trip, `JournalAppend`) now takes the journal's advisory lock *shared* before it inserts (issue 27).
/// Without it, a node on the locked path read the heads, and another node's unlocked append took the
/// next sequence number first, again and again: under load on two nodes the locked node gave up after
/// `Journal.lockedTries` and its writers were refused. The locked path's exclusive lock now waits for
/// unlocked appends in flight and holds off new ones, so it succeeds at its first try. The function
/// is built from `JournalAppend`'s column lists, so the two cannot drift apart. Nothing on SQLite.
struct AddJournalAppendFunction: AsyncMigration {
    var name: String { "2026-12-05-add-journal-append-function" }

    static func parameters(_ prefix: String, _ columns: [(name: String, type: any RowValue.Type)]) -> [(name: String, type: String)] {
        columns.map { ("\(prefix)_\($0.name)", $0.type.postgresTypes.element == .int8 ? "bigint[]" : "text[]") }
    }

    static var definition: String {
        let consents = parameters("c", JournalAppend.consentColumns), audit = parameters("a", JournalAppend.auditColumns)
        let signature = (consents + audit).map { "\($0.name) \($0.type)" }.joined(separator: ", ")
        return """
            CREATE OR REPLACE FUNCTION pledge_journal_append(lock_key bigint, \(signature))
            RETURNS void LANGUAGE plpgsql VOLATILE AS $$
            BEGIN
                PERFORM pg_advisory_xact_lock_shared(lock_key);
                INSERT INTO consent_events (\(JournalAppend.consentColumns.map(\.name).joined(separator: ", ")))
                    SELECT * FROM unnest(\(consents.map(\.name).joined(separator: ", ")));
                INSERT INTO audit_entries (\(JournalAppend.auditColumns.map(\.name).joined(separator: ", ")))
                    SELECT * FROM unnest(\(audit.map(\.name).joined(separator: ", ")));
            END
            $$
            """
    }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw("\(unsafeRaw: Self.definition)").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        let types = (Self.parameters("c", JournalAppend.consentColumns) + Self.parameters("a", JournalAppend.auditColumns)).map(\.type)
        try await sql.raw("DROP FUNCTION IF EXISTS pledge_journal_append(bigint, \(unsafeRaw: types.joined(separator: ", ")))").run()
    }
}
