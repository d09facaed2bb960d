import Foundation
import PledgeCore
import SQLKit

/// A change to a subject's standing, each audited.
public enum SubjectChange: Sendable, Equatable {
    /// Restrict or lift restriction (UK GDPR Art 18).
    case restriction(Bool)
    /// Place or lift a legal hold.
    case legalHold(Bool)
    /// An objection to one purpose (Art 21(1)), optionally answered with compelling grounds.
    case objection(purpose: String, compellingGrounds: String?)
    /// An objection to all direct marketing (Art 21(2)-(3)).
    case marketingObjection
    /// A new relationship stage (C04): `ended` starts retention clocks.
    case stage(String)
}

extension PersonalDataVault {
    /// Applies `change` to a subject; throws `subjectNotFound` when there is none.
    public func apply(_ change: SubjectChange, to id: UUID, actor: String, at instant: Date) async throws {
        try await apply([change], to: id, actor: actor, at: instant)
    }

    /// Applies `changes` together, in one transaction: all or none.
    public func apply(_ changes: [SubjectChange], to id: UUID, actor: String, at instant: Date) async throws {
        let subject = id.storedText
        try await journal.commit(JournalUnit { sql in
            guard try await sql.raw("SELECT id FROM subjects WHERE id = \(bind: subject)").first() != nil else {
                throw VaultRefusal.subjectNotFound
            }
            var audit: [AuditRecord] = []
            for change in changes {
                audit.append(try await Self.write(change, subject: subject, in: sql, actor: actor, at: instant))
            }
            return audit
        })
        cache.update(id) { state in
            for change in changes { state.apply(change, at: instant) }
        }
    }

    /// Stores one change and returns its audit record.
    private static func write(_ change: SubjectChange, subject: String, in sql: any SQLDatabase, actor: String, at instant: Date) async throws -> AuditRecord {
        let object = "subject:\(subject)"
        let now = instant.microseconds
        switch change {
        case .restriction(let on):
            try await sql.raw("UPDATE subjects SET restricted = \(bind: on) WHERE id = \(bind: subject)").run()
            return AuditRecord(actor: actor, action: on ? "subject.restrict" : "subject.unrestrict", object: object, at: instant)
        case .legalHold(let on):
            try await sql.raw("UPDATE subjects SET legal_hold = \(bind: on) WHERE id = \(bind: subject)").run()
            return AuditRecord(actor: actor, action: on ? "subject.legal-hold" : "subject.legal-hold-lift", object: object, at: instant)
        case .objection(let purpose, let grounds):
            try await sql.raw("DELETE FROM objections WHERE subject_id = \(bind: subject) AND purpose = \(bind: purpose)").run()
            try await sql.insert(into: "objections").columns("subject_id", "purpose", "at_us", "compelling_grounds")
                .values([subject, purpose, now, grounds] as [any Encodable & Sendable]).run()
            return AuditRecord(actor: actor, action: grounds == nil ? "subject.object" : "subject.object-overridden",
                               object: object, purpose: purpose, at: instant)
        case .marketingObjection:
            try await sql.raw("UPDATE subjects SET marketing_objection_us = \(bind: now) WHERE id = \(bind: subject)").run()
            return AuditRecord(actor: actor, action: "subject.object-marketing", object: object, at: instant)
        case .stage(let stage):
            try await sql.raw("UPDATE subjects SET stage = \(bind: stage), stage_changed_us = \(bind: now) WHERE id = \(bind: subject)").run()
            return AuditRecord(actor: actor, action: "subject.stage", object: object, after: stage, at: instant)
        }
    }

    /// Erases a subject (UK GDPR Art 17): destroys their data key first (crypto-shredding, so every
    /// copy of their sealed values, backups included, is unreadable), then deletes their values,
    /// identifiers, interactions, objections, tasks and the subject row. The consent ledger keeps
    /// its entries: they hold no personal data once nothing links the id to a person, and they prove
    /// what was and was not consented to (Art 7(1)). Refused under a legal hold (Art 17(3)(e)).
    public func erase(_ id: UUID, reason: String, actor: String, at instant: Date) async throws -> ErasureReceipt {
        let subject = id.storedText
        let receipt = JournalResult<ErasureReceipt>()
        try await journal.commit(JournalUnit { sql in
            guard let row = try await sql.raw("SELECT legal_hold FROM subjects WHERE id = \(bind: subject)").first() else {
                throw VaultRefusal.subjectNotFound
            }
            if try row.decode(column: "legal_hold", as: Bool.self) { throw VaultRefusal.legalHold }
            try await sql.raw("DELETE FROM subject_keys WHERE subject_id = \(bind: subject)").run()
            let values = try await Self.count(sql, "personal_values", subject)
            let identifiers = try await Self.count(sql, "subject_identifiers", subject)
            let interactions = try await Self.count(sql, "interactions", subject)
            for table in ["personal_values", "subject_identifiers", "interactions", "objections", "art14_tasks"] {
                try await sql.raw("DELETE FROM \(ident: table) WHERE subject_id = \(bind: subject)").run()
            }
            try await sql.raw("DELETE FROM subjects WHERE id = \(bind: subject)").run()
            receipt.value = ErasureReceipt(values: values, identifiers: identifiers, interactions: interactions)
            return [AuditRecord(actor: actor, action: "subject.erase", object: "subject:\(subject)", field: reason,
                                before: "\(values) values, \(identifiers) identifiers, \(interactions) interactions", at: instant)]
        })
        cache.remove(id)
        return receipt.value!
    }

    private static func count(_ sql: any SQLDatabase, _ table: String, _ subject: String) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table) WHERE subject_id = \(bind: subject)").first()!.decode(column: "n", as: Int.self)
    }
}

extension SubjectState {
    /// The gate's view after `change`.
    mutating func apply(_ change: SubjectChange, at instant: Date) {
        switch change {
        case .restriction(let on): restricted = on
        case .legalHold(let on): legalHold = on
        case .objection(let purpose, let grounds): objections[purpose] = Objection(at: instant, compellingGrounds: grounds)
        case .marketingObjection: marketingObjection = instant
        case .stage: break
        }
    }
}
