import Foundation
import PledgeCore
import SQLKit

extension PersonalDataVault {
    /// Applies `change` to a subject; throws `subjectNotFound` when there is none.
    public func apply(_ change: SubjectChange, to id: UUID, actor: String, at instant: Date) async throws {
        try await apply([change], to: id, actor: actor, at: instant)
    }

    /// Applies `changes` together, in one transaction: all or none.
    public func apply(_ changes: [SubjectChange], to id: UUID, actor: String, at instant: Date) async throws {
        try await journal.commit([applying(changes, to: id, actor: actor, at: instant)])
    }

    /// The write that applies `changes`, not yet committed.
    func applying(_ changes: [SubjectChange], to id: UUID, actor: String, at instant: Date) -> VaultWrite {
        let subject = id.storedText
        return VaultWrite(
            unit: JournalUnit { sql in
                guard try await sql.raw("SELECT id FROM subjects WHERE id = \(bind: subject)").first() != nil else {
                    throw VaultRefusal.subjectNotFound
                }
                var audit: [AuditRecord] = []
                for change in changes {
                    audit.append(try await Self.write(change, subject: subject, in: sql, actor: actor, at: instant))
                }
                try await Self.bumpGateVersion(of: subject, in: sql)
                return audit
            },
            committed: { [cache] in
                cache.update(id, moved: GateVersion(flags: 1, consents: 0)) { state in
                    for change in changes { state.apply(change, at: instant) }
                }
            })
    }

    /// Stores one change and returns its audit record.
    private static func write(
        _ change: SubjectChange, subject: String, in sql: any SQLDatabase, actor: String, at instant: Date
    ) async throws -> AuditRecord {
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
            return AuditRecord(
                actor: actor, action: grounds == nil ? "subject.object" : "subject.object-overridden",
                object: object, purpose: purpose, at: instant)
        case .marketingObjection:
            try await sql.raw("UPDATE subjects SET marketing_objection_us = \(bind: now) WHERE id = \(bind: subject)").run()
            return AuditRecord(actor: actor, action: "subject.object-marketing", object: object, at: instant)
        case .stage(let stage):
            try await sql.raw("UPDATE subjects SET stage = \(bind: stage), stage_changed_us = \(bind: now) WHERE id = \(bind: subject)").run()
            return AuditRecord(actor: actor, action: "subject.stage", object: object, after: stage, at: instant)
        case .provenance(let provenance):
            try await sql.raw(
                """
                UPDATE subjects SET obtained = \(bind: provenance.obtained.rawValue), obtained_source = \(bind: provenance.source),
                refusal_offered = \(bind: provenance.refusalOffered), subscriber = \(bind: provenance.subscriber.rawValue) WHERE id = \(bind: subject)
                """
            ).run()
            return AuditRecord(
                actor: actor, action: "subject.provenance", object: object,
                after: "\(provenance.obtained.rawValue), \(provenance.subscriber.rawValue)\(provenance.refusalOffered ? ", refusal offered" : "")",
                at: instant)
        case .digestFrequency(let frequency):
            try await sql.raw("UPDATE subjects SET digest_frequency = \(bind: frequency.rawValue) WHERE id = \(bind: subject)").run()
            return AuditRecord(actor: actor, action: "subject.digest-frequency", object: object, after: frequency.rawValue, at: instant)
        case .marketingPause(let until):
            try await sql.raw("UPDATE subjects SET marketing_paused_until_us = \(bind: until?.microseconds) WHERE id = \(bind: subject)").run()
            return AuditRecord(
                actor: actor, action: until == nil ? "subject.marketing-resume" : "subject.marketing-pause", object: object,
                after: until.map { CalendarDate(utc: $0).description }, at: instant)
        }
    }

    /// Erases a subject (UK GDPR Art 17): destroys their data key first (crypto-shredding, so every
    /// copy of their sealed values, backups included, is unreadable), then deletes their values,
    /// identifiers, interactions, objections, tasks and the subject row. The consent ledger keeps its
    /// entries, pseudonymised: the holder becomes a fresh random id, so they still prove what was
    /// consented to (Art 7(1)) but point at nobody. When the subject had objected to marketing, the
    /// blind-index digests of their identifiers stay as a suppression stub, so the opt-out still holds
    /// if they are collected again (Art 21(3); ICO direct marketing guidance on suppression lists).
    ///
    /// `keeping` names the purposes whose data a statute requires to be kept (Art 17(3)(b),(e)):
    /// those values stay, sealed, with the key and identifiers needed to find them, and the subject is
    /// restricted to that use (Art 18(2)); the receipt names them. Refused under a legal hold.
    public func erase(_ id: UUID, reason: String, keeping: StatutoryRetention, actor: String, at instant: Date) async throws -> ErasureReceipt {
        let (write, receipt) = erasing(id, reason: reason, keeping: keeping, actor: actor, at: instant)
        try await journal.commit([write])
        return try receipt.get()
    }

    /// The write that erases a subject, not yet committed, and the receipt it fills in.
    func erasing(
        _ id: UUID, reason: String, keeping: StatutoryRetention, actor: String, at instant: Date
    ) -> (VaultWrite, JournalResult<ErasureReceipt>) {
        let subject = id.storedText
        let receipt = JournalResult<ErasureReceipt>()
        let unit = JournalUnit { sql in
            guard let row = try await sql.raw("SELECT legal_hold FROM subjects WHERE id = \(bind: subject)").first() else {
                throw VaultRefusal.subjectNotFound
            }
            if try row.decode(column: "legal_hold", as: Bool.self) { throw VaultRefusal.legalHold }
            var kept: [KeptData] = []
            for (purpose, why) in keeping.purposes.sorted(by: { $0.key < $1.key }) {
                let n = try await sql.count(
                    "SELECT COUNT(*) AS n FROM personal_values WHERE subject_id = \(bind: subject) AND purpose = \(bind: purpose)",
                    table: "personal_values")
                if n > 0 { kept.append(KeptData(purpose: purpose, values: n, reason: why)) }
            }
            let keptPurposes = kept.map(\.purpose)
            var counts = ErasedCounts()
            if kept.isEmpty {
                counts = try await Self.eraseWhole([subject], in: sql, at: instant)[subject] ?? ErasedCounts()
            } else {
                let list = SQLQueryString.members([subject], in: sql)
                try await Self.suppressObjectors(list, in: sql, at: instant)
                counts.values = try await Self.count(sql, "personal_values", subject) - kept.reduce(0) { $0 + $1.values }
                counts.interactions = try await Self.count(sql, "interactions", subject)
                try await Self.pseudonymiseConsents(list, in: sql, at: instant)
                try await sql.delete(from: "personal_values").where("subject_id", .equal, subject).where("purpose", .notIn, keptPurposes).run()
                for table in ["interactions", "objections", "art14_tasks"] {
                    try await sql.raw("DELETE FROM \(ident: table) WHERE subject_id = \(bind: subject)").run()
                }
                try await sql.raw("UPDATE subjects SET restricted = \(bind: true) WHERE id = \(bind: subject)").run()
                try await Self.bumpGateVersion(of: subject, in: sql)
            }
            receipt.value = ErasureReceipt(values: counts.values, identifiers: counts.identifiers, interactions: counts.interactions, kept: kept)
            return [
                AuditRecord(
                    actor: actor, action: kept.isEmpty ? "subject.erase" : "subject.erase-partial", object: "subject:\(subject)", field: reason,
                    before: counts.summary,
                    after: kept.isEmpty ? nil : kept.map { "\($0.purpose): \($0.reason)" }.joined(separator: "; "), at: instant)
            ]
        }
        return (
            VaultWrite(
                unit: unit,
                committed: { [cache, erasures] in
                    if receipt.value?.kept.isEmpty == false {
                        cache.update(id, moved: nil) { $0.restricted = true }
                    } else {
                        cache.remove(id)
                        // If this fails, the next start adds it from the audit trail (`ErasureLedger.reapply`).
                        try? erasures?.record(id, at: instant)
                    }
                }), receipt
        )
    }

    private static func count(_ sql: any SQLDatabase, _ table: String, _ subject: String) async throws -> Int {
        try await sql.count("SELECT COUNT(*) AS n FROM \(ident: table) WHERE subject_id = \(bind: subject)", table: table)
    }
}

extension PersonalDataVault {
    /// What `subject` chose about digests and pausing marketing (issue 28 §5); nil when the subject is gone.
    public func marketingChoices(of subject: UUID) async throws -> MarketingChoices? {
        let id = subject.storedText
        guard
            let row = try await sql.raw("SELECT digest_frequency, marketing_paused_until_us FROM subjects WHERE id = \(bind: id)").first()
        else { return nil }
        return MarketingChoices(
            digestFrequency: try row.decode(column: "digest_frequency", as: String?.self).map {
                try DigestFrequency(rawValue: $0).stored(in: "subjects", row: id, column: "digest_frequency")
            },
            pausedUntil: try row.decode(column: "marketing_paused_until_us", as: Int64?.self).map(Date.init(microseconds:)))
    }

    /// The preference sheet of `subject` under `declaration` at `instant`; nil when the subject is gone.
    public func preferenceSheet(of subject: UUID, declaration: Declaration, at instant: Date) async throws -> PreferenceSheet? {
        guard let state = try await state(of: subject), let choices = try await marketingChoices(of: subject) else { return nil }
        return PreferenceSheet(declaration: declaration, state: state, choices: choices, at: instant)
    }
}
