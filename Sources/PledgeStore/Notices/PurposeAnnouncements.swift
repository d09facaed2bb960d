import Foundation
import PledgeCore
import SQLKit

/// Tells the people a new purpose will concern before it starts (issue 29 §5; C44; UK GDPR Art
/// 13(3)): Core's letter (`PurposeAnnouncement`) queued in the outbox to each person in the vault
/// whose subject categories the purpose names, at their email address, sealed with their own key;
/// once per notice version and purpose, recorded in the same unit as the messages.
public struct PurposeAnnouncements: Sendable {
    let vault: PersonalDataVault

    public init(vault: PersonalDataVault) {
        self.vault = vault
    }

    /// What announcing one purpose did.
    public struct Outcome: Sendable, Equatable {
        public var purpose: String
        public var startsOn: CalendarDate
        /// Messages queued, one per person concerned with an email address.
        public var queued: Int
        /// People concerned with no email address: the notice itself is how they learn of it.
        public var withoutAddress: Int
    }

    /// Announces each purpose `introduced` names (id and start day) that is owed a letter and not
    /// yet announced for `version`; the outcomes of those announced now.
    public func announce(
        _ introduced: [String: CalendarDate], version: String, declaration: Declaration, noticeURL: String, at instant: Date
    ) async throws -> [Outcome] {
        var outcomes: [Outcome] = []
        for (id, starts) in introduced.sorted(by: { $0.key < $1.key }) {
            guard let purpose = declaration.purposes.first(where: { $0.id == id }),
                let letter = PurposeAnnouncement(purpose: purpose, starts: starts, organisation: declaration.organisation, noticeURL: noticeURL),
                try await !announced(id, version: version)
            else { continue }
            let concerned = Set(purpose.subjects)
            let subjects = try await vault.sql.raw("SELECT id, categories FROM subjects ORDER BY id").all().compactMap { row -> UUID? in
                let categories = try row.decode(column: "categories", as: String.self).splitList
                return categories.contains(where: concerned.contains) ? UUID(canonical: try row.decode(column: "id", as: String.self)) : nil
            }
            let letters = try await vault.letters(letter.subject, letter.text, to: subjects, purpose: "announce:\(id)", actor: "pledge", at: instant)
            let withoutAddress = subjects.count - letters.count
            try await vault.journal.commit(
                JournalUnit { sql in
                    try await sql.insert(into: "purpose_announcements")
                        .columns("notice_version", "purpose", "starts_on", "queued_us", "queued", "without_address")
                        .values(
                            [version, id, starts.description, instant.microseconds, Int64(letters.count), Int64(withoutAddress)]
                                as [any Encodable & Sendable]
                        ).run()
                    let queued = try await PersonalDataVault.queue(letters, at: instant, on: sql)
                    return queued + [
                        AuditRecord(
                            actor: "pledge", action: "purpose.announce", object: "purpose:\(id)", field: version,
                            after: "\(letters.count) queued, \(withoutAddress) without an address", at: instant)
                    ]
                })
            outcomes.append(Outcome(purpose: id, startsOn: starts, queued: letters.count, withoutAddress: withoutAddress))
        }
        return outcomes
    }

    /// Whether `purpose` was announced for notice `version`.
    public func announced(_ purpose: String, version: String) async throws -> Bool {
        try await vault.sql.raw(
            "SELECT 1 AS one FROM purpose_announcements WHERE notice_version = \(bind: version) AND purpose = \(bind: purpose)"
        ).first() != nil
    }
}
