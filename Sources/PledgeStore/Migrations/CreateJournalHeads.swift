import FluentKit
import SQLKit

/// On PostgreSQL, `pledge_journal_heads(lock)`: takes the journal's advisory lock, then reads the
/// heads of the consent ledger and the audit chain, in one round trip where a batch took two.
/// The read must follow the lock: a VOLATILE function takes a fresh snapshot for each query it runs
/// (PostgreSQL manual, "Function Volatility Categories"), so it sees every batch committed before
/// the lock was granted, which one statement holding both could not. Nothing on SQLite, where the
/// journal's reads cost no round trip.
struct CreateJournalHeads: AsyncMigration {
    var name: String { "2026-11-22-create-journal-heads" }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw(
            """
            CREATE FUNCTION pledge_journal_heads(lock_key bigint)
            RETURNS TABLE (consent_last bigint, audit_last bigint, audit_hash text)
            LANGUAGE plpgsql VOLATILE AS $$
            BEGIN
                PERFORM pg_advisory_xact_lock(lock_key);
                RETURN QUERY SELECT
                    (SELECT COALESCE(MAX(seq), 0) FROM consent_events)::bigint,
                    (SELECT COALESCE(MAX(seq), 0) FROM audit_entries)::bigint,
                    (SELECT hash FROM audit_entries ORDER BY seq DESC LIMIT 1)::text;
            END
            $$
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw("DROP FUNCTION IF EXISTS pledge_journal_heads(bigint)").run()
    }
}
