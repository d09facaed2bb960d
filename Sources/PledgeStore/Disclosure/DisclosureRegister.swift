import Foundation
import PledgeCore
import SQLKit

/// One person's part of a released disclosure: their values in the categories asked for, opened.
public struct DisclosedPerson: Sendable, Equatable {
    public var subject: UUID
    /// The name the release gives them instead of their id, in a data room without the override (C26).
    public var pseudonym: UUID?
    public var values: [StoredValue]
}

/// What a release sent, and whom it left out and why.
public struct DisclosureRelease: Sendable, Equatable {
    public var disclosure: Disclosure
    /// Each person's values; none for an aggregate release.
    public var people: [DisclosedPerson]
    public var excluded: [UUID: DisclosureExclusion]
    /// For a recipient of aggregate data (APX-17, APX-60): per category, how many of the people have
    /// a value in it, counts too small to show left out and named in `withheld`.
    public var counts: [String: Int]?
    public var withheld: [String] = []
}

/// The disclosure register (issue 29 §3; C22, C25): each request logged, decided by a second person
/// and released minimised, every step one audited unit; a release is also logged against each person
/// whose data went, so their access report lists it (Art 15(1)(c)). The rules are Core's (`Disclosure`).
public struct DisclosureRegister: Sendable {
    let vault: PersonalDataVault

    public init(vault: PersonalDataVault) {
        self.vault = vault
    }

    /// Logs a new request.
    public func record(_ disclosure: Disclosure) async throws {
        try await vault.journal.commit(
            JournalUnit { sql in
                try await sql.insert(into: "disclosures")
                    .columns(
                        "id", "requester", "requester_name", "recipient", "country", "verification", "ground", "reference", "agreement", "necessity",
                        "categories", "subjects", "logged_by", "logged_us", "state", "data_room", "identified_because", "recipient_form"
                    )
                    .values(
                        [
                            disclosure.id.storedText, disclosure.requester.rawValue, disclosure.requesterName, disclosure.recipient,
                            disclosure.country,
                            disclosure.verification, disclosure.ground.rawValue, disclosure.reference, disclosure.agreement, disclosure.necessity,
                            disclosure.categories.joined(separator: ","), disclosure.subjects.map(\.storedText).joined(separator: ","),
                            disclosure.loggedBy, disclosure.loggedAt.microseconds, disclosure.state.rawValue, disclosure.isDataRoom,
                            disclosure.identifiedBecause, disclosure.form.rawValue,
                        ] as [any Encodable & Sendable]
                    ).run()
                return [
                    AuditRecord(
                        actor: disclosure.loggedBy, action: "disclosure.log", object: "disclosure:\(disclosure.id.storedText)",
                        field: disclosure.ground.rawValue, after: disclosure.requesterName, at: disclosure.loggedAt)
                ]
            })
    }

    /// Approves or refuses a pending request, as someone other than who logged it.
    public func decide(_ id: UUID, approve: Bool, by actor: String, note: String?, at instant: Date) async throws -> Disclosure {
        let result = JournalResult<Disclosure>()
        try await vault.journal.commit(
            JournalUnit { sql in
                let decided = try await Self.find(id, in: sql).decided(approve: approve, by: actor, note: note, at: instant)
                try await sql.raw(
                    """
                    UPDATE disclosures SET state = \(bind: decided.state.rawValue), decided_by = \(bind: actor),
                    decided_us = \(bind: instant.microseconds), decision_note = \(bind: decided.decisionNote)
                    WHERE id = \(bind: id.storedText) AND state = \(bind: Disclosure.State.pending.rawValue)
                    """
                ).run()
                result.value = decided
                return [
                    AuditRecord(
                        actor: actor, action: approve ? "disclosure.approve" : "disclosure.refuse", object: "disclosure:\(id.storedText)",
                        at: instant)
                ]
            })
        return try result.get()
    }

    /// Releases an approved disclosure: each person's values in the categories asked for, opened,
    /// and nobody whose consent the ground needs and who has not given it. The release and a
    /// `data.disclose` entry per person are committed before anything is returned.
    public func release(_ id: UUID, declaration: Declaration, actor: String, at instant: Date) async throws -> DisclosureRelease {
        guard let stored = try await find(id) else { throw DisclosureRefusal.notFound }
        let released = try stored.released(at: instant)
        var people: [DisclosedPerson] = []
        var excluded: [UUID: DisclosureExclusion] = [:]
        var counted: [String: Int] = [:]
        for subject in stored.subjects {
            if let exclusion = stored.exclusion(of: try await vault.state(of: subject), in: declaration) {
                excluded[subject] = exclusion
                continue
            }
            guard stored.form != .aggregate else {
                // Counted from the categories alone: nothing is opened for a release of counts.
                for category in try await vault.valueCategories(of: subject) where stored.carries(category: category) {
                    counted[category, default: 0] += 1
                }
                continue
            }
            people.append(
                DisclosedPerson(
                    subject: subject, pseudonym: stored.pseudonymises ? UUID() : nil,
                    values: try await vault.openValues(of: subject) { stored.carries(category: $0.category) }))
        }
        let wording = stored.accessLogWording
        try await vault.journal.commit(
            JournalUnit { [people, counted] sql in
                // Released once: a second node's release of the same disclosure finds it released and stops.
                guard try await Self.find(id, in: sql).state == .approved else { throw DisclosureRefusal.notApproved }
                try await sql.raw(
                    """
                    UPDATE disclosures SET state = \(bind: Disclosure.State.released.rawValue), released_us = \(bind: instant.microseconds)
                    WHERE id = \(bind: id.storedText)
                    """
                ).run()
                let summary =
                    released.form == .aggregate
                    ? "counts over \(counted.count) categories" : "\(people.count) people, \(people.reduce(0) { $0 + $1.values.count }) values"
                return [AuditRecord(actor: actor, action: "disclosure.release", object: "disclosure:\(id.storedText)", after: summary, at: instant)]
                    + people.map {
                        AuditRecord(
                            actor: actor, action: "data.disclose", object: "subject:\($0.subject.storedText)", purpose: wording,
                            field: $0.values.map(\.field).joined(separator: ","), at: instant)
                    }
            })
        var release = DisclosureRelease(disclosure: released, people: people, excluded: excluded)
        if released.form == .aggregate { (release.counts, release.withheld) = RecipientDataForm.aggregate(counted) }
        return release
    }

    /// What completing a sale did.
    public struct SaleOutcome: Sendable {
        public var disclosure: Disclosure
        /// Letters queued, one per person of the data room with an email address.
        public var queued: Int
        /// People of the data room with no email address: the buyer tells them (Art 14(3)).
        public var withoutAddress: Int
    }

    /// Records that the business sold after data room `id` passed to the buyer (C26) and, in the
    /// same unit, queues Core's letter naming the new controller to each person of the data room at
    /// their email address, sealed with their own key: all of it once, or nothing.
    public func completeSale(
        _ id: UUID, _ completion: SaleCompletion, organisation: Organisation, actor: String, at instant: Date
    ) async throws -> SaleOutcome {
        guard let stored = try await find(id) else { throw DisclosureRefusal.notFound }
        let completed = try stored.saleCompleted(completion)
        guard let letter = completed.newControllerLetter(organisation: organisation), let sale = completed.saleCompletion else {
            throw DisclosureRefusal.newControllerMissing
        }
        let letters = try await vault.letters(
            letter.subject, letter.text, to: stored.subjects, purpose: "disclosure:\(id.storedText)", actor: actor, at: instant)
        try await vault.journal.commit(
            JournalUnit { sql in
                // Once: a second node completing the same sale finds it completed and stops.
                guard try await Self.find(id, in: sql).saleCompletion == nil else { throw DisclosureRefusal.saleCompletedAlready }
                try await sql.raw(
                    """
                    UPDATE disclosures SET new_controller = \(bind: sale.newController), new_controller_contact = \(bind: sale.contact),
                    sale_effective_on = \(bind: sale.effectiveOn.description), sale_completed_us = \(bind: instant.microseconds)
                    WHERE id = \(bind: id.storedText)
                    """
                ).run()
                return try await PersonalDataVault.queue(letters, at: instant, on: sql) + [
                    AuditRecord(
                        actor: actor, action: "disclosure.sale-complete", object: "disclosure:\(id.storedText)", field: sale.newController,
                        after: "\(letters.count) told", at: instant)
                ]
            })
        return SaleOutcome(disclosure: completed, queued: letters.count, withoutAddress: stored.subjects.count - letters.count)
    }

    public func find(_ id: UUID) async throws -> Disclosure? {
        try await vault.sql.raw("SELECT \(unsafeRaw: Self.columns) FROM disclosures WHERE id = \(bind: id.storedText)").first().map(Self.disclosure)
    }

    /// The register, newest first.
    public func all(limit: Int = 1000) async throws -> [Disclosure] {
        try await vault.sql.raw("SELECT \(unsafeRaw: Self.columns) FROM disclosures ORDER BY logged_us DESC, id LIMIT \(literal: limit)").all()
            .map(Self.disclosure)
    }

    private static func find(_ id: UUID, in sql: any SQLDatabase) async throws -> Disclosure {
        guard let row = try await sql.raw("SELECT \(unsafeRaw: columns) FROM disclosures WHERE id = \(bind: id.storedText)").first() else {
            throw DisclosureRefusal.notFound
        }
        return try disclosure(row)
    }

    static let columns = """
        id, requester, requester_name, recipient, country, verification, ground, reference, agreement, necessity, categories, subjects,
        logged_by, logged_us, state, decided_by, decided_us, decision_note, released_us, data_room, identified_because,
        new_controller, new_controller_contact, sale_effective_on, recipient_form
        """

    static func disclosure(_ row: any SQLRow) throws -> Disclosure {
        let id = try row.decode(column: "id", as: String.self)
        func text(_ column: String) throws -> String { try row.decode(column: column, as: String.self) }
        func optional(_ column: String) throws -> String? { try row.decode(column: column, as: String?.self) }
        var disclosure = Disclosure(
            id: try UUID(canonical: id).stored(in: "disclosures", row: id, column: "id"),
            requester: try DisclosureRequester(rawValue: try text("requester")).stored(in: "disclosures", row: id, column: "requester"),
            requesterName: try text("requester_name"), recipient: try optional("recipient"), country: try text("country"),
            verification: try text("verification"),
            ground: try DisclosureGround(rawValue: try text("ground")).stored(in: "disclosures", row: id, column: "ground"),
            reference: try optional("reference"), agreement: try optional("agreement"), necessity: try text("necessity"),
            categories: try text("categories").splitList,
            subjects: try text("subjects").splitList.map { try UUID(canonical: $0).stored(in: "disclosures", row: id, column: "subjects") },
            loggedBy: try text("logged_by"), loggedAt: Date(microseconds: try row.decode(column: "logged_us", as: Int64.self)))
        disclosure.state = try Disclosure.State(rawValue: try text("state")).stored(in: "disclosures", row: id, column: "state")
        disclosure.decidedBy = try optional("decided_by")
        disclosure.decidedAt = try row.decode(column: "decided_us", as: Int64?.self).map(Date.init(microseconds:))
        disclosure.decisionNote = try optional("decision_note")
        disclosure.releasedAt = try row.decode(column: "released_us", as: Int64?.self).map(Date.init(microseconds:))
        disclosure.isDataRoom = try row.decode(column: "data_room", as: Bool.self)
        disclosure.identifiedBecause = try optional("identified_because")
        // Logged before recipients had a form: identified, as every disclosure then was.
        disclosure.form =
            try optional("recipient_form").map {
                try RecipientDataForm(rawValue: $0).stored(in: "disclosures", row: id, column: "recipient_form")
            } ?? .identified
        if let buyer = try optional("new_controller"), let contact = try optional("new_controller_contact"),
            let day = try optional("sale_effective_on")
        {
            disclosure.saleCompletion = SaleCompletion(
                newController: buyer, contact: contact,
                effectiveOn: try CalendarDate(day).stored(in: "disclosures", row: id, column: "sale_effective_on"))
        }
        return disclosure
    }
}
