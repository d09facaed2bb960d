import Foundation
import PledgeCore
import SQLKit

/// The legal holds the retention sweep obeys (issue 29 §1), each placed and lifted as one audited
/// unit. The rules of a hold are Core's (`RetentionHold.placed`, `.lifted`); this resolves what it
/// holds and stores it.
public struct RetentionHolds: Sendable {
    let vault: PersonalDataVault

    public init(vault: PersonalDataVault) {
        self.vault = vault
    }

    /// Places a hold on a subject (by id), a request case (by id) or a data category; refused
    /// `holdTargetUnknown` when the subject or case does not exist.
    public func place(
        scope: RetentionHold.Scope, target: String, reason: String, categories: Set<String>, actor: String, at instant: Date
    ) async throws -> RetentionHold {
        let result = JournalResult<RetentionHold>()
        try await vault.journal.commit(
            JournalUnit { sql in
                let subject = try await Self.subject(held: scope, target: target, in: sql)
                let hold = try RetentionHold.placed(
                    scope: scope, target: target, subject: subject, reason: reason, by: actor, at: instant, categories: categories)
                try await sql.insert(into: "retention_holds")
                    .columns("id", "scope", "target", "subject_id", "reason", "placed_by", "placed_us")
                    .values(
                        [
                            hold.id.storedText, scope.rawValue, hold.target, subject?.storedText, hold.reason, actor, instant.microseconds,
                        ] as [any Encodable & Sendable]
                    ).run()
                result.value = hold
                // The reason may name a person or a claim: the audit keeps the scope, not the words.
                return [
                    AuditRecord(
                        actor: actor, action: "retention.hold", object: "hold:\(hold.id.storedText)", field: scope.rawValue,
                        after: subject.map { "subject:\($0.storedText)" } ?? hold.target, at: instant)
                ]
            })
        return try result.get()
    }

    /// Lifts a hold; the data it kept goes at the next sweep if its period has run.
    public func lift(_ id: UUID, actor: String, at instant: Date) async throws -> RetentionHold {
        let result = JournalResult<RetentionHold>()
        try await vault.journal.commit(
            JournalUnit { sql in
                guard let row = try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM retention_holds WHERE id = \(bind: id.storedText)").first()
                else { throw RetentionRefusal.holdNotFound }
                let lifted = try Self.hold(row).lifted(by: actor, at: instant)
                try await sql.raw(
                    "UPDATE retention_holds SET lifted_by = \(bind: actor), lifted_us = \(bind: instant.microseconds) WHERE id = \(bind: id.storedText)"
                ).run()
                result.value = lifted
                return [AuditRecord(actor: actor, action: "retention.hold-lift", object: "hold:\(id.storedText)", at: instant)]
            })
        return try result.get()
    }

    /// Every hold, active ones first, newest first.
    public func all(limit: Int = 1000) async throws -> [RetentionHold] {
        try await vault.sql.raw(
            """
            SELECT \(unsafeRaw: Self.columns) FROM retention_holds
            ORDER BY CASE WHEN lifted_us IS NULL THEN 0 ELSE 1 END, placed_us DESC, id LIMIT \(literal: limit)
            """
        ).all().map(Self.hold)
    }

    /// Whether an active category hold covers one of the statistics purpose's data categories, which
    /// keeps every raw page view: they are not per person, so a hold on their kind keeps them all.
    static func holdsPageViews(_ schedule: RetentionSchedule, in sql: any SQLDatabase) async throws -> Bool {
        let held = try await sql.raw("SELECT \(unsafeRaw: columns) FROM retention_holds WHERE lifted_us IS NULL AND scope = 'category'").all()
            .map(Self.hold)
        return held.contains { hold in schedule.statisticsCategories.contains { hold.covers(category: $0) } }
    }

    /// The subject a subject or case hold keeps; nil for a category hold.
    private static func subject(held scope: RetentionHold.Scope, target: String, in sql: any SQLDatabase) async throws -> UUID? {
        let row: (any SQLRow)?
        switch scope {
        case .category: return nil
        case .subject:
            guard let id = UUID(canonical: target) else { throw RetentionRefusal.holdTargetUnknown }
            row = try await sql.raw("SELECT id AS subject_id FROM subjects WHERE id = \(bind: id.storedText)").first()
        case .case:
            guard let id = UUID(canonical: target) else { throw RetentionRefusal.holdTargetUnknown }
            row = try await sql.raw("SELECT subject_id FROM requests WHERE id = \(bind: id.storedText)").first()
        }
        guard let text = try row?.decode(column: "subject_id", as: String?.self), let subject = UUID(canonical: text) else {
            throw RetentionRefusal.holdTargetUnknown
        }
        return subject
    }

    static let columns = "id, scope, target, subject_id, reason, placed_by, placed_us, lifted_by, lifted_us"

    static func hold(_ row: any SQLRow) throws -> RetentionHold {
        let id = try row.decode(column: "id", as: String.self)
        return RetentionHold(
            id: try UUID(canonical: id).stored(in: "retention_holds", row: id, column: "id"),
            scope: try RetentionHold.Scope(rawValue: try row.decode(column: "scope", as: String.self)).stored(
                in: "retention_holds", row: id, column: "scope"),
            target: try row.decode(column: "target", as: String.self),
            subject: try row.decode(column: "subject_id", as: String?.self).map {
                try UUID(canonical: $0).stored(in: "retention_holds", row: id, column: "subject_id")
            },
            reason: try row.decode(column: "reason", as: String.self), placedBy: try row.decode(column: "placed_by", as: String.self),
            placedAt: Date(microseconds: try row.decode(column: "placed_us", as: Int64.self)),
            liftedBy: try row.decode(column: "lifted_by", as: String?.self),
            liftedAt: try row.decode(column: "lifted_us", as: Int64?.self).map(Date.init(microseconds:)))
    }
}
