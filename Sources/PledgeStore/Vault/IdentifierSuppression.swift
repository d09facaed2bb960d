import Foundation
import PledgeCore

/// A one-click unsubscribe's write as data: suppress every identifier of one kind a subject has.
/// A unit carries it beside the same write as `work`; the SQLite writer runs it through its own
/// prepared statement in the plain append (`Journal.appendPlain`), one statement a unit, where the
/// work would send the whole batch down the locked path, a savepoint a unit (`bench/http.sh`:
/// unsubscribes went at a third of the rate of consent writes). It cannot fail for one unit alone
/// (the upsert meets no constraint), so it needs no savepoint. PostgreSQL runs the work on the locked
/// path, also without a savepoint (`Journal.appendLockedOnce`): 1,518 unsubscribes a second became
/// 2,379 beside 2,717 consent writes (bench/http.sh).
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
}
