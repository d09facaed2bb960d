import Foundation
import PledgeTestSupport
import Testing

@testable import PledgeCore
@testable import PledgeStore

/// Data-subject requests in the store (issue 5; C28-C34), on both backends: the case register,
/// tokens, fulfilment from the vault, erasure's suppression stub and pseudonymised ledger.
extension StoreTests {
    @Suite("Request cases in the store")
    struct RequestStoreTests {
        static let clock = StatutoryClock(timeZone: TimeZone(identifier: "Europe/London")!, holidays: BankHolidays())
        static let declaration: Declaration = {
            let loaded = DeclarationLoader.load(yaml: try! ExampleFiles.yaml("compliant"))
            return loaded.declaration!
        }()

        static func register(_ fixture: VaultFixture) -> CaseRegister {
            CaseRegister(database: fixture.database, journal: fixture.journal, keys: fixture.keys)
        }

        /// A case of `kind` from `email`, opened by email and verified as a known contact.
        static func verified(_ kind: RequestKind, from email: String, in register: CaseRegister) async throws -> RequestCase {
            try await register.open(
                RequestCase(kind: kind, channel: .email, receivedAt: VaultFixture.now, verifiedBy: .knownContact),
                requester: Requester(email: email), actor: "key:dpo", clock: clock)
        }

        /// Fulfils case `id` as the DPO, now, under the example declaration.
        static func fulfil(
            _ id: UUID, with fulfilment: RequestFulfilment, interruption: (@Sendable () throws -> Void)? = nil
        ) async throws -> RequestFulfilment.Result {
            try await fulfilment.fulfil(
                id, declaration: declaration, noticeVersion: "2026-10", clock: clock, actor: "key:dpo", at: VaultFixture.now,
                interruption: interruption)
        }

        @Test(
            "C28: a case is opened, linked by the email on file, changed only by allowed actions, each in its append-only history",
            arguments: StoreBackend.all)
        func register(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let subject = try await fixture.newSubject(email: "ada@example.com")
                let register = Self.register(fixture)
                let opened = try await register.open(
                    RequestCase(kind: .access, channel: .post, receivedAt: VaultFixture.now),
                    requester: Requester(name: "Ada", email: "ADA@example.com", details: "Letter of 1 March"),
                    actor: "key:dpo", clock: Self.clock)
                #expect(opened.subject == subject && opened.state == .awaitingVerification)
                let audit = try await fixture.count("audit_entries")
                await #expect(throws: CaseRefusal.transition(action: "complete", state: .awaitingVerification)) {
                    try await register.record(
                        .complete(outcome: "x", withheld: []), on: opened.id, actor: "key:dpo", at: VaultFixture.now, clock: Self.clock)
                }
                #expect(try await register.find(opened.id) == opened)
                #expect(try await register.history(of: opened.id).count == 1)
                #expect(try await fixture.count("audit_entries") == audit, "a refused action stores nothing")
                let later = VaultFixture.now.addingTimeInterval(86_400)
                let verified = try await register.record(
                    .verify(.knownContact, note: "Signature matches"), on: opened.id, actor: "key:dpo", at: later, clock: Self.clock)
                // Staff satisfied without asking for anything: the month still runs from receipt (Art 12A(2)(b)).
                #expect(verified.state == .inProgress && verified.timing.startsAt == opened.timing.receivedAt)
                let history = try await register.history(of: opened.id)
                #expect(history.map(\.action) == ["open", "verify"] && history.last?.detail == "known_contact: Signature matches")
                #expect(try await register.requester(of: opened.id, actor: "key:dpo", at: later).details == "Letter of 1 March")
                let sealed = try await fixture.database.sql.raw("SELECT sealed FROM requests").first()!.decode(column: "sealed", as: Data.self)
                #expect(sealed.range(of: Data("Letter of 1 March".utf8)) == nil, "the requester's words are sealed")

                // The queue: open cases, soonest due first.
                let older = try await register.open(
                    RequestCase(
                        kind: .erasure, channel: .email, receivedAt: VaultFixture.now.addingTimeInterval(-20 * 86_400), verifiedBy: .knownContact),
                    requester: Requester(email: "bob@example.com"), actor: "key:dpo", clock: Self.clock)
                #expect(older.subject == nil)
                #expect(try await register.queue().map(\.id) == [older.id, opened.id])
                _ = try await register.record(.withdraw, on: older.id, actor: "key:dpo", at: later, clock: Self.clock)
                #expect(try await register.queue().map(\.id) == [opened.id])
                #expect(try await register.queue(includeClosed: true).count == 2)
            }
        }

        @Test("C29: a verification token works once, until it expires, for its purpose only; only its digest is stored", arguments: StoreBackend.all)
        func tokens(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let register = Self.register(fixture)
                let opened = try await register.open(
                    RequestCase(kind: .access, channel: .privacyCentre, receivedAt: VaultFixture.now),
                    requester: Requester(email: "cy@example.com"), actor: "privacy-centre", clock: Self.clock)
                let token = try await register.issueToken(for: opened.id, purpose: .verify, lifetime: 3600, at: VaultFixture.now)
                let stored = try await fixture.database.sql.raw("SELECT digest FROM request_tokens").first()!.decode(
                    column: "digest", as: String.self)
                #expect(stored != token && !stored.contains(token))
                #expect(try await register.caseFor(token: token, purpose: .verify, at: VaultFixture.now) == opened.id)
                await #expect(throws: CaseStoreRefusal.tokenInvalid) {
                    try await register.caseFor(token: token, purpose: .follow, at: VaultFixture.now)
                }
                await #expect(throws: CaseStoreRefusal.tokenInvalid) {
                    try await register.caseFor(token: token, purpose: .verify, at: VaultFixture.now.addingTimeInterval(3601))
                }
                #expect(try await register.caseFor(token: token, purpose: .verify, at: VaultFixture.now, consume: true) == opened.id)
                await #expect(throws: CaseStoreRefusal.tokenInvalid) {
                    try await register.caseFor(token: token, purpose: .verify, at: VaultFixture.now, consume: true)
                }
                await #expect(throws: CaseStoreRefusal.tokenInvalid) {
                    try await register.caseFor(token: "made-up", purpose: .verify, at: VaultFixture.now)
                }
            }
        }

        @Test(
            "C30/C33/C43/ECR-42/OEX-12: access builds a ZIP (report, JSON, CSV) of exactly this subject's data with the Art 15 information; portability only consent and contract data",
            arguments: StoreBackend.all)
        func access(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let ada = try await fixture.newSubject(email: "ada@example.com")
                let bob = try await fixture.newSubject(email: "bob@example.com")
                try await fixture.vault.collect(
                    VaultFixture.plan(["user.name": "Ada Lovelace", "user.contact.email": "ada@example.com"]), for: ada, noticeVersion: "2026-10",
                    actor: "key:test", at: VaultFixture.now)
                try await fixture.vault.collect(
                    VaultFixture.plan(["user.contact.phone": "+44 7700 900123"], purpose: "enquiries"), for: ada, noticeVersion: "2026-10",
                    actor: "key:test", at: VaultFixture.now)
                try await fixture.vault.collect(
                    VaultFixture.plan(["user.name": "Bob Babbage"]), for: bob, noticeVersion: "2026-10", actor: "key:test", at: VaultFixture.now)
                _ = try await fixture.vault.addInteraction(
                    to: ada, kind: "chat", content: "Asked about the invoice", retention: nil, actor: "key:support", at: VaultFixture.now)
                try await fixture.vault.record([VaultFixture.consent(.granted, .subject(ada))], actor: "key:test", at: VaultFixture.now)
                let register = Self.register(fixture)
                let fulfilment = RequestFulfilment(vault: fixture.vault, register: register)
                for kind in [RequestKind.access, .portability] {
                    let opened = try await register.open(
                        RequestCase(kind: kind, channel: .privacyCentre, receivedAt: VaultFixture.now, verifiedBy: .emailLink),
                        requester: Requester(email: "ada@example.com"), actor: "privacy-centre", clock: Self.clock)
                    let done = try await fulfilment.fulfil(
                        opened.id, declaration: Self.declaration, noticeVersion: "2026-10", clock: Self.clock, actor: "key:dpo", at: VaultFixture.now)
                    #expect(done.request.state == .completed && done.request.outcome?.contains("ready") == true)
                    let zip = try #require(try await register.export(for: opened.id, actor: "requester", at: VaultFixture.now))
                    let files = try StoredZip.entries(zip)
                    let export = try SubjectExport.decode(try #require(files["data.json"]))
                    #expect(export.subject?.id == ada && export.request.id == opened.id)
                    let text = String(decoding: try #require(files["data.json"]), as: UTF8.self)
                    #expect(!text.contains("Bob") && !text.contains(bob.uuidString.lowercased()), "nobody else's data")
                    #expect(String(decoding: try #require(files["csv/personal_data.csv"]), as: UTF8.self).contains("Ada Lovelace"))
                    if kind == .access {
                        #expect(Set(export.personalData.map(\.value)) == ["Ada Lovelace", "ada@example.com", "+44 7700 900123"])
                        #expect(export.interactions.map(\.content) == ["Asked about the invoice"] && export.consents.count == 1)
                        #expect(export.personalData.allSatisfy { $0.source == "signup" })
                        #expect(export.accessLog.contains { $0.action == "data.collect" })
                        let supplementary = try #require(export.supplementary)
                        #expect(supplementary.purposes.map(\.id).sorted() == ["enquiries", "service"])
                        #expect(supplementary.purposes.allSatisfy { $0.lawfulBasis != nil && $0.retention != nil })
                        #expect(supplementary.complaints.contains("ico.org.uk"))
                        let html = String(decoding: try #require(files["report.html"]), as: UTF8.self)
                        #expect(html.contains("Ada Lovelace") && html.contains("Your rights") && html.contains("How long we keep it"))
                    } else {
                        // Art 20(1)(a): "service" is on contract, "enquiries" on legitimate interests.
                        #expect(Set(export.personalData.map(\.value)) == ["Ada Lovelace", "ada@example.com"])
                        #expect(export.supplementary == nil && files["report.html"] == nil)
                    }
                    #expect(
                        try await register.export(
                            for: opened.id, actor: "requester", at: VaultFixture.now.addingTimeInterval(FulfilmentPlan.exportLifetime + 1)) == nil)
                }
            }
        }

        @Test(
            "C32: erasure keeps what a statute requires (restricted, with the reason), pseudonymises the ledger, and leaves a suppression stub for a marketing opt-out",
            arguments: StoreBackend.all)
        func erasure(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let ada = try await fixture.newSubject(email: "ada@example.com")
                try await fixture.vault.collect(
                    VaultFixture.plan(["user.name": "Ada Lovelace"]), for: ada, noticeVersion: nil, actor: "key:test", at: VaultFixture.now)
                try await fixture.vault.collect(
                    VaultFixture.plan(["user.financial.invoice": "INV-1"], purpose: "billing"), for: ada, noticeVersion: nil, actor: "key:test",
                    at: VaultFixture.now)
                try await fixture.vault.record([VaultFixture.consent(.granted, .subject(ada))], actor: "key:test", at: VaultFixture.now)
                try await fixture.vault.apply(.marketingObjection, to: ada, actor: "key:test", at: VaultFixture.now)
                let register = Self.register(fixture)
                let fulfilment = RequestFulfilment(vault: fixture.vault, register: register)
                let opened = try await Self.verified(.erasure, from: "ada@example.com", in: register)
                let done = try await Self.fulfil(opened.id, with: fulfilment)
                #expect(done.erasure?.values == 1 && done.erasure?.kept.map(\.purpose) == ["billing"])
                #expect(
                    done.request.withheld.first?.ground == .legalObligation
                        && done.request.withheld.first?.detail.contains("Companies Act") == true)
                #expect(try await fixture.vault.summary(of: ada)?.restricted == true)
                #expect(
                    try await fixture.vault.values(of: ada, purpose: nil, actor: "key:dpo", at: VaultFixture.now).map(\.field) == [
                        "user.financial.invoice"
                    ])
                #expect(try await fixture.vault.consentEvents(of: .subject(ada)).isEmpty, "the ledger no longer points at the subject")
                #expect(try await fixture.count("consent_events") == 1)
                #expect(try await fixture.count("suppressions") == 1)

                // Fully erased once nothing must be kept; collected again later, the opt-out still holds.
                _ = try await fixture.vault.erase(ada, reason: "retention ended", keeping: .nothing, actor: "pledge", at: VaultFixture.now)
                let again = try await fixture.newSubject(email: "Ada@Example.com")
                #expect(try await fixture.vault.summary(of: again)?.marketingObjectionAt != nil)
                #expect(try await fixture.vault.state(of: again)?.marketingObjection != nil)
            }
        }

        /// Stands in for a crash between fulfilment's steps (issue 25 §3).
        struct Interrupted: Error {}

        @Test(
            "C32/APX-43 (issue 25 §3): an erasure or an export interrupted before the case closes leaves the subject, the case and the audit trail as they were; fulfilling again completes",
            arguments: StoreBackend.all)
        func atomicFulfilment(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let ada = try await fixture.newSubject(email: "ada@example.com")
                try await fixture.vault.collect(
                    VaultFixture.plan(["user.name": "Ada Lovelace"]), for: ada, noticeVersion: nil, actor: "key:test", at: VaultFixture.now)
                try await fixture.vault.record([VaultFixture.consent(.granted, .subject(ada))], actor: "key:test", at: VaultFixture.now)
                let register = Self.register(fixture)
                let fulfilment = RequestFulfilment(vault: fixture.vault, register: register)
                for kind in [RequestKind.access, .erasure] {
                    let opened = try await Self.verified(kind, from: "ada@example.com", in: register)
                    let before = (
                        audit: try await fixture.count("audit_entries"), events: try await fixture.count("request_events"),
                        consents: try await fixture.count("consent_events"), values: try await fixture.count("personal_values"),
                        exports: try await fixture.count("request_exports")
                    )
                    await #expect(throws: Interrupted.self) {
                        try await Self.fulfil(opened.id, with: fulfilment, interruption: { throw Interrupted() })
                    }
                    #expect(try await register.find(opened.id)?.state == .inProgress, "the case is still open")
                    #expect(try await fixture.count("audit_entries") == before.audit)
                    #expect(try await fixture.count("request_events") == before.events)
                    #expect(try await fixture.count("personal_values") == before.values)
                    #expect(try await fixture.count("request_exports") == before.exports)
                    #expect(try await fixture.vault.summary(of: ada) != nil, "the subject is not erased")
                    let state = try #require(try await fixture.vault.state(of: ada), "the gate still sees the subject")
                    #expect(state.consents.status(purpose: "newsletter").isGranted)
                    #expect(try await fixture.vault.consentEvents(of: .subject(ada)).count == before.consents)

                    let done = try await Self.fulfil(opened.id, with: fulfilment)
                    #expect(done.request.state == .completed)
                    if kind == .access {
                        #expect(try await register.export(for: opened.id, actor: "requester", at: VaultFixture.now) != nil)
                    } else {
                        #expect(done.erasure?.values == 1 && done.request.outcome?.contains("erased your data: 1 items") == true)
                        #expect(try await fixture.vault.summary(of: ada) == nil)
                        #expect(try await fixture.vault.state(of: ada) == nil)
                    }
                }
            }
        }

        @Test(
            "C18/C34: a marketing opt-out from someone we hold nothing about is honoured when they are collected later; restriction and objection apply to the gate",
            arguments: StoreBackend.all)
        func optOutRestrictionObjection(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let register = Self.register(fixture)
                let fulfilment = RequestFulfilment(vault: fixture.vault, register: register)
                func fulfil(_ kind: RequestKind, _ email: String) async throws -> RequestCase {
                    try await Self.fulfil(try await Self.verified(kind, from: email, in: register).id, with: fulfilment).request
                }
                #expect(try await fulfil(.marketingOptOut, "new@example.com").state == .completed)
                let later = try await fixture.newSubject(email: "new@example.com")
                #expect(try await fixture.vault.summary(of: later)?.marketingObjectionAt != nil)

                let cy = try await fixture.newSubject(email: "cy@example.com")
                _ = try await fulfil(.restriction, "cy@example.com")
                #expect(try await fixture.vault.state(of: cy)?.restricted == true)
                let objected = try await fulfil(.objection, "cy@example.com")
                let state = try #require(try await fixture.vault.state(of: cy))
                let legitimate = Self.declaration.purposes.filter { $0.basis == .legitimateInterests }.map(\.id)
                #expect(!legitimate.isEmpty && Set(state.objections.keys) == Set(legitimate))
                #expect(objected.outcome?.contains("stopped") == true)
                let rectification = try await Self.verified(.rectification, from: "cy@example.com", in: register)
                await #expect(throws: CaseRefusal.notForKind(action: "fulfil", kind: .rectification)) {
                    try await Self.fulfil(rectification.id, with: fulfilment)
                }
            }
        }

        @Test(
            "C28: staff are reminded once when a case is nearly due and once when overdue, at the DPO's address, with no requester data",
            arguments: StoreBackend.all)
        func reminders(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let register = Self.register(fixture)
                let reminders = CaseReminders(register: register)
                func open(_ kind: RequestKind, daysAgo: Double) async throws -> RequestCase {
                    try await register.open(
                        RequestCase(
                            kind: kind, channel: .email, receivedAt: VaultFixture.now.addingTimeInterval(-daysAgo * 86_400), verifiedBy: .knownContact
                        ),
                        requester: Requester(email: "requester-\(Int(daysAgo))@example.com"), actor: "key:dpo", clock: Self.clock)
                }
                let overdue = try await open(.access, daysAgo: 40)
                let soon = try await open(.erasure, daysAgo: 26)
                _ = try await open(.restriction, daysAgo: 1)
                let first = try await reminders.send(
                    at: VaultFixture.now, declaration: Self.declaration, clock: Self.clock, consoleURL: "https://privacy.example")
                #expect(Set(first.map { "\($0.request)/\($0.level)" }) == ["\(overdue.id)/overdue", "\(soon.id)/dueSoon"])
                let queued = try await Outbox(register: register).due(at: VaultFixture.now)
                #expect(queued.count == 2 && queued.allSatisfy { $0.email.to == "dpo@northwind.example" })
                let overdueMail = try #require(queued.first { $0.email.text.contains(overdue.id.storedText) })
                #expect(
                    overdueMail.email.subject.contains("overdue")
                        && overdueMail.email.text.contains("https://privacy.example/admin/requests/\(overdue.id.storedText)"))
                #expect(!queued.contains { $0.email.text.contains("requester-") }, "no requester data in a reminder")
                #expect(
                    try await reminders.send(at: VaultFixture.now, declaration: Self.declaration, clock: Self.clock, consoleURL: "x").isEmpty,
                    "once per level")
                let later = try await reminders.send(
                    at: VaultFixture.now.addingTimeInterval(10 * 86_400), declaration: Self.declaration, clock: Self.clock, consoleURL: "x")
                #expect(later == [CaseReminders.Sent(request: soon.id, level: .overdue)])
                var silent = Self.declaration
                silent.organisation.dpo = nil
                silent.organisation.contact.email = nil
                _ = try await open(.access, daysAgo: 45)
                #expect(try await reminders.send(at: VaultFixture.now, declaration: silent, clock: Self.clock, consoleURL: "x").isEmpty)
            }
        }
    }
}
