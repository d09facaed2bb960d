import Foundation
import PledgeCore
import SQLKit

extension PersonalDataVault {
    /// What a whole erasure removed of one person, for their audit entry and receipt.
    struct ErasedCounts: Sendable {
        var values = 0
        var identifiers = 0
        var interactions = 0

        /// The audit entry's wording: counts, never content.
        var summary: String { "\(values) values, \(identifiers) identifiers, \(interactions) interactions" }
    }

    /// The write that erases whole, in one unit, each of `ids` not under a legal hold when it runs
    /// (retention's erasure of people left with nothing), with one audit entry each, as `erase` writes;
    /// the ids it erased. The same deletion as a request's erasure (`eraseWhole`), set by set.
    func erasingWhole(_ ids: [UUID], reason: String, actor: String, at instant: Date) -> (VaultWrite, JournalResult<[UUID]>) {
        let erased = JournalResult<[UUID]>()
        let unit = JournalUnit { sql in
            let asked = ids.map(\.storedText)
            let free = try await sql.raw(
                "SELECT id FROM subjects WHERE id IN (\(SQLQueryString.members(asked, in: sql))) AND legal_hold = \(bind: false)"
            ).all()
                .map { try $0.decode(column: "id", as: String.self) }.sorted()
            let counts = try await Self.eraseWhole(free, in: sql, at: instant)
            erased.value = try free.map { try UUID(canonical: $0).stored(in: "subjects", row: $0, column: "id") }
            return free.map { subject in
                AuditRecord(
                    actor: actor, action: "subject.erase", object: "subject:\(subject)", field: reason,
                    before: (counts[subject] ?? ErasedCounts()).summary, at: instant)
            }
        }
        return (
            VaultWrite(
                unit: unit,
                committed: { [cache, erasures] in
                    let gone = erased.value ?? []
                    for id in gone { cache.remove(id) }
                    // If this fails, the next start adds them from the audit trail (`ErasureLedger.reapply`).
                    try? erasures?.record(gone, at: instant)
                }), erased
        )
    }

    /// Erases `subjects` whole inside `sql`: their suppression stubs where they objected to marketing,
    /// their consent records pseudonymised, then their keys, values, identifiers, interactions,
    /// objections, tasks, inbox messages and rows deleted, a statement a table for all of them.
    static func eraseWhole(_ subjects: [String], in sql: any SQLDatabase, at instant: Date) async throws -> [String: ErasedCounts] {
        guard !subjects.isEmpty else { return [:] }
        let list = SQLQueryString.members(subjects, in: sql)
        try await suppressObjectors(list, in: sql, at: instant)
        var counts: [String: ErasedCounts] = [:]
        for (table, path) in [
            ("personal_values", \ErasedCounts.values), ("subject_identifiers", \ErasedCounts.identifiers),
            ("interactions", \ErasedCounts.interactions),
        ] {
            for row in try await sql.raw("SELECT subject_id, COUNT(*) AS n FROM \(ident: table) WHERE subject_id IN (\(list)) GROUP BY subject_id")
                .all()
            {
                counts[try row.decode(column: "subject_id", as: String.self), default: ErasedCounts()][keyPath: path] = try row.decode(
                    column: "n", as: Int.self)
            }
        }
        try await pseudonymiseConsents(list, in: sql, at: instant)
        for table in erasedTables {
            try await sql.raw("DELETE FROM \(ident: table) WHERE subject_id IN (\(list))").run()
        }
        try await sql.raw("DELETE FROM subjects WHERE id IN (\(list))").run()
        return counts
    }

    /// The tables whose rows of an erased person go with them, each found by an index on `subject_id`.
    static let erasedTables = [
        "subject_keys", "personal_values", "subject_identifiers", "interactions", "objections", "art14_tasks", "campaign_messages",
    ]

    /// Leaves a suppression stub of the identifiers of those of `list` who objected to marketing, so
    /// the opt-out still holds if they are collected again (Art 21(3)).
    static func suppressObjectors(_ list: SQLQueryString, in sql: any SQLDatabase, at instant: Date) async throws {
        for row in try await sql.raw("SELECT id FROM subjects WHERE id IN (\(list)) AND marketing_objection_us IS NOT NULL").all() {
            _ = try await suppressIdentifiers(of: try row.decode(column: "id", as: String.self), kind: nil, reason: .marketing, at: instant, in: sql)
        }
    }

    /// Gives the consent records of each of `list` a fresh random holder: they still prove what was
    /// consented to (Art 7(1)) but point at nobody, and are kept for the limitation period from now.
    static func pseudonymiseConsents(_ list: SQLQueryString, in sql: any SQLDatabase, at instant: Date) async throws {
        let holders = try await sql.raw("SELECT DISTINCT holder FROM consent_events WHERE holder_kind = 'subject' AND holder IN (\(list))").all()
            .map { try $0.decode(column: "holder", as: String.self) }
        for holder in holders {
            try await sql.raw(
                """
                UPDATE consent_events SET holder_kind = 'erased', holder = \(bind: UUID().storedText), holder_gone_us = \(bind: instant.microseconds)
                WHERE holder_kind = 'subject' AND holder = \(bind: holder)
                """
            ).run()
        }
    }
}
