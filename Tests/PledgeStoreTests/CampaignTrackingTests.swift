import Foundation
import Logging
import PledgeTestSupport
import Testing

@testable import PledgeCore
@testable import PledgeJobs
@testable import PledgeStore

/// Tracking tiers and service messages in the store and the sender (issue 28 §6, §7; C16, C19).
extension StoreTests {
    @Suite("Campaign tracking and service messages")
    struct CampaignTrackingTests {
        static let question = MarketingQuestion(purpose: "newsletter", medium: .email)
        static let publicURL = "https://privacy.example.org"

        /// compliant.yaml: its newsletter channel may track individually, with consent to `email-tracking`.
        static var declaration: Declaration { RequestStoreTests.declaration }

        /// A customer on the newsletter with their name and address, and consent to tracking when `tracked`.
        static func customer(_ fixture: VaultFixture, _ name: String, tracked: Bool) async throws -> UUID {
            let email = "\(name.filter(\.isLetter).lowercased())@example.com"
            let id = try await fixture.newSubject(email: email)
            var consents = [VaultFixture.consent(.granted, .subject(id))]
            if tracked { consents.append(VaultFixture.consent(.granted, .subject(id), purpose: "email-tracking")) }
            _ = try await fixture.vault.record(consents, actor: "key:test", at: VaultFixture.now)
            for purpose in ["newsletter", "billing"] {
                let category = purpose == "billing" ? "user.account.contact.email" : "user.contact.email"
                try await fixture.vault.collect(
                    VaultFixture.plan(["user.name": name, category: email], purpose: purpose), for: id, noticeVersion: "2026-10", actor: "key:test",
                    at: VaultFixture.now)
            }
            return id
        }

        @Test(
            "C19/CLQ-19/CLQ-20/CLQ-21/ECR-14 (PECR reg 6): in one campaign the person who consented to tracking gets a pixel and personal links; the other gets links tagged with the campaign only; HTML values are escaped by Pledge",
            arguments: StoreBackend.all)
        func tiersPerPerson(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let rule = MarketingPermissionRule(Self.declaration)
                let ada = try await Self.customer(fixture, "Ada", tracked: true)
                let bob = try await Self.customer(fixture, "<Bob & Co>", tracked: false)
                let campaign = Campaign(
                    question: Self.question, selection: .init(), subject: "News for {{user.name}}",
                    text: "Hello {{user.name}}, read https://example.org/news.",
                    html: "<p>Hi {{user.name}}, <a href=\"https://example.org/news?a=1&amp;b=2\">news</a></p>",
                    tracking: .individual, createdAt: VaultFixture.now)
                let delivery = CampaignDelivery(
                    vault: fixture.vault, registry: DeclarationRegistry(notices: FluentNoticeRepository(database: fixture.database)), client: nil,
                    publicURL: Self.publicURL, logger: Logger(label: "pledge.test"))
                func message(_ subject: UUID) async throws -> (EmailTracking, OutgoingEmail) {
                    let consents = try await fixture.vault.state(of: subject)?.consents ?? ConsentState()
                    let tier = rule.tracking(campaign.tracking, for: Self.question, consents: consents)
                    let values = try await fixture.vault.values(of: subject, purpose: "newsletter", actor: "campaign:test", at: VaultFixture.now)
                    let email = try delivery.message(
                        campaign, to: subject, address: "x@example.com", values: values, tracking: tier, service: false,
                        organisation: Self.declaration.organisation, at: VaultFixture.now)
                    return (tier, email)
                }
                let (adaTier, toAda) = try await message(ada)
                #expect(adaTier == .individual)
                #expect(toAda.text.contains("read \(Self.publicURL)/t/") && toAda.text.contains("/c/0.") && !toAda.text.contains("example.org/news"))
                let html = try #require(toAda.html)
                #expect(html.contains("/c/1\">news</a>") && html.contains("/o\" width=\"1\" height=\"1\""), "\(html)")
                #expect(html.contains("Sent by Northwind Analytics Ltd") && html.contains("/unsubscribe/"))

                let (bobTier, toBob) = try await message(bob)
                #expect(bobTier == .aggregate)
                let tag = "utm_campaign=\(campaign.id.lowercasedString)"
                #expect(toBob.text.contains("https://example.org/news?utm_source=pledge&utm_medium=email&\(tag).") && !toBob.text.contains("/t/"))
                let bobHTML = try #require(toBob.html)
                #expect(bobHTML.contains("news?a=1&amp;b=2&amp;utm_source=pledge") && !bobHTML.contains("<img") && !bobHTML.contains("/t/"))
                #expect(bobHTML.contains("Hi &lt;Bob &amp; Co&gt;,") && toBob.subject == "News for <Bob & Co>", "escaped in HTML only")
                // RFC 2369 mailto beside the URL, its subject naming the same token as the link.
                let link = try #require(toBob.listUnsubscribe?.url.split(separator: "/").last)
                #expect(
                    toBob.listUnsubscribe?.mailto?.hasSuffix("?subject=unsubscribe%20\(link)") == true, "\(String(describing: toBob.listUnsubscribe))"
                )
            }
        }

        @Test(
            "C19/CLQ-21/CLQ-22/CLQ-23: opens are recorded only for people tracked with consent, and stop when it is withdrawn; a resend reaches only consenting non-openers; the access export shows them",
            arguments: StoreBackend.all)
        func engagementAndResend(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let rule = MarketingPermissionRule(Self.declaration)
                let ada = try await Self.customer(fixture, "Ada", tracked: true)
                let bob = try await Self.customer(fixture, "Bob", tracked: false)
                let cy = try await Self.customer(fixture, "Cy", tracked: true)
                let store = CampaignStore(vault: fixture.vault)
                let campaign = Campaign(
                    question: Self.question, selection: .init(), subject: "News", text: "https://example.org/news", tracking: .individual,
                    createdAt: VaultFixture.now)
                try await store.create(campaign, actor: "key:marketing")
                try await store.start(
                    campaign.id, resolution: try await store.audience(of: campaign, rule: rule, at: VaultFixture.now), actor: "key:marketing",
                    at: VaultFixture.now)
                var sent: [(due: CampaignStore.Due, tracking: EmailTracking)] = []
                for due in try await store.due(at: VaultFixture.now, lease: 60) {
                    let consents = try await fixture.vault.state(of: due.subject)?.consents ?? ConsentState()
                    sent.append((due, rule.tracking(.individual, for: Self.question, consents: consents)))
                }
                try await store.recordSent(sent, at: VaultFixture.now)
                #expect(try await store.progress(of: campaign.id) == ["sent": 3])
                #expect(try await store.record(.open, campaign: campaign.id, subject: ada, rule: rule, at: VaultFixture.now))
                #expect(try await !store.record(.click, campaign: campaign.id, subject: bob, rule: rule, at: VaultFixture.now), "bob is not tracked")
                #expect(try await store.results(of: campaign.id) == .init(trackedIndividually: 2, opened: 1, clicked: 0))
                #expect(try await store.nonOpeners(of: campaign.id) == [cy])
                // Art 15(1): the access export shows the message, its tracking and the open recorded.
                let records = try #require(try await fixture.vault.records(of: ada, purpose: "access", actor: "key:dpo", at: VaultFixture.now))
                let message = try #require(records.marketingMessages.first)
                #expect(message.campaign == campaign.id && message.state == "sent" && message.tracking == "individual")
                #expect(message.openedAt == VaultFixture.now && message.clickedAt == nil)

                let resend = Campaign(
                    question: Self.question, selection: .init(), subject: "In case you missed it", text: "x", tracking: .individual,
                    resendOf: campaign.id, createdAt: VaultFixture.now)
                try await store.create(resend, actor: "key:marketing")
                #expect(try await store.find(resend.id)?.resendOf == campaign.id)
                #expect(try await store.audience(of: resend, rule: rule, at: VaultFixture.now).recipients.map(\.subject) == [cy])

                // Cy withdraws tracking consent only: still on the newsletter, no longer recorded, no longer a known non-opener.
                _ = try await fixture.vault.record(
                    [VaultFixture.consent(.withdrawn, .subject(cy), purpose: "email-tracking", offset: 1)], actor: "key:test", at: VaultFixture.now)
                #expect(try await !store.record(.open, campaign: campaign.id, subject: cy, rule: rule, at: VaultFixture.now))
                #expect(try await store.audience(of: resend, rule: rule, at: VaultFixture.now).recipients.isEmpty)
                let newsletter = try await store.audience(of: campaign, rule: rule, at: VaultFixture.now)
                #expect(Set(newsletter.recipients.map(\.subject)) == [ada, bob, cy])
            }
        }

        @Test(
            "C16/OEX-37/CAM-24/CAM-25/CLQ-18: a service campaign reaches the unsubscribed, not a hard bounce; its message has no tracking and no unsubscribe",
            arguments: StoreBackend.all)
        func serviceMessages(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let rule = MarketingPermissionRule(Self.declaration)
                let ada = try await Self.customer(fixture, "Ada", tracked: true)
                let bob = try await Self.customer(fixture, "Bob", tracked: false)
                _ = try await fixture.vault.suppressAddresses(
                    of: ada, kind: .email, reason: .unsubscribed, campaign: nil, actor: "unsubscribe-link", at: VaultFixture.now)
                _ = try await fixture.vault.suppressAddresses(
                    of: bob, kind: .email, reason: .hardBounce, campaign: nil, actor: "bounce", at: VaultFixture.now)
                let store = CampaignStore(vault: fixture.vault)
                let billing = MarketingQuestion(purpose: "billing", medium: .email)
                let invoice = Campaign(
                    question: billing, selection: .init(), subject: "Your invoice", text: "Your invoice is at https://example.org/invoices",
                    html: "<p>Your invoice is at <a href=\"https://example.org/invoices\">invoices</a></p>", createdAt: VaultFixture.now)
                let audience = try await store.audience(of: invoice, rule: rule, at: VaultFixture.now)
                #expect(audience.recipients.map(\.subject) == [ada] && audience.recipients.map(\.ground) == [.service])
                #expect(audience.excluded.map(\.refusal) == [.suppressed(.hardBounce)])
                let newsletter = try await store.audience(
                    of: Campaign(question: Self.question, selection: .init(), subject: "News", text: "x", createdAt: VaultFixture.now), rule: rule,
                    at: VaultFixture.now)
                #expect(newsletter.recipients.isEmpty, "neither may get marketing")

                let delivery = CampaignDelivery(
                    vault: fixture.vault, registry: DeclarationRegistry(notices: FluentNoticeRepository(database: fixture.database)), client: nil,
                    publicURL: Self.publicURL, logger: Logger(label: "pledge.test"))
                let consents = try await fixture.vault.state(of: ada)?.consents ?? ConsentState()
                let tier = rule.tracking(.individual, for: billing, consents: consents)
                #expect(tier == .none)
                let email = try delivery.message(
                    invoice, to: ada, address: "ada@example.com", values: [], tracking: tier, service: true,
                    organisation: Self.declaration.organisation, at: VaultFixture.now)
                #expect(email.listUnsubscribe == nil && !email.text.contains("unsubscribe") && email.text.contains("https://example.org/invoices\n"))
                let html = try #require(email.html)
                #expect(!html.contains("<img") && !html.contains("/t/") && !html.contains("utm_") && html.contains("whatever your marketing choices"))
            }
        }
    }
}

extension StoreTests.CampaignTrackingTests {
    @Test(
        "C16/CAM-23: a digest campaign reaches each customer at the frequency they chose, the declared default until they choose, never for never; a paused person gets no marketing",
        arguments: StoreBackend.all)
    func digestsAtEachFrequency(_ backend: StoreBackend) async throws {
        try await VaultFixture.with(backend) { fixture in
            let rule = MarketingPermissionRule(Self.declaration)
            let ada = try await Self.customer(fixture, "Ada", tracked: false)
            let bob = try await Self.customer(fixture, "Bob", tracked: false)
            let cy = try await Self.customer(fixture, "Cy", tracked: false)
            try await fixture.vault.apply(.digestFrequency(.daily), to: ada, actor: "preference-link", at: VaultFixture.now)
            try await fixture.vault.apply(.digestFrequency(.never), to: cy, actor: "key:account-settings", at: VaultFixture.now)
            #expect(try await fixture.vault.marketingChoices(of: ada) == MarketingChoices(digestFrequency: .daily))
            let store = CampaignStore(vault: fixture.vault)
            func run(_ day: Int) async throws -> Set<UUID> {
                let instant = VaultFixture.now.addingTimeInterval(Double(day) * 86_400)
                let digest = Campaign(
                    question: MarketingQuestion(purpose: "digests", medium: .email), selection: .init(), subject: "Your week",
                    text: "Hello {{user.name}}", createdAt: instant)
                try await store.create(digest, actor: "key:marketing")
                let audience = try await store.audience(of: digest, rule: rule, at: instant)
                if !audience.recipients.isEmpty { try await store.start(digest.id, resolution: audience, actor: "key:marketing", at: instant) }
                return Set(audience.recipients.map(\.subject))
            }
            #expect(try await run(0) == [ada, bob], "Ada daily, Bob the declared weekly, Cy never")
            #expect(try await run(0).isEmpty, "nobody twice the same day, though the first is still queued")
            #expect(try await run(1) == [ada])
            #expect(try await run(7) == [ada, bob])

            let until = try #require(MarketingPause.until(days: 30, from: VaultFixture.now))
            try await fixture.vault.apply(.marketingPause(until: until), to: bob, actor: "preference-link", at: VaultFixture.now)
            let newsletter = try await store.audience(
                of: Campaign(question: Self.question, selection: .init(), subject: "News", text: "x", createdAt: VaultFixture.now), rule: rule,
                at: VaultFixture.now)
            #expect(newsletter.excluded.first { $0.subject == bob }?.refusal == .paused(until: until))
            #expect(Set(newsletter.recipients.map(\.subject)) == [ada, cy])
        }
    }
}
