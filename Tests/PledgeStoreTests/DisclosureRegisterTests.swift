import Foundation
import PledgeTestSupport
import Testing

@testable import PledgeCore
@testable import PledgeStore

/// The disclosure register in the store (issue 29 §3; C22, C24, C25): logged, decided by a second
/// person, released once and minimised, and logged against each person it concerns.
extension StoreTests {
    @Suite("Disclosure register")
    struct DisclosureRegisterTests {
        static let declaration: Declaration = {
            DeclarationLoader.load(yaml: ExampleFiles.addingDisclosureRecipients(to: try! ExampleFiles.yaml("compliant"))).declaration!
        }()

        @Test(
            "C25/OEX-55/CLQ-49/ECR-33/APX-36 (DPA 2018 Sch 2 para 2): a police request is logged, refused to its own logger, approved by the DPO, released once with only the email asked for, and the person's access report lists it",
            arguments: StoreBackend.all)
        func policeRequest(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let vault = fixture.vault
                let ada = try await fixture.newSubject(email: "ada@example.com")
                try await vault.collect(
                    VaultFixture.plan(["user.contact.email": "ada@example.com", "user.name": "Ada", "user.contact.phone_number": "+447700900123"]),
                    for: ada, noticeVersion: "2026-10", actor: "key:test", at: VaultFixture.now)
                let register = DisclosureRegister(vault: vault)
                let request = try Disclosure.requested(
                    requester: .lawEnforcement, requesterName: "Thames Valley Police", recipient: "police", country: nil,
                    verification: "Called back the force control room", ground: .crime, reference: "Crime ref 44/2026", agreement: nil,
                    necessity: "Tracing a suspect in a fraud; without it the investigation would be prejudiced",
                    categories: ["user.contact.email"], subjects: [ada], in: Self.declaration, loggedBy: "key:support", at: VaultFixture.now)
                try await register.record(request)
                await #expect(throws: DisclosureRefusal.deciderIsLogger) {
                    try await register.decide(request.id, approve: true, by: "key:support", note: nil, at: VaultFixture.now)
                }
                await #expect(throws: DisclosureRefusal.notApproved) {
                    try await register.release(request.id, declaration: Self.declaration, actor: "key:dpo", at: VaultFixture.now)
                }
                #expect(try await register.find(request.id)?.state == .pending, "nothing changed")
                let approved = try await register.decide(request.id, approve: true, by: "key:dpo", note: "Necessary", at: VaultFixture.now)
                #expect(approved.state == .approved && approved.decidedBy == "key:dpo")

                let release = try await register.release(request.id, declaration: Self.declaration, actor: "key:dpo", at: VaultFixture.now)
                #expect(release.people.map(\.subject) == [ada] && release.excluded.isEmpty)
                #expect(release.people.first?.values.map(\.value) == ["ada@example.com"], "the email asked for, not the name or the phone")
                await #expect(throws: DisclosureRefusal.notApproved) {
                    try await register.release(request.id, declaration: Self.declaration, actor: "key:dpo", at: VaultFixture.now)
                }
                let stored = try #require(try await register.find(request.id))
                #expect(stored.state == .released && stored.releasedAt == VaultFixture.now && stored.reference == "Crime ref 44/2026")

                let records = try #require(try await vault.records(of: ada, purpose: "service", actor: "key:dpo", at: VaultFixture.now))
                let logged = records.accessLog.filter { $0.action == "data.disclose" }
                #expect(logged.count == 1 && logged.first?.purpose == "disclosed to Thames Valley Police (DPA 2018 Sch 2 para 2(1)(a),(b))")
                #expect(logged.first?.fields == "user.contact.email")
                let actions = try await AuditTrail(database: fixture.database).entries(about: "disclosure:\(request.id.storedText)").map(
                    \.record.action)
                #expect(actions == ["disclosure.log", "disclosure.approve", "disclosure.release"])
            }
        }

        @Test(
            "C24/APX-30/OEX-49 (Art 6(1)(a)): an enrolment to a training provider on consent releases only the people whose consent to that provider is in force, checked at release",
            arguments: StoreBackend.all)
        func consentGated(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let vault = fixture.vault
                var people: [UUID] = []
                for name in ["Ada", "Bob", "Cy"] {
                    let id = try await fixture.newSubject(email: "\(name.lowercased())@example.com")
                    try await vault.collect(
                        VaultFixture.plan(["user.name": name, "user.contact.email": "\(name.lowercased())@example.com"]), for: id,
                        noticeVersion: "2026-10",
                        actor: "key:test", at: VaultFixture.now)
                    people.append(id)
                }
                let scope = ConsentScope(purpose: "newsletter", recipient: "academy")
                func consent(_ action: ConsentAction, _ id: UUID, _ offset: TimeInterval) -> ConsentEvent {
                    ConsentEvent(
                        holder: .subject(id), scope: scope, action: action, mechanism: "opt_in_checkbox", noticeVersion: "2026-10",
                        wordingHash: String(repeating: "a", count: 64), recordedAt: VaultFixture.now.addingTimeInterval(offset))
                }
                // Ada consents; Bob consents and withdraws before the release; Cy never does.
                _ = try await vault.record(
                    [consent(.granted, people[0], 0), consent(.granted, people[1], 0), consent(.withdrawn, people[1], 60)], actor: "key:test",
                    at: VaultFixture.now)
                let register = DisclosureRegister(vault: vault)
                let enrolment = try Disclosure.requested(
                    requester: .registered, requesterName: "Training Academy Ltd", recipient: "academy", country: nil,
                    verification: "Named in our contract", ground: .consent, reference: nil, agreement: nil,
                    necessity: "Enrolling the people who asked for the course", categories: ["user.name"], subjects: people, in: Self.declaration,
                    loggedBy: "key:support", at: VaultFixture.now)
                try await register.record(enrolment)
                _ = try await register.decide(enrolment.id, approve: true, by: "key:dpo", note: nil, at: VaultFixture.now)
                let release = try await register.release(enrolment.id, declaration: Self.declaration, actor: "key:dpo", at: VaultFixture.now)
                #expect(release.people.map(\.subject) == [people[0]] && release.people.first?.values.map(\.value) == ["Ada"])
                #expect(release.excluded == [people[1]: .consentAbsent, people[2]: .consentAbsent])
            }
        }

        @Test(
            "APX-17/APX-60 (C37): a partner of de-identified data gets pseudonyms and no identifier, logged per person; a training provider of aggregates gets counts only, small ones withheld, nothing opened or logged against anyone",
            arguments: StoreBackend.all)
        func deidentifiedAndAggregate(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                var people: [UUID] = []
                // Six at one employer, two at another: the two are too few to count (they could be singled out).
                for index in 0..<8 {
                    let id = try await fixture.newSubject(email: "p\(index)@example.com")
                    try await fixture.vault.collect(
                        VaultFixture.plan(["user.name": "Person \(index)", "user.workplace": index < 6 ? "Analytical Engines Ltd" : "Difference Ltd"]
                        ),
                        for: id, noticeVersion: "2026-10", actor: "key:test", at: VaultFixture.now)
                    people.append(id)
                }
                let register = DisclosureRegister(vault: fixture.vault)
                func release(_ recipient: String, _ name: String) async throws -> DisclosureRelease {
                    let request = try Disclosure.requested(
                        requester: .registered, requesterName: name, recipient: recipient, country: nil, verification: "Agreement on file",
                        ground: .legitimateInterests, reference: nil, agreement: nil, necessity: "The yearly course quality review",
                        categories: ["user.workplace"], subjects: people, in: Self.declaration, loggedBy: "key:support", at: VaultFixture.now)
                    try await register.record(request)
                    #expect(try await register.find(request.id)?.form == Self.declaration.recipients?.first { $0.id == recipient }?.form)
                    _ = try await register.decide(request.id, approve: true, by: "key:dpo", note: nil, at: VaultFixture.now)
                    return try await register.release(request.id, declaration: Self.declaration, actor: "key:dpo", at: VaultFixture.now)
                }
                let partners = try await release("course-partners", "Course Partners Ltd")
                #expect(partners.people.count == 8 && partners.people.allSatisfy { $0.pseudonym.map { !people.contains($0) } == true })
                #expect(partners.people.allSatisfy { $0.values.map(\.category) == ["user.workplace"] }, "no name, however the data is held")
                #expect(partners.counts == nil)

                let trainers = try await release("trainers", "Training Providers Ltd")
                #expect(trainers.people.isEmpty && trainers.counts == ["user.workplace": 8] && trainers.withheld.isEmpty)
                let records = try #require(try await fixture.vault.records(of: people[0], purpose: "service", actor: "key:dpo", at: VaultFixture.now))
                let disclosed = records.accessLog.filter { $0.action == "data.disclose" }
                #expect(disclosed.count == 1, "the de-identified release is in the person's access report; the counts are not about them")

                // Two people only: the count could single them out, so it is withheld.
                people = Array(people.suffix(2))
                let few = try await release("trainers", "Training Providers Ltd")
                #expect(few.counts == [:] && few.withheld == ["user.workplace"])
            }
        }

        @Test(
            "CLQ-29 (C20, C22): Classeq publishes no winners list (its contest purpose publishes nothing); on request a winner's name and organisation go, nothing else, logged in their access report",
            arguments: StoreBackend.all)
        func winnerDetailsOnRequest(_ backend: StoreBackend) async throws {
            let classeq = try #require(DeclarationLoader.load(yaml: try ExampleFiles.yaml("classeq")).declaration)
            #expect(classeq.purposes.first { $0.id == "surveys" }?.publishes != true, "no public winners list")
            try await VaultFixture.with(backend) { fixture in
                let winner = try await fixture.newSubject(email: "sam@example.com")
                try await fixture.vault.collect(
                    VaultFixture.plan(
                        ["user.name": "Sam Okafor", "user.workplace": "Okafor Catering", "user.contact.email": "sam@example.com"], purpose: "surveys"),
                    for: winner, noticeVersion: "2026-10", actor: "key:test", at: VaultFixture.now)
                func ask(_ categories: [String]) throws(DisclosureRefusal) -> Disclosure {
                    try Disclosure.requested(
                        requester: .registered, requesterName: "A member of the public", recipient: "winner-enquiries", country: nil,
                        verification: "Asked by email to the contest address", ground: .legitimateInterests, reference: nil, agreement: nil,
                        necessity: "The contest terms say who won may be told on request", categories: categories, subjects: [winner], in: classeq,
                        loggedBy: "key:support", at: VaultFixture.now)
                }
                #expect(throws: DisclosureRefusal.categoryNotForRecipient) { try ask(["user.name", "user.contact.email"]) }
                let register = DisclosureRegister(vault: fixture.vault)
                let request = try ask(["user.name", "user.workplace"])
                try await register.record(request)
                _ = try await register.decide(request.id, approve: true, by: "key:dpo", note: nil, at: VaultFixture.now)
                let release = try await register.release(request.id, declaration: classeq, actor: "key:dpo", at: VaultFixture.now)
                #expect(release.people.first?.values.map(\.value).sorted() == ["Okafor Catering", "Sam Okafor"], "no email")
                let records = try #require(try await fixture.vault.records(of: winner, purpose: "service", actor: "key:dpo", at: VaultFixture.now))
                #expect(records.accessLog.contains { $0.action == "data.disclose" && $0.purpose?.contains("A member of the public") == true })
            }
        }

        @Test(
            "CLQ-30 (fix; C24, Art 6(1)(a)): Classeq's contest sponsors get only the entrants who consented to that sponsor, whatever the request names (a recipient its purpose lists, not listing the purpose itself, was given nobody)",
            arguments: StoreBackend.all)
        func sponsorGetsConsentedEntrants(_ backend: StoreBackend) async throws {
            let classeq = try #require(DeclarationLoader.load(yaml: try ExampleFiles.yaml("classeq")).declaration)
            #expect(classeq.recipients?.first { $0.id == "sponsors" }?.requiresConsent == true)
            try await VaultFixture.with(backend) { fixture in
                let keen = try await fixture.newSubject(email: "keen@example.com", categories: ["entrant"])
                let shy = try await fixture.newSubject(email: "shy@example.com", categories: ["entrant"])
                for (id, name) in [(keen, "Keen Entrant"), (shy, "Shy Entrant")] {
                    try await fixture.vault.collect(
                        VaultFixture.plan(["user.name": name], purpose: "surveys"), for: id, noticeVersion: nil, actor: "key:test",
                        at: VaultFixture.now)
                }
                // Keen agreed to the sponsor; Shy entered the contest only.
                _ = try await fixture.vault.record(
                    [
                        ConsentEvent(
                            holder: .subject(keen), scope: ConsentScope(purpose: "surveys", recipient: "sponsors"), action: .granted,
                            mechanism: "opt_in_checkbox", noticeVersion: "2026-10", wordingHash: String(repeating: "c", count: 64),
                            recordedAt: VaultFixture.now),
                        VaultFixture.consent(.granted, .subject(shy), purpose: "surveys"),
                    ], actor: "key:test", at: VaultFixture.now)
                let register = DisclosureRegister(vault: fixture.vault)
                let export = try Disclosure.requested(
                    requester: .registered, requesterName: "Contest sponsor Ltd", recipient: "sponsors", country: nil,
                    verification: "Named in the contest terms", ground: .consent, reference: nil, agreement: nil,
                    necessity: "The sponsor sends the entrants who asked for it its catalogue", categories: ["user.name"], subjects: [keen, shy],
                    in: classeq, loggedBy: "key:support", at: VaultFixture.now)
                try await register.record(export)
                _ = try await register.decide(export.id, approve: true, by: "key:dpo", note: nil, at: VaultFixture.now)
                let release = try await register.release(export.id, declaration: classeq, actor: "key:dpo", at: VaultFixture.now)
                #expect(release.people.map(\.subject) == [keen] && release.excluded == [shy: .consentAbsent])
            }
        }

        @Test(
            "OEX-52/C26: a data room release names people by pseudonyms made for it and carries no direct identifier; the disclosure log still knows whom it concerned",
            arguments: StoreBackend.all)
        func dataRoom(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let ada = try await fixture.newSubject(email: "ada@example.com")
                try await fixture.vault.collect(
                    VaultFixture.plan(["user.name": "Ada", "user.workplace": "Analytical Engines Ltd"]), for: ada, noticeVersion: "2026-10",
                    actor: "key:test", at: VaultFixture.now)
                let register = DisclosureRegister(vault: fixture.vault)
                let room = try Disclosure.requested(
                    requester: .registered, requesterName: "Buyer Ltd", recipient: "buyer", country: nil, verification: "NDA signed 2026-11-30",
                    ground: .legitimateInterests, reference: nil, agreement: nil, necessity: "Due diligence on the customer base",
                    categories: ["user.name", "user.workplace"], subjects: [ada], in: Self.declaration, loggedBy: "key:support", at: VaultFixture.now)
                try await register.record(room)
                #expect(try await register.find(room.id)?.isDataRoom == true)
                _ = try await register.decide(room.id, approve: true, by: "key:dpo", note: nil, at: VaultFixture.now)
                let release = try await register.release(room.id, declaration: Self.declaration, actor: "key:dpo", at: VaultFixture.now)
                let person = try #require(release.people.first)
                #expect(person.pseudonym != nil && person.pseudonym != ada)
                #expect(person.values.map(\.value) == ["Analytical Engines Ltd"], "the name stays out")
                let records = try #require(try await fixture.vault.records(of: ada, purpose: "service", actor: "key:dpo", at: VaultFixture.now))
                #expect(records.accessLog.contains { $0.action == "data.disclose" && $0.fields == "user.workplace" })
            }
        }

        @Test(
            "OEX-52/C26 (Art 13(1)(a), Art 14): when the sale completes after its data room, each person of the room is told who is responsible for their data now, from when and how to reach them, once; an unreleased room, a disclosure that is not a sale or a missing buyer is refused and nothing is sent",
            arguments: StoreBackend.all)
        func saleCompletion(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                func person(_ email: String, address: Bool) async throws -> UUID {
                    let id = try await fixture.newSubject(email: email)
                    var fields = ["user.workplace": "Analytical Engines Ltd"]
                    if address { fields["user.contact.email"] = email }
                    try await fixture.vault.collect(
                        VaultFixture.plan(fields), for: id, noticeVersion: "2026-10", actor: "key:test", at: VaultFixture.now)
                    return id
                }
                let ada = try await person("ada@example.com", address: true)
                let bob = try await person("bob@example.com", address: false)
                let register = DisclosureRegister(vault: fixture.vault)
                let room = try Disclosure.requested(
                    requester: .registered, requesterName: "Buyer Ltd", recipient: "buyer", country: nil, verification: "NDA signed 2026-11-30",
                    ground: .legitimateInterests, reference: nil, agreement: nil, necessity: "Due diligence on the customer base",
                    categories: ["user.workplace"], subjects: [ada, bob], in: Self.declaration, loggedBy: "key:support", at: VaultFixture.now)
                try await register.record(room)
                let organisation = Self.declaration.organisation
                let sale = SaleCompletion(
                    newController: "Buyer Ltd", contact: "privacy@buyer.example", effectiveOn: CalendarDate(year: 2027, month: 2, day: 1))
                await #expect(throws: DisclosureRefusal.saleNotReleased) {
                    try await register.completeSale(room.id, sale, organisation: organisation, actor: "key:dpo", at: VaultFixture.now)
                }
                _ = try await register.decide(room.id, approve: true, by: "key:dpo", note: nil, at: VaultFixture.now)
                _ = try await register.release(room.id, declaration: Self.declaration, actor: "key:dpo", at: VaultFixture.now)
                await #expect(throws: DisclosureRefusal.newControllerMissing) {
                    try await register.completeSale(
                        room.id, SaleCompletion(newController: " ", contact: "x", effectiveOn: sale.effectiveOn), organisation: organisation,
                        actor: "key:dpo", at: VaultFixture.now)
                }
                let outbox = Outbox(register: CaseRegister(database: fixture.database, journal: fixture.journal, keys: fixture.keys))
                #expect(try await outbox.due(at: VaultFixture.now.addingTimeInterval(1)).isEmpty, "a refusal sends nothing")

                let done = try await register.completeSale(room.id, sale, organisation: organisation, actor: "key:dpo", at: VaultFixture.now)
                #expect(done.queued == 1 && done.withoutAddress == 1 && done.disclosure.saleCompletion == sale)
                #expect(try await register.find(room.id)?.saleCompletion == sale, "stored")
                let letters = try await outbox.due(at: VaultFixture.now.addingTimeInterval(2))
                #expect(letters.map(\.email.to) == ["ada@example.com"])
                let text = try #require(letters.first?.email.text)
                for part in ["Buyer Ltd is responsible", "From 2027-02-01", "privacy@buyer.example", "Your rights go with your data", "ico.org.uk"] {
                    #expect(text.contains(part), "\(part)")
                }
                await #expect(throws: DisclosureRefusal.saleCompletedAlready) {
                    try await register.completeSale(room.id, sale, organisation: organisation, actor: "key:dpo", at: VaultFixture.now)
                }
                #expect(try await outbox.due(at: VaultFixture.now.addingTimeInterval(3)).isEmpty, "told once")

                // A police request is no sale.
                let police = try Disclosure.requested(
                    requester: .lawEnforcement, requesterName: "Thames Valley Police", recipient: "police", country: nil,
                    verification: "Called back the force control room", ground: .crime, reference: "Crime ref 44/2026", agreement: nil,
                    necessity: "Tracing a suspect; without it the investigation would be prejudiced", categories: ["user.contact.email"],
                    subjects: [ada],
                    in: Self.declaration, loggedBy: "key:support", at: VaultFixture.now)
                try await register.record(police)
                await #expect(throws: DisclosureRefusal.notASale) {
                    try await register.completeSale(police.id, sale, organisation: organisation, actor: "key:dpo", at: VaultFixture.now)
                }
            }
        }
    }
}
