import Foundation
import PledgeCore
import SQLKit

/// The suppression list (issue 28 §4; C18): one list of keyed hashes of addresses and numbers
/// (the blind index's digests), checked at every marketing send. It outlives the person's erasure,
/// holding nothing readable (Art 21(3); ICO direct marketing guidance on suppression lists).
extension PersonalDataVault {
    /// A suppression as the list holds it.
    public struct Suppression: Sendable, Equatable {
        public var reason: SuppressionReason
        public var since: Date
    }

    /// Suppresses marketing to `identifier` for `reason`. An objection also stands for the subject
    /// who has the identifier, now (Art 21(3)); one created later with it starts objecting.
    public func suppress(_ identifier: SubjectIdentifier, reason: SuppressionReason, actor: String, at instant: Date) async throws {
        let digest = keys.blindIndex.digest(identifier)
        var writes = [suppressing(digest, reason: reason, actor: actor, at: instant)]
        if reason.isObjection, let holder = try await Self.subject(withDigest: digest, in: sql) {
            writes.append(applying([.marketingObjection], to: holder, actor: actor, at: instant))
        }
        try await journal.commit(writes)
    }

    /// Suppresses every address of `medium` the subject has, for `reason` (an unsubscribe link names
    /// the person, not the address); `campaign` goes in the audit record. Returns how many addresses
    /// were suppressed: none when the subject is gone (erased: nothing left to write to).
    @discardableResult
    public func suppressAddresses(
        of subject: UUID, kind: IdentifierKind, reason: SuppressionReason, campaign: UUID?, actor: String, at instant: Date
    ) async throws -> Int {
        let suppressed = JournalResult<Int>()
        let id = subject.storedText
        let audit = AuditRecord(
            actor: actor, action: "suppression.add", object: "subject:\(id)", field: reason.rawValue,
            after: campaign.map { "campaign:\($0.lowercasedString)" }, at: instant)
        var unit = JournalUnit { sql in
            let count = try await Self.suppressIdentifiers(of: id, kind: kind, reason: reason, at: instant, in: sql)
            suppressed.value = count
            return count == 0 ? [] : [audit]
        }
        unit.suppression = IdentifierSuppression(subject: id, kind: kind, reason: reason, since: instant, audit: audit, suppressed: suppressed)
        try await journal.commit(unit)
        return suppressed.value ?? 0
    }

    /// The suppression of `identifier`, if it is suppressed.
    public func suppression(of identifier: SubjectIdentifier) async throws -> Suppression? {
        let digest = keys.blindIndex.digest(identifier)
        guard let row = try await sql.raw("SELECT kind, since_us FROM suppressions WHERE digest = \(bind: digest)").first() else { return nil }
        let kind = try row.decode(column: "kind", as: String.self)
        return Suppression(
            reason: try SuppressionReason(rawValue: kind).stored(in: "suppressions", row: "digest", column: "kind"),
            since: Date(microseconds: try row.decode(column: "since_us", as: Int64.self)))
    }

    /// The write that suppresses an identifier's digest for `reason`, not yet committed; none without a digest.
    func suppressing(_ digest: Data?, reason: SuppressionReason, actor: String, at instant: Date) -> VaultWrite {
        guard let digest else { return VaultWrite(unit: JournalUnit()) }
        return VaultWrite(
            unit: JournalUnit { sql in
                try await Self.suppress(digest, reason: reason, at: instant, in: sql)
                return [AuditRecord(actor: actor, action: "suppression.add", object: "suppression", field: reason.rawValue, at: instant)]
            })
    }

    /// Suppresses the subject's identifiers of `kind` (every kind when nil) for `reason`, renewing any
    /// suppression they had; returns how many. One statement: a one-click unsubscribe is this and the
    /// journal's append, and each round trip inside the journal's lock counts (`bench/http.sh`).
    static func suppressIdentifiers(
        of subject: String, kind: IdentifierKind?, reason: SuppressionReason, at instant: Date, in sql: any SQLDatabase
    ) async throws -> Int {
        let filter: SQLQueryString = kind.map { "AND kind = \(bind: $0.rawValue)" } ?? ""
        return try await sql.raw(
            """
            INSERT INTO suppressions (digest, kind, since_us)
            SELECT digest, \(bind: reason.rawValue), \(bind: instant.microseconds) FROM subject_identifiers WHERE subject_id = \(bind: subject) \(filter)
            \(renewing) RETURNING digest
            """
        ).all().count
    }

    /// Writes (or renews) the suppression of one identifier digest.
    static func suppress(_ digest: Data, reason: SuppressionReason, at instant: Date, in sql: any SQLDatabase) async throws {
        try await sql.raw(
            "INSERT INTO suppressions (digest, kind, since_us) VALUES (\(bind: digest), \(bind: reason.rawValue), \(bind: instant.microseconds)) \(renewing)"
        ).run()
    }

    /// A suppression written again takes the new reason and the date it runs from, unless it keeps an
    /// objection (`SuppressionReason.renewed(by:)`, whose SQL twin this is; SQLite and PostgreSQL alike).
    private static let renewing: SQLQueryString = "\(unsafeRaw: renewingClause)"

    /// `renewing` as text, for statements prepared outside SQLKit (`IdentifierSuppression`).
    static let renewingClause: String = {
        let keeps = "suppressions.kind IN (\(objectionReasons)) AND excluded.kind NOT IN (\(objectionReasons))"
        return "ON CONFLICT (digest) DO UPDATE SET kind = CASE WHEN \(keeps) THEN suppressions.kind ELSE excluded.kind END, "
            + "since_us = CASE WHEN \(keeps) THEN suppressions.since_us ELSE excluded.since_us END"
    }()

    /// The reasons that are objections, as an SQL list: `'objection', …`.
    static let objectionReasons = SuppressionReason.allCases.filter(\.isObjection).map { "'\($0.rawValue)'" }.joined(separator: ", ")
}
