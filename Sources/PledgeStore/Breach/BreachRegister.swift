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
    @discardableResult
    public func change(
        _ id: UUID, action: String, detail: String?, actor: String, at instant: Date, _ change: @escaping @Sendable (Breach) throws -> Breach
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
                    ico_notified_us = \(bind: changed.icoNotifiedAt?.microseconds), ico_reference = \(bind: changed.icoReference),
                    lateness_reason = \(bind: changed.latenessReason), individuals_notified_us = \(bind: changed.individualsNotifiedAt?.microseconds)
                    WHERE id = \(bind: id.storedText)
                    """
                ).run()
                result.value = changed
                return [AuditRecord(actor: actor, action: action, object: "breach:\(id.storedText)", after: detail, at: instant)]
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
        // A category, or one within it: "user.contact" covers "user.contact.email" (compared as a prefix, no LIKE wildcards).
        let within = categories.map { category -> SQLQueryString in
            "category = \(bind: category) OR substr(category, 1, \(literal: category.count + 1)) = \(bind: category + ".")"
        }.joined(separator: " OR ")
        return try await vault.sql.raw(
            "SELECT COUNT(DISTINCT subject_id) AS n FROM personal_values WHERE collected_us <= \(bind: until.microseconds) AND (\(within))"
        ).first()?.decode(column: "n", as: Int.self) ?? 0
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
