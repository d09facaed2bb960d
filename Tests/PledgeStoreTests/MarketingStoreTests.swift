import Foundation
import PledgeTestSupport
import Testing

@testable import PledgeCore
@testable import PledgeStore

/// Marketing in the store (issue 28 §1, §2, §4): provenance on the subject, the suppression list, and
/// a campaign's audience decided person by person from what the vault holds.
extension StoreTests {
    @Suite("Marketing audience and suppression")
    struct MarketingStoreTests {
        static let newsletter = MarketingQuestion(purpose: "newsletter", medium: .email)

        static func rule(_ change: (inout Declaration) -> Void = { _ in }) throws -> MarketingPermissionRule {
            var declaration = RequestStoreTests.declaration
            change(&declaration)
            return MarketingPermissionRule(declaration)
        }

        @Test(
            "OEX-16/OEX-24/CLQ-36 (C45; Art 21(2)-(3)): a tailored campaign reaches only permitted people interested in its topic; an objection to the profiling excludes, and their interests are not even opened; each read is audited",
            arguments: StoreBackend.all)
        func tailoring(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let vault = fixture.vault
                let people = [
                    try await fixture.newSubject(email: "ada@example.com"), try await fixture.newSubject(email: "bob@example.com"),
                    try await fixture.newSubject(email: "cy@example.com"), try await fixture.newSubject(email: "dee@example.com"),
                ]
                for (id, interests) in zip(people, ["Boats, cars", "boats", "cars", "boats"]) {
                    _ = try await vault.record([VaultFixture.consent(.granted, .subject(id))], actor: "key:test", at: VaultFixture.now)
                    try await vault.collect(
                        VaultFixture.plan(["user.profiling": interests], purpose: "interests"), for: id, noticeVersion: "2026-10", actor: "key:test",
                        at: VaultFixture.now)
                }
                try await vault.apply(
                    .objection(purpose: "interests", compellingGrounds: nil), to: people[1], actor: "key:test", at: VaultFixture.now)
                _ = try await vault.record(
                    [VaultFixture.consent(.withdrawn, .subject(people[3]), offset: 1)], actor: "key:test", at: VaultFixture.now)
                let rule = MarketingPermissionRule(RequestStoreTests.declaration.addingInterestsPurpose())
                let audience = MarketingAudience(vault: vault)
                let boats = try await audience.resolve(
                    Self.newsletter, selection: .init(categories: ["customer"], interests: ["Boats"]), rule: rule, at: VaultFixture.now)
                #expect(boats.recipients.map(\.subject) == [people[0]])
                let excluded = Dictionary(uniqueKeysWithValues: boats.excluded.map { ($0.subject, $0.refusal.code) })
                #expect(
                    excluded == [people[1]: "profiling_objected", people[2]: "not_interested", people[3]: "consent_withdrawn"],
                    "Dee withdrew the newsletter itself: the permission rule excludes her first")
                let trail = AuditTrail(database: fixture.database)
                #expect(
                    try await trail.entries(about: "subject:\(people[0].storedText)").contains {
                        $0.record.action == "data.read" && $0.record.purpose == "interests"
                    })
                #expect(
                    try await !trail.entries(about: "subject:\(people[1].storedText)").contains { $0.record.action == "data.read" },
                    "the objector's interests are never opened")
                // At send time, decided again with the campaign's topics: Ada objects now and is excluded.
                try await vault.apply(
                    .objection(purpose: "interests", compellingGrounds: nil), to: people[0], actor: "key:test", at: VaultFixture.now)
                let now = try await audience.decide(
                    Self.newsletter, for: [people[0], people[2]], interests: ["boats"], rule: rule, at: VaultFixture.now)
                #expect(now[people[0]] == .refused(.profilingObjected(at: VaultFixture.now)) && now[people[2]] == .refused(.notInterested))
                #expect(
                    try await audience.decide(Self.newsletter, for: [people[2]], rule: rule, at: VaultFixture.now)[people[2]]?.isAllowed == true,
                    "untailored, Cy may get it")
            }
        }

        @Test(
            "C17/C18/APX-23/CAM-26/OEX-13/OEX-60 (PECR reg 22(2), Art 21(3)): the audience sends to the consented, and names the rule that excluded each other person",
            arguments: StoreBackend.all)
        func audience(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let vault = fixture.vault
                let consented = try await fixture.newSubject(email: "consented@example.com")
                let silent = try await fixture.newSubject(email: "silent@example.com")
                let unsubscribed = try await fixture.newSubject(email: "unsubscribed@example.com")
                let objected = try await fixture.newSubject(email: "objected@example.com")
                let enquirer = try await fixture.newSubject(email: "enquirer@example.com", categories: ["enquirer"])
                let noEmail = try await vault.createSubject(
                    NewSubject(identifiers: [], categories: ["customer"]), actor: "key:test", at: VaultFixture.now)
                for id in [consented, unsubscribed, objected, enquirer, noEmail] {
                    _ = try await vault.record([VaultFixture.consent(.granted, .subject(id))], actor: "key:test", at: VaultFixture.now)
                }
                try await vault.suppress(
                    try SubjectIdentifier(kind: .email, raw: "Unsubscribed@example.com"), reason: .unsubscribed, actor: "key:test",
                    at: VaultFixture.now)
                try await vault.apply(.marketingObjection, to: objected, actor: "key:test", at: VaultFixture.now)

                let audience = MarketingAudience(vault: vault)
                let customers = try await audience.resolve(
                    Self.newsletter, selection: .init(categories: ["customer"]), rule: try Self.rule(), at: VaultFixture.now)
                #expect(customers.recipients.map(\.subject) == [consented])
                #expect(customers.recipients.map(\.ground) == [.consent])
                let excluded = Dictionary(uniqueKeysWithValues: customers.excluded.map { ($0.subject, $0.refusal.code) })
                #expect(
                    excluded == [silent: "no_consent", unsubscribed: "suppressed", objected: "objected", noEmail: "no_address"],
                    "the enquirer is not selected, so not listed")
                #expect(customers.exclusionCounts == ["no_consent": 1, "suppressed": 1, "objected": 1, "no_address": 1])
                let everyone = try await audience.resolve(Self.newsletter, selection: .init(), rule: try Self.rule(), at: VaultFixture.now)
                #expect(Set(everyone.recipients.map(\.subject)) == [consented, enquirer])
            }
        }

        @Test(
            "C17/OEX-36/OEX-44/OEX-58 (PECR reg 22(3)): the provenance the vault records decides the soft opt-in; a bought-in contact is excluded",
            arguments: StoreBackend.all)
        func provenance(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let vault = fixture.vault
                let buyer = try await fixture.newSubject(email: "buyer@example.com")
                let listed = try await fixture.newSubject(email: "listed@example.com")
                let unknown = try await fixture.newSubject(email: "unknown@example.com")
                let sale = ContactProvenance(obtained: .sale, source: "signup", refusalOffered: true, subscriber: .individual)
                try await vault.apply(.provenance(sale), to: buyer, actor: "key:test", at: VaultFixture.now)
                try await vault.apply(
                    .provenance(ContactProvenance(obtained: .boughtIn, refusalOffered: true)), to: listed, actor: "key:test", at: VaultFixture.now)
                #expect(try await vault.summary(of: buyer)?.provenance == sale)
                #expect(try await vault.summary(of: unknown)?.provenance == nil)

                let softOptIn = try Self.rule { $0.marketing![0].basis = .softOptIn }
                let resolution = try await MarketingAudience(vault: vault).resolve(
                    Self.newsletter, selection: .init(categories: ["customer"]), rule: softOptIn, at: VaultFixture.now)
                #expect(resolution.recipients.map(\.subject) == [buyer] && resolution.recipients.map(\.ground) == [.softOptIn])
                let excluded = Dictionary(uniqueKeysWithValues: resolution.excluded.map { ($0.subject, $0.refusal) })
                #expect(excluded == [listed: .boughtInList, unknown: .provenanceUnknown])
            }
        }

        @Test(
            "C18/OEX-69/OEX-76 (Art 21(3)): an objection on the suppression list holds for the subject now and after erasure; a bounce stops the address only",
            arguments: StoreBackend.all)
        func suppressionList(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let vault = fixture.vault
                let address = try SubjectIdentifier(kind: .email, raw: "ada@example.com")
                let ada = try await fixture.newSubject(email: "ada@example.com")
                #expect(try await vault.suppression(of: address) == nil)
                try await vault.suppress(address, reason: .objection, actor: "key:support", at: VaultFixture.now)
                #expect(try await vault.suppression(of: address)?.reason.isObjection == true)
                #expect(try await vault.summary(of: ada)?.marketingObjectionAt == VaultFixture.now, "the objection holds for the person too")
                _ = try await vault.erase(ada, reason: "request", keeping: .nothing, actor: "key:dpo", at: VaultFixture.now)
                let again = try await fixture.newSubject(email: "ada@example.com")
                #expect(try await vault.summary(of: again)?.marketingObjectionAt != nil, "collected again, they still object")

                let bounced = try SubjectIdentifier(kind: .email, raw: "gone@example.com")
                try await vault.suppress(bounced, reason: .hardBounce, actor: "key:test", at: VaultFixture.now)
                let fresh = try await fixture.newSubject(email: "gone@example.com")
                #expect(try await vault.summary(of: fresh)?.marketingObjectionAt == nil, "a bounce is not an objection")
                #expect(try await vault.suppression(of: bounced)?.reason == .hardBounce)
                // Suppressed again (a complaint, then an unsubscribe from the person's link): one row, renewed each time.
                let later = VaultFixture.now.addingTimeInterval(60)
                try await vault.suppress(bounced, reason: .complaint, actor: "key:test", at: later)
                #expect(try await vault.suppression(of: bounced) == .init(reason: .complaint, since: later))
                let count = try await vault.suppressAddresses(
                    of: fresh, kind: .email, reason: .unsubscribed, campaign: nil, actor: "unsubscribe-link", at: later.addingTimeInterval(60))
                #expect(count == 1)
                #expect(try await vault.suppression(of: bounced) == .init(reason: .unsubscribed, since: later.addingTimeInterval(60)))
                // A person with two addresses: both are suppressed by one link, and the count says so
                // (on SQLite the writer counts the upsert's rows; PostgreSQL returns them).
                let home = try SubjectIdentifier(kind: .email, raw: "home@example.com")
                let work = try SubjectIdentifier(kind: .email, raw: "work@example.com")
                let twoAddresses = try await vault.createSubject(
                    NewSubject(identifiers: [home, work, try SubjectIdentifier(kind: .phone, raw: "+44 20 7946 0000")], categories: ["customer"]),
                    actor: "key:test", at: later)
                #expect(
                    try await vault.suppressAddresses(
                        of: twoAddresses, kind: .email, reason: .unsubscribed, campaign: nil, actor: "unsubscribe-link", at: later) == 2)
                #expect(try await vault.suppression(of: home)?.reason == .unsubscribed)
                #expect(try await vault.suppression(of: work)?.reason == .unsubscribed)
                let rows = try await fixture.database.sql.raw("SELECT kind FROM suppressions").all()
                #expect(rows.count == 4, "the two addresses, not the number")
                // An unsubscribe link of a person since erased suppresses nothing and audits nothing; the
                // suppressions written alongside, in one batch of the journal, are each audited once.
                let audited = {
                    try await fixture.database.sql.raw("SELECT COUNT(*) AS n FROM audit_entries WHERE action = 'suppression.add'").first()?.decode(
                        column: "n", as: Int.self) ?? 0
                }
                let before = try await audited()
                let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                    for subject in [ada, fresh, again] {
                        group.addTask {
                            try await vault.suppressAddresses(
                                of: subject, kind: .email, reason: .unsubscribed, campaign: nil, actor: "unsubscribe-link", at: later)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(counts.sorted() == [0, 1, 1])
                #expect(try await audited() == before + 2)
                // The address's objection (kept from Ada's erasure) is not narrowed by that unsubscribe (Art 21(3)):
                // collected a third time, the person still objects.
                #expect(try await vault.suppression(of: address)?.reason.isObjection == true)
                _ = try await vault.erase(again, reason: "request", keeping: .nothing, actor: "key:dpo", at: later)
                let third = try await fixture.newSubject(email: "ada@example.com")
                #expect(try await vault.summary(of: third)?.marketingObjectionAt != nil)
            }
        }
    }
}

extension StoreTests.MarketingStoreTests {
    @Test(
        "C18/OEX-69/OEX-76 (Art 21(3)): a journal batch's unsubscribes go as one statement on PostgreSQL, as if one after another: counts and audit per link, the later of two wins, an objection is never narrowed",
        arguments: StoreBackend.all.filter { $0.name.hasPrefix("PostgreSQL") })
    func unsubscribesTogether(_ backend: StoreBackend) async throws {
        try await VaultFixture.with(backend) { fixture in
            let vault = fixture.vault
            let home = try SubjectIdentifier(kind: .email, raw: "home@example.com")
            let work = try SubjectIdentifier(kind: .email, raw: "work@example.com")
            let objecting = try SubjectIdentifier(kind: .email, raw: "bea@example.com")
            let ada = try await vault.createSubject(
                NewSubject(identifiers: [home, work], categories: ["customer"]), actor: "key:test", at: VaultFixture.now)
            let bea = try await fixture.newSubject(email: "bea@example.com")
            try await vault.suppress(objecting, reason: .objection, actor: "key:test", at: VaultFixture.now)
            let gone = try await fixture.newSubject()
            _ = try await vault.erase(gone, reason: "request", keeping: .nothing, actor: "key:dpo", at: VaultFixture.now)
            let at = { (seconds: TimeInterval) in VaultFixture.now.addingTimeInterval(seconds) }
            let run = [
                (ada, SuppressionReason.unsubscribed, at(10)), (bea, .unsubscribed, at(11)), (gone, .unsubscribed, at(12)), (ada, .complaint, at(13)),
            ]
            .map { subject, reason, since in
                IdentifierSuppression(
                    subject: subject.storedText, kind: .email, reason: reason, since: since,
                    audit: AuditRecord(actor: "unsubscribe-link", action: "suppression.add", object: "subject:\(subject.storedText)", at: since),
                    suppressed: JournalResult<Int>())
            }
            let audit = try await Journal.transaction(on: fixture.database) { sql in try await IdentifierSuppression.together(run, in: sql) }
            #expect(run.map(\.suppressed.value) == [2, 1, 0, 2])
            #expect(audit.map(\.count) == [1, 1, 0, 1], "a link that suppressed nothing is not audited")
            // Ada's two addresses take the later link's reason and date; Bea's objection stays as it was.
            #expect(try await vault.suppression(of: home) == .init(reason: .complaint, since: at(13)))
            #expect(try await vault.suppression(of: work) == .init(reason: .complaint, since: at(13)))
            #expect(try await vault.suppression(of: objecting) == .init(reason: .objection, since: VaultFixture.now))
            // An objection within the run itself is kept over an unsubscribe after it.
            let renewed = [(bea, SuppressionReason.objection, at(20)), (bea, .unsubscribed, at(21))].map { subject, reason, since in
                IdentifierSuppression(
                    subject: subject.storedText, kind: .email, reason: reason, since: since,
                    audit: AuditRecord(actor: "key:test", action: "suppression.add", object: "subject:\(subject.storedText)", at: since),
                    suppressed: JournalResult<Int>())
            }
            _ = try await Journal.transaction(on: fixture.database) { sql in try await IdentifierSuppression.together(renewed, in: sql) }
            #expect(try await vault.suppression(of: objecting) == .init(reason: .objection, since: at(20)))
        }
    }

    @Test(
        "C17 (PECR reg 21(1)(b)-(c)): an imported TPS list bars a subject's number whatever its format; the list is replaced whole; junk lines are reported, not stored",
        arguments: StoreBackend.all)
    func callBarringImport(_ backend: StoreBackend) async throws {
        try await VaultFixture.with(backend) { fixture in
            var declaration = StoreTests.RequestStoreTests.declaration
            declaration.marketing?.append(
                MarketingChannel(
                    id: "calls", channel: .phone, basis: .legitimateInterests, permission: nil, audience: ["customer"], purposes: nil, products: nil,
                    partners: nil, sources: nil, optOut: [.phone], tracking: nil, trackingConsent: nil, trackingPurpose: nil, tpsScreening: true,
                    subscribers: nil))
            let rule = MarketingPermissionRule(declaration)
            let ada = try await fixture.vault.createSubject(
                NewSubject(identifiers: [try SubjectIdentifier(kind: .phone, raw: "+441632960001")], categories: ["customer"]), actor: "key:test",
                at: VaultFixture.now)
            let call = MarketingQuestion(purpose: "newsletter", medium: .phone)
            let audience = MarketingAudience(vault: fixture.vault)
            #expect(try await audience.decide(call, for: ada, rule: rule, at: VaultFixture.now) == .allowed(.screenedCall))

            let imported = try await fixture.vault.importCallBarring(
                .tps, numbers: ["01632 960 001", "not a number", "", "+44 1632 960002"], actor: "cli:test", at: VaultFixture.now)
            #expect(imported == .init(numbers: 2, rejected: [2], rejectedCount: 1))
            #expect(try await audience.decide(call, for: ada, rule: rule, at: VaultFixture.now) == .refused(.callBarred(.tps)))
            #expect(try await fixture.vault.callBarringImports()[.tps] == VaultFixture.now)
            let sms = MarketingQuestion(purpose: "newsletter", medium: .sms)
            #expect(try await audience.decide(sms, for: ada, rule: rule, at: VaultFixture.now) != .refused(.callBarred(.tps)), "the TPS is for calls")

            _ = try await fixture.vault.importCallBarring(.tps, numbers: ["01632 960002"], actor: "cli:test", at: VaultFixture.now)
            #expect(try await audience.decide(call, for: ada, rule: rule, at: VaultFixture.now) == .allowed(.screenedCall), "replaced whole")
            #expect(try await fixture.count("call_barring") == 1)
        }
    }
}
