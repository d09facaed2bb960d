import Foundation
import PledgeCore
import SQLKit

/// The breach register (C39; UK GDPR Art 33(5)): every breach with its facts, effects, remedial action,
/// assessment and notifications, each change one audited unit. The rules of each change are Core's
/// (`Breach.assessed`, `.notifiedToICO`, `.notifiedToIndividuals`); this stores what they return.
public struct BreachRegister: Sendable {
    let vault: PersonalDataVault

    public init(vault: PersonalDataVault) {
        self.vault = vault
    }

    /// Records a new breach.
    public func record(_ breach: Breach, actor: String) async throws {
        try await vault.journal.commit(
            JournalUnit { sql in
                try await sql.insert(into: "breaches")
                    .columns(
                        "id", "aware_us", "recorded_us", "reported_by", "facts", "categories", "approx_subjects", "approx_records", "consequences",
                        "measures"
                    )
                    .values(
                        [
                            breach.id.storedText, breach.awareAt.microseconds, breach.recordedAt.microseconds, breach.reportedBy, breach.facts,
                            breach.categories.joined(separator: ","), breach.approximateSubjects.map(Int64.init),
                            breach.approximateRecords.map(Int64.init), breach.consequences, breach.measures,
                        ] as [any Encodable & Sendable]
                    ).run()
                return [AuditRecord(actor: actor, action: "breach.record", object: "breach:\(breach.id.storedText)", at: breach.recordedAt)]
            })
    }

    /// Changes a breach by `change` (one of Core's transitions) in one unit, audited as `action`
    /// with `detail`; refused `notFound` when there is none.
    /// `also` runs in the same unit after the change, returning its own audit records.
    @discardableResult
    public func change(
        _ id: UUID, action: String, detail: String?, actor: String, at instant: Date, _ change: @escaping @Sendable (Breach) throws -> Breach,
        also: (@Sendable (any SQLDatabase) async throws -> [AuditRecord])? = nil
    ) async throws -> Breach {
        let result = JournalResult<Breach>()
        try await vault.journal.commit(
            JournalUnit { sql in
                guard let row = try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM breaches WHERE id = \(bind: id.storedText)").first() else {
                    throw BreachRefusal.notFound
                }
                let changed = try change(try Self.breach(row))
                try await sql.raw(
                    """
                    UPDATE breaches SET risk = \(bind: changed.risk?.rawValue), risk_reasoning = \(bind: changed.riskReasoning),
                    consequences = \(bind: changed.consequences), measures = \(bind: changed.measures),
                    ico_notified_us = \(bind: changed.icoNotifiedAt?.microseconds), ico_reference = \(bind: changed.icoReference),
                    lateness_reason = \(bind: changed.latenessReason), individuals_notified_us = \(bind: changed.individualsNotifiedAt?.microseconds)
                    WHERE id = \(bind: id.storedText)
                    """
                ).run()
                result.value = changed
                let more = try await also?(sql) ?? []
                return [AuditRecord(actor: actor, action: action, object: "breach:\(id.storedText)", after: detail, at: instant)] + more
            })
        return try result.get()
    }

    public func find(_ id: UUID) async throws -> Breach? {
        try await vault.sql.raw("SELECT \(unsafeRaw: Self.columns) FROM breaches WHERE id = \(bind: id.storedText)").first().map(Self.breach)
    }

    /// The register, newest awareness first (Art 33(5)).
    public func all(limit: Int = 1000) async throws -> [Breach] {
        try await vault.sql.raw("SELECT \(unsafeRaw: Self.columns) FROM breaches ORDER BY aware_us DESC, id LIMIT \(literal: limit)").all()
            .map(Self.breach)
    }

    /// How many people the vault holds data of in `categories` (each, or any category within it),
    /// collected before `until`: the breach's scope, computed rather than guessed (issue 29 §2).
    public func scope(categories: [String], until: Date) async throws -> Int {
        guard !categories.isEmpty else { return 0 }
        return try await vault.sql.raw("SELECT COUNT(DISTINCT subject_id) AS n FROM personal_values WHERE \(Self.inScope(categories, until: until))")
            .first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The values in scope: in `categories`, or a category within one ("user.contact" covers
    /// "user.contact.email", compared as a prefix, no LIKE wildcards), collected before `until`;
    /// none without categories.
    static func inScope(_ categories: [String], until: Date) -> SQLQueryString {
        // A breach recorded without categories concerns no value Pledge can name (and `AND ()` is no SQL).
        guard !categories.isEmpty else { return "1 = 0" }
        let within = categories.map { category -> SQLQueryString in
            "category = \(bind: category) OR substr(category, 1, \(literal: category.count + 1)) = \(bind: category + ".")"
        }.joined(separator: " OR ")
        return "collected_us <= \(bind: until.microseconds) AND (\(within))"
    }

    /// What telling the people concerned did.
    public struct NoticeOutcome: Sendable {
        public var breach: Breach
        /// Messages queued, one per person in scope with an email address.
        public var queued: Int
        /// People in scope the vault holds no email address for: staff tell them another way.
        public var withoutAddress: Int
    }

    /// Tells the people breach `id` concerns (UK GDPR Art 34): Core's notice (`BreachNotice`, Art
    /// 34(2)) queued in the outbox to each person in scope at their email address, sealed with their
    /// own key, and the breach recorded as told, in one unit: all of it, or (a refusal, a second
    /// node racing) nothing. Each address read is audited under `breach:ID`.
    public func tellIndividuals(_ id: UUID, organisation: Organisation, actor: String, at instant: Date) async throws -> NoticeOutcome {
        guard let breach = try await find(id) else { throw BreachRefusal.notFound }
        let notice = try BreachNotice(for: breach, organisation: organisation)
        let subjects = try await vault.sql.raw(
            "SELECT DISTINCT subject_id FROM personal_values WHERE \(Self.inScope(breach.categories, until: breach.awareAt)) ORDER BY subject_id"
        ).all().compactMap { UUID(canonical: try $0.decode(column: "subject_id", as: String.self)) }
        let letters = try await vault.letters(
            notice.subject, notice.text, to: subjects, purpose: "breach:\(id.storedText)", actor: actor, at: instant)
        let told = try await change(id, action: "breach.notify-individuals", detail: "\(letters.count) queued", actor: actor, at: instant) {
            try $0.notifiedToIndividuals(at: instant, checkedAt: instant)
        } also: { sql in
            try await PersonalDataVault.queue(letters, at: instant, on: sql)
        }
        return NoticeOutcome(breach: told, queued: letters.count, withoutAddress: subjects.count - letters.count)
    }

    static let columns = """
        id, aware_us, recorded_us, reported_by, facts, categories, approx_subjects, approx_records, consequences, measures, risk, risk_reasoning,
        ico_notified_us, ico_reference, lateness_reason, individuals_notified_us
        """

    static func breach(_ row: any SQLRow) throws -> Breach {
        let id = try row.decode(column: "id", as: String.self)
        func instant(_ column: String) throws -> Date? { try row.decode(column: column, as: Int64?.self).map(Date.init(microseconds:)) }
        var breach = Breach(
            id: try UUID(canonical: id).stored(in: "breaches", row: id, column: "id"),
            awareAt: Date(microseconds: try row.decode(column: "aware_us", as: Int64.self)),
            reportedBy: try row.decode(column: "reported_by", as: String.self),
            recordedAt: Date(microseconds: try row.decode(column: "recorded_us", as: Int64.self)),
            facts: try row.decode(column: "facts", as: String.self),
            categories: try row.decode(column: "categories", as: String.self).splitList,
            approximateSubjects: try row.decode(column: "approx_subjects", as: Int64?.self).map(Int.init),
            approximateRecords: try row.decode(column: "approx_records", as: Int64?.self).map(Int.init),
            consequences: try row.decode(column: "consequences", as: String?.self), measures: try row.decode(column: "measures", as: String?.self))
        breach.risk = try row.decode(column: "risk", as: String?.self).map {
            try BreachRisk(rawValue: $0).stored(in: "breaches", row: id, column: "risk")
        }
        breach.riskReasoning = try row.decode(column: "risk_reasoning", as: String?.self)
        breach.icoNotifiedAt = try instant("ico_notified_us")
        breach.icoReference = try row.decode(column: "ico_reference", as: String?.self)
        breach.latenessReason = try row.decode(column: "lateness_reason", as: String?.self)
        breach.individualsNotifiedAt = try instant("individuals_notified_us")
        return breach
    }
}
