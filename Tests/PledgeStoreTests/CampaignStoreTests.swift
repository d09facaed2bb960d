import Foundation
import Logging
import PledgeTestSupport
import Testing

@testable import PledgeCore
@testable import PledgeJobs
@testable import PledgeStore

/// Campaigns in the store (issue 28 §2, §3): started once, each message taken by one sender, and the
/// permission decided again just before each message goes.
extension StoreTests {
    @Suite("Campaigns")
    struct CampaignStoreTests {
        static let question = MarketingQuestion(purpose: "newsletter", medium: .email)

        /// Two consented customers, a campaign to customers started for them, and the store.
        static func started(_ fixture: VaultFixture) async throws -> (CampaignStore, Campaign, [UUID]) {
            let people = [try await fixture.newSubject(email: "ada@example.com"), try await fixture.newSubject(email: "bob@example.com")]
            for (id, name) in zip(people, ["Ada", "Bob"]) {
                _ = try await fixture.vault.record([VaultFixture.consent(.granted, .subject(id))], actor: "key:test", at: VaultFixture.now)
                try await fixture.vault.collect(
                    VaultFixture.plan(["user.name": name, "user.contact.email": "\(name.lowercased())@example.com"], purpose: "newsletter"), for: id,
                    noticeVersion: "2026-10", actor: "key:test", at: VaultFixture.now)
            }
            let store = CampaignStore(vault: fixture.vault)
            let campaign = Campaign(
                question: question, selection: .init(categories: ["customer"]), subject: "News", text: "Hello {{user.name}}",
                createdAt: VaultFixture.now)
            try await store.create(campaign, actor: "key:marketing")
            let rule = MarketingPermissionRule(RequestStoreTests.declaration)
            let resolution = try await MarketingAudience(vault: fixture.vault).resolve(
                question, selection: campaign.selection, rule: rule, at: VaultFixture.now)
            try await store.start(campaign.id, resolution: resolution, actor: "key:marketing", at: VaultFixture.now)
            return (store, campaign, people)
        }

        /// The sender, under compliant.yaml, with no relay of its own (tests pass one to `deliver`).
        static func delivery(_ fixture: VaultFixture) async throws -> CampaignDelivery {
            let registry = DeclarationRegistry(notices: FluentNoticeRepository(database: fixture.database))
            try await registry.publish(yaml: try ExampleFiles.yaml("compliant"), strict: false)
            return CampaignDelivery(
                vault: fixture.vault, registry: registry, client: nil, publicURL: "https://privacy.example.org", logger: Logger(label: "pledge.test"),
                clock: { VaultFixture.now })
        }

        @Test(
            "C17 (issue 28 §2): a campaign starts once; two senders taking at the same moment never take the same message",
            arguments: StoreBackend.all)
        func startsOnceAndLeases(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let (store, campaign, people) = try await Self.started(fixture)
                #expect(try await store.find(campaign.id)?.state == .sending)
                #expect(try await store.progress(of: campaign.id) == ["queued": 2])
                await #expect(throws: CampaignRefusal.alreadySent) {
                    try await store.start(campaign.id, resolution: .init(recipients: [], excluded: []), actor: "key:marketing", at: VaultFixture.now)
                }
                async let first = store.due(at: VaultFixture.now, lease: 60, limit: 1)
                async let second = store.due(at: VaultFixture.now, lease: 60, limit: 1)
                let taken = try await first + second
                #expect(Set(taken.map(\.subject)) == Set(people), "each message to one sender")
                #expect(try await store.due(at: VaultFixture.now, lease: 60).isEmpty, "held for the lease")
                #expect(try await store.due(at: VaultFixture.now.addingTimeInterval(61), lease: 60).count == 2, "retaken after it")
                _ = try await fixture.vault.erase(people[0], reason: "request", keeping: .nothing, actor: "key:dpo", at: VaultFixture.now)
                #expect(try await store.progress(of: campaign.id) == ["queued": 1], "erasure takes the person's message with them")
            }
        }

        @Test(
            "CAM-22/C16 (issue 28 §2): an inbox campaign reaches only people with an account, goes to their inbox sealed and untracked, not to the relay, and their erasure takes it",
            arguments: StoreBackend.all)
        func inbox(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let vault = fixture.vault
                let ada = try await vault.createSubject(
                    NewSubject(
                        identifiers: [
                            try SubjectIdentifier(kind: .email, raw: "ada@example.com"), try SubjectIdentifier(kind: .account, raw: "ada-7"),
                        ],
                        categories: ["customer"]), actor: "key:test", at: VaultFixture.now)
                let bob = try await fixture.newSubject(email: "bob@example.com")
                for (id, name) in [(ada, "Ada"), (bob, "Bob")] {
                    _ = try await vault.record([VaultFixture.consent(.granted, .subject(id))], actor: "key:test", at: VaultFixture.now)
                    try await vault.collect(
                        VaultFixture.plan(["user.name": name], purpose: "newsletter"), for: id, noticeVersion: "2026-10", actor: "key:test",
                        at: VaultFixture.now)
                }
                let store = CampaignStore(vault: vault)
                let campaign = Campaign(
                    question: Self.question, selection: .init(categories: ["customer"], destination: .inbox), subject: "News for {{user.name}}",
                    text: "Hello {{user.name}}, see https://example.org/news", tracking: .aggregate, createdAt: VaultFixture.now)
                try await store.create(campaign, actor: "key:marketing")
                #expect(try await store.find(campaign.id)?.selection.destination == .inbox)
                let rule = MarketingPermissionRule(RequestStoreTests.declaration)
                let resolution = try await store.audience(of: campaign, rule: rule, at: VaultFixture.now)
                #expect(resolution.recipients.map(\.subject) == [ada] && resolution.excluded.map(\.refusal) == [.noInbox], "Bob has no account")
                try await store.start(campaign.id, resolution: resolution, actor: "key:marketing", at: VaultFixture.now)
                // A relay that is not there: an inbox message never goes to it.
                let relay = try SMTPClient(relay: try SMTPRelay(url: "smtp://127.0.0.1:9", from: "news@example.org"), timeout: .seconds(5))
                let delivery = try await Self.delivery(fixture)
                #expect(await delivery.deliver(with: relay) == [.sent])
                let inbox = try await vault.inbox(of: ada, actor: "key:support", at: VaultFixture.now)
                #expect(inbox.map(\.subject) == ["News for Ada"] && inbox.first?.text.hasPrefix("Hello Ada, see https://example.org/news\n") == true)
                #expect(inbox.first?.text.contains("utm_") == false, "no tracking, not even campaign tags")
                #expect(try await vault.inbox(of: bob, actor: "key:support", at: VaultFixture.now).isEmpty)
                #expect(try await store.progress(of: campaign.id) == ["sent": 1, "excluded": 1])
                _ = try await vault.erase(ada, reason: "request", keeping: .nothing, actor: "key:dpo", at: VaultFixture.now)
                await #expect(throws: VaultRefusal.subjectNotFound) { try await vault.inbox(of: ada, actor: "key:support", at: VaultFixture.now) }
            }
        }

        @Test(
            "C17 (issue 28 §2): a stopped campaign gives no message to any sender until it is resumed, and then each that was not sent, once",
            arguments: StoreBackend.all)
        func stopAndResume(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let (store, campaign, people) = try await Self.started(fixture)
                let first = try await store.due(at: VaultFixture.now, lease: 60, limit: 1)
                try await store.recordSent(first.map { ($0, EmailTracking.none) }, at: VaultFixture.now)
                try await store.stop(campaign.id, actor: "key:marketing", at: VaultFixture.now)
                #expect(try await store.find(campaign.id)?.state == .stopped)
                #expect(try await store.due(at: VaultFixture.now.addingTimeInterval(3600), lease: 60).isEmpty, "nothing taken while stopped")
                await #expect(throws: CampaignRefusal.notSending) { try await store.stop(campaign.id, actor: "key:marketing", at: VaultFixture.now) }
                await #expect(throws: CampaignRefusal.notFound) { try await store.resume(UUID(), actor: "key:marketing", at: VaultFixture.now) }
                try await store.resume(campaign.id, actor: "key:marketing", at: VaultFixture.now)
                await #expect(throws: CampaignRefusal.notStopped) {
                    try await store.resume(campaign.id, actor: "key:marketing", at: VaultFixture.now)
                }
                let rest = try await store.due(at: VaultFixture.now, lease: 60)
                #expect(rest.map(\.subject) == people.filter { $0 != first.first?.subject }, "only the one not sent")
                #expect(try await store.progress(of: campaign.id) == ["queued": 1, "sent": 1])
                // A batch taken just as its campaign stops is given back unsent, due at once when it resumes.
                try await store.stop(campaign.id, actor: "key:marketing", at: VaultFixture.now)
                try await store.release(rest, at: VaultFixture.now)
                try await store.resume(campaign.id, actor: "key:marketing", at: VaultFixture.now)
                #expect(try await store.due(at: VaultFixture.now, lease: 60).map(\.subject) == rest.map(\.subject))
                let actions = try await AuditTrail(database: fixture.database).entries(about: "campaign:\(campaign.id.storedText)").map(
                    \.record.action)
                #expect(actions.filter { $0 == "campaign.stop" }.count == 2 && actions.filter { $0 == "campaign.resume" }.count == 2, "\(actions)")
            }
        }

        @Test(
            "C18/OEX-60/OEX-69 (PECR reg 23, Art 21(3)): while a batch is prepared (the one before it going out), an unsubscribe is in force for it: each person is decided once more just before it goes",
            arguments: StoreBackend.all)
        func decidedAgainBeforeItGoes(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let (store, campaign, people) = try await Self.started(fixture)
                let delivery = try await Self.delivery(fixture)
                let batch = try #require(await delivery.take(10))
                #expect(batch.leased == 2 && Set(batch.ready.map(\.due.subject)) == Set(people), "both prepared")
                try await fixture.vault.suppressAddresses(
                    of: people[0], kind: .email, reason: .unsubscribed, campaign: campaign.id, actor: "unsubscribe-link", at: VaultFixture.now)
                let (ready, refused) = await delivery.stillAllowed(batch.ready)
                #expect(ready.map(\.due.subject) == [people[1]] && refused == [.excluded("suppressed")])
                #expect(try await store.exclusions(of: campaign.id) == ["suppressed": 1])
            }
        }

        @Test(
            "C18/OEX-60/OEX-69 (PECR reg 23, Art 21(3)): an unsubscribe after the campaign started is in force for the very next message",
            arguments: StoreBackend.all)
        func decidedAgainAtSend(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let (store, campaign, people) = try await Self.started(fixture)
                try await fixture.vault.suppressAddresses(
                    of: people[0], kind: .email, reason: .unsubscribed, campaign: campaign.id, actor: "unsubscribe-link", at: VaultFixture.now)
                let delivery = try await Self.delivery(fixture)
                // A relay that is not there: whoever may still receive it fails to send and waits; nobody else is tried.
                let relay = try SMTPClient(relay: try SMTPRelay(url: "smtp://127.0.0.1:9", from: "news@example.org"), timeout: .seconds(5))
                let outcomes = await delivery.deliver(with: relay)
                #expect(outcomes.contains(.excluded("suppressed")))
                #expect(outcomes.count == 2 && outcomes.contains { if case .failed = $0 { true } else { false } }, "\(outcomes)")
                #expect(try await store.exclusions(of: campaign.id) == ["suppressed": 1])
                #expect(try await store.progress(of: campaign.id) == ["queued": 1, "excluded": 1], "the other waits for the relay")
            }
        }
    }
}
