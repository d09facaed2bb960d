import Foundation
import PledgeCore
import SQLKit

/// A one-click unsubscribe's write as data: suppress every identifier of one kind a subject has.
/// A unit carries it beside the same write as `work`; the SQLite writer runs it through its own
/// prepared statement in the plain append (`Journal.appendPlain`), one statement a unit, where the
/// work would send the whole batch down the locked path, a savepoint a unit (`bench/http.sh`:
/// unsubscribes went at a third of the rate of consent writes). It cannot fail for one unit alone
/// (the upsert meets no constraint), so it needs no savepoint. PostgreSQL runs a batch's run of them
/// on the locked path as one statement (`together`), without a savepoint (`Journal.appendLockedOnce`):
/// a round trip each under the lock was most of an unsubscribe's time there (bench/http.sh).
struct IdentifierSuppression: Sendable {
    let subject: String
    let kind: IdentifierKind
    let reason: SuppressionReason
    let since: Date
    /// Appended only when an identifier was suppressed: a person erased has none left.
    let audit: AuditRecord
    /// How many identifiers were suppressed, for the caller.
    let suppressed: JournalResult<Int>

    /// Runs on the SQLite writer's handle inside the batch's transaction; the audit records to append.
    func run(on handle: SQLiteHandle) throws -> [AuditRecord] {
        let statement = try handle.statement(Self.sqlite)
        try statement.bind(text: reason.rawValue, at: 1)
        try statement.bind(integer: since.microseconds, at: 2)
        try statement.bind(text: subject, at: 3)
        try statement.bind(text: kind.rawValue, at: 4)
        while try statement.step() {}
        // Counted by SQLite rather than returned: `RETURNING` built an ephemeral table, and a page
        // cache for it, for every unsubscribe; making and freeing it cost a fifth of the writer's
        // time (perf, bench/http.sh).
        let count = handle.changes
        suppressed.value = count
        return count == 0 ? [] : [audit]
    }

    /// `PersonalDataVault.suppressIdentifiers` for one kind, with SQLite's parameters.
    static let sqlite = """
        INSERT INTO suppressions (digest, kind, since_us)
        SELECT digest, ?1, ?2 FROM subject_identifiers WHERE subject_id = ?3 AND kind = ?4
        """ + "\n" + PersonalDataVault.renewingClause

    /// `suppressions` run as one statement on PostgreSQL, inside the batch's transaction, as if one
    /// after another in their order: where two reach the same identifier the later one writes, unless
    /// an earlier one in the run objects and it does not (an objection is renewed only by an
    /// objection, as `renewingClause`). Each one's count is set; answers the audit records of each,
    /// in order (none where nothing was suppressed).
    static func together(_ suppressions: [IdentifierSuppression], in sql: any SQLDatabase) async throws -> [[AuditRecord]] {
        let rows = try await sql.raw(
            """
            WITH run AS (
                SELECT * FROM unnest(\(bind: suppressions.map(\.subject))::text[], \(bind: suppressions.map(\.kind.rawValue))::text[],
                    \(bind: suppressions.map(\.reason.rawValue))::text[], \(bind: suppressions.map(\.since.microseconds))::bigint[])
                WITH ORDINALITY AS run(subject, kind, reason, since, ord)),
            matched AS (
                SELECT run.ord, run.reason, run.since, i.digest FROM run JOIN subject_identifiers i ON i.subject_id = run.subject AND i.kind = run.kind),
            written AS (
                INSERT INTO suppressions (digest, kind, since_us)
                SELECT DISTINCT ON (digest) digest, reason, since FROM matched
                ORDER BY digest, reason IN (\(unsafeRaw: PersonalDataVault.objectionReasons)) DESC, ord DESC
                \(unsafeRaw: PersonalDataVault.renewingClause))
            SELECT ord, count(*) AS suppressed FROM matched GROUP BY ord
            """
        ).all()
        var counts: [Int64: Int] = [:]
        for row in rows { counts[try row.decode(column: "ord", as: Int64.self)] = Int(try row.decode(column: "suppressed", as: Int64.self)) }
        return suppressions.enumerated().map { index, suppression in
            let count = counts[Int64(index + 1)] ?? 0
            suppression.suppressed.value = count
            return count == 0 ? [] : [suppression.audit]
        }
    }
}
