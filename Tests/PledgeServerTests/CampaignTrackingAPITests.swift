import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PledgeJobs
import PledgeStore
import PledgeTestSupport
import Testing

@testable import PledgeCore
@testable import PledgeServer

/// Service messages and email tracking over HTTP (issue 28 §6, §7; C16, C19).
extension MarketingAPITests {
    @Test(
        "C16/OEX-37/CAM-24/CAM-25/CLQ-18 + bad input: a service campaign goes to an unsubscribed customer; one that promotes or tracks, more tracking than declared, or a resend of an untracked campaign is refused with nothing stored",
        arguments: StoreBackend.all)
    func serviceCampaignsAndRefusals(_ backend: StoreBackend) async throws {
        let aggregateOnly = try TestServer(backend: backend) {
            $0.replacingOccurrences(of: "    tracking: individual\n", with: "    tracking: aggregate\n")
        }
        try await aggregateOnly.test { client, keys in
            let ada = try await VaultAPITests.subject(client, keys, email: "ada@example.com", categories: ["customer"])
            let (suppressed, _, _) = try await Self.post(
                client, keys, "/v1/suppressions", role: "support", ["email": "ada@example.com", "reason": "unsubscribed"])
            #expect(suppressed == .created)
            let invoice: [String: Any] = ["purpose": "billing", "channel": "email", "subject": "Your invoice", "text": "Your invoice is ready."]
            let refusals: [([String: Any], String)] = [
                (invoice.merging(["html": "<p>Use promo code WINTER</p>"]) { $1 }, "campaign.service-promotional"),
                (invoice.merging(["tracking": "aggregate"]) { $1 }, "campaign.service-tracked"),
                (
                    ["purpose": "newsletter", "channel": "email", "subject": "News", "text": "x", "tracking": "individual"],
                    "campaign.tracking-not-declared"
                ),
            ]
            for (request, expected) in refusals {
                let (status, _, code) = try await Self.post(client, keys, "/v1/campaigns", request)
                #expect(status == .unprocessableContent && code == expected, "\(request)")
            }
            let (created, draft, _) = try await Self.post(client, keys, "/v1/campaigns", invoice)
            #expect(created == .created && draft["kind"] as? String == "service" && draft["tracking"] as? String == "none")
            let id = draft["id"] as? String ?? ""
            let (sent, sending, _) = try await Self.post(client, keys, "/v1/campaigns/\(id)/send", [:])
            #expect(
                sent == .accepted && (sending["progress"] as? [String: Int]) == ["queued": 1],
                "OEX-37: unsubscribed from marketing, not from invoices")
            #expect(try await Self.recipients(client, keys) == 0, "and still no marketing for \(ada)")
            let (resend, _, resendCode) = try await Self.post(client, keys, "/v1/campaigns/\(id)/resend", [:])
            #expect(resend == .unprocessableContent && resendCode == "campaign.not-tracked-individually")
        }
    }

    @Test(
        "C19/CLQ-21/CLQ-22/CLQ-23/ECR-14: a tracked click redirects only to the campaign's own link and is counted only with tracking consent; a forged link goes nowhere; the pixel is the same image whatever the token",
        arguments: StoreBackend.all)
    func trackingLinks(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys, dependencies in
            let ada = try await VaultAPITests.subject(client, keys, email: "ada@example.com", categories: ["customer"])
            try await Self.consent(client, keys, ada)
            let (tracked, _, _) = try await Self.post(
                client, keys, "/v1/subjects/\(ada)/consents", role: "support",
                ["purpose": "email-tracking", "action": "granted", "mechanism": "opt_in_checkbox", "wording": "Yes, track my opens"])
            #expect(tracked == .created)
            let (created, draft, _) = try await Self.post(
                client, keys, "/v1/campaigns",
                ["purpose": "newsletter", "channel": "email", "subject": "News", "text": "Read https://example.org/news", "tracking": "individual"])
            #expect(created == .created && draft["kind"] as? String == "marketing")
            let id = try #require(UUID(uuidString: draft["id"] as? String ?? ""))
            let (sent, _, _) = try await Self.post(client, keys, "/v1/campaigns/\(id.lowercasedString)/send", [:])
            #expect(sent == .accepted)
            // The sender records the message as it went: tracked individually, since Ada consented.
            let store = CampaignStore(vault: dependencies.vault)
            let due = try #require(try await store.due(at: TestServer.now, lease: 60).first)
            try await store.recordSent([(due, .individual)], at: TestServer.now)

            let subject = try #require(UUID(uuidString: ada))
            let token = UnsubscribeToken(subject: subject, campaign: id, issued: CalendarDate(utc: TestServer.now))
            let link = token.text(key: dependencies.vault.keys.trackingSigning)
            try await client.execute(uri: "/t/\(link)/c/0", method: .get) { response in
                #expect(response.status == .found && response.headers[.location] == "https://example.org/news")
            }
            try await client.execute(uri: "/t/\(link)/c/1", method: .get) { #expect($0.status == .notFound, "no second link") }
            let unsubscribeLink = token.text(key: dependencies.vault.keys.unsubscribeSigning)
            try await client.execute(uri: "/t/\(unsubscribeLink)/c/0", method: .get) {
                #expect($0.status == .notFound, "an unsubscribe token is not a tracking token")
            }
            for uri in ["/t/\(link)/o", "/t/forged/o"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(
                        response.status == .ok && response.headers[.contentType] == "image/gif"
                            && Array(response.body.readableBytesView) == PledgeAPI.pixel)
                }
            }
            try await client.execute(uri: "/v1/campaigns/\(id.lowercasedString)", method: .get, headers: keys.headers("marketing")) { response in
                let results = response.body.json()["results"] as? [String: Int]
                #expect(results == ["trackedIndividually": 1, "opened": 1, "clicked": 1], "CLQ-22")
            }
            // A resend selects non-openers only: Ada clicked, so nobody.
            let (resent, resend, _) = try await Self.post(
                client, keys, "/v1/campaigns/\(id.lowercasedString)/resend", ["subject": "In case you missed it"])
            #expect(
                resent == .created && resend["resendOf"] as? String == id.lowercasedString && resend["subject"] as? String == "In case you missed it")
            let (empty, _, emptyCode) = try await Self.post(client, keys, "/v1/campaigns/\(resend["id"] as? String ?? "")/send", [:])
            #expect(empty == .unprocessableContent && emptyCode == "campaign.audience-empty")
        }
    }
}

extension MarketingAPITests {
    @Test(
        "CAM-22 (issue 28 §2): an inbox campaign reaches only people with an account; the service reads each person's inbox through the API, audited; an inbox campaign on another channel is refused",
        arguments: StoreBackend.all)
    func inboxCampaign(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys, dependencies in
            let (_, created, _) = try await Self.post(
                client, keys, "/v1/subjects", role: "support",
                ["identifiers": ["email": "ada@example.com", "account": "ada-7"], "categories": ["customer"]])
            let ada = try #require(created["id"] as? String)
            try await Self.consent(client, keys, ada)
            let bob = try await VaultAPITests.subject(client, keys, email: "bob@example.com", categories: ["customer"])
            try await Self.consent(client, keys, bob)
            let inbox: [String: Any] = [
                "purpose": "newsletter", "channel": "email", "destination": "inbox", "subject": "News", "text": "Hello from us",
            ]
            let (refused, _, code) = try await Self.post(client, keys, "/v1/campaigns", inbox.merging(["channel": "sms"]) { $1 })
            #expect(refused == .unprocessableContent && code == "campaign.inbox-channel")
            let (_, draft, _) = try await Self.post(client, keys, "/v1/campaigns", inbox)
            #expect(draft["destination"] as? String == "inbox")
            let (sent, sending, _) = try await Self.post(client, keys, "/v1/campaigns/\(draft["id"] as? String ?? "")/send", [:])
            #expect(sent == .accepted && (sending["exclusions"] as? [[String: Any]])?.first?["code"] as? String == "no_inbox", "\(sending)")
            let relay = try SMTPClient(relay: try SMTPRelay(url: "smtp://127.0.0.1:9", from: "news@example.org"), timeout: .seconds(5))
            let delivery = CampaignDelivery(
                vault: dependencies.vault, registry: dependencies.registry, client: nil, publicURL: dependencies.publicURL,
                logger: Logger(label: "pledge.test"), clock: { TestServer.now })
            #expect(await delivery.deliver(with: relay) == [.sent])
            try await client.execute(uri: "/v1/subjects/\(ada)/inbox", method: .get, headers: keys.headers("support")) { response in
                let messages = response.body.json()["messages"] as? [[String: Any]] ?? []
                #expect(response.status == .ok && messages.map { $0["subject"] as? String } == ["News"])
                #expect((messages.first?["text"] as? String)?.hasPrefix("Hello from us") == true)
            }
            try await client.execute(uri: "/v1/subjects/\(bob)/inbox", method: .get, headers: keys.headers("support")) {
                #expect($0.status == .ok && ($0.body.json()["messages"] as? [Any])?.isEmpty == true)
            }
            try await client.execute(uri: "/v1/subjects/\(UUID().uuidString.lowercased())/inbox", method: .get, headers: keys.headers("support")) {
                #expect($0.status == .notFound)
            }
            try await client.execute(uri: "/v1/audit?object=subject:\(ada)", method: .get, headers: keys.headers("dpo")) { response in
                let entries = response.body.json()["entries"] as? [[String: Any]] ?? []
                #expect(entries.contains { $0["action"] as? String == "inbox.read" })
            }
        }
    }

    @Test(
        "C18/OEX-60/OEX-69 (PECR reg 23, RFC 2369): a message to the mailto: unsubscribe address, handed over by the mail system, suppresses the person at once; no token, a forged one or a caller without the permission changes nothing",
        arguments: StoreBackend.all)
    func unsubscribeByMail(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys, dependencies in
            let (_, token) = try await Self.consentedCustomer(client, keys, dependencies)
            func hand(_ subject: String, role: String = "support") async throws -> (HTTPResponse.Status, String?) {
                let message = "From: Ada <ada@example.com>\r\nTo: privacy@northwind.example\r\nSubject: \(subject)\r\n\r\nPlease stop.\r\n"
                var headers = keys.headers(role)
                headers[.contentType] = "message/rfc822"
                return try await client.execute(uri: "/v1/unsubscribes/mail", method: .post, headers: headers, body: ByteBuffer(string: message)) {
                    ($0.status, $0.body.errorCode())
                }
            }
            var forged = Array(token)
            forged[8] = forged[8] == "A" ? "B" : "A"
            #expect(try await hand("unsubscribe").1 == "unsubscribe.mail-no-token")
            #expect(try await hand("unsubscribe \(String(forged))").1 == "unsubscribe.token-invalid")
            #expect(try await hand("unsubscribe \(token)", role: "analyst").0 == .forbidden)
            #expect(try await Self.recipients(client, keys) == 1, "nothing changed")
            #expect(try await hand("Re: unsubscribe \(token)").0 == .ok)
            #expect(try await Self.recipients(client, keys) == 0, "in force for the very next send")
            let (_, lookup, _) = try await Self.post(client, keys, "/v1/suppressions/lookup", role: "support", ["email": "ada@example.com"])
            #expect(lookup["reason"] as? String == "unsubscribed")
        }
    }

    @Test(
        "C18/OEX-13/OEX-61 (issue 28 §5; PECR reg 22): a newsletter sent by email and SMS has a box per channel on the link's page; unticking SMS withdraws SMS only, in the ledger and the very next preview",
        arguments: StoreBackend.all)
    func channelChoicesFromTheLink(_ backend: StoreBackend) async throws {
        let emailAndSMS = try TestServer(backend: backend) {
            $0.replacingOccurrences(
                of: "    tracking_purpose: email-tracking\n",
                with: """
                        tracking_purpose: email-tracking
                      - id: newsletter-sms
                        channel: sms
                        basis: consent
                        purposes: [newsletter]
                        audience: [customer, enquirer]
                        opt_out: [reply_stop, preference_centre]

                    """)
        }
        try await emailAndSMS.test { client, keys, dependencies in
            let (_, created, _) = try await Self.post(
                client, keys, "/v1/subjects", role: "support",
                ["identifiers": ["email": "ada@example.com", "phone": "+447700900123"], "categories": ["customer"]])
            let ada = try #require(created["id"] as? String)
            try await Self.consent(client, keys, ada)
            let token = UnsubscribeToken(subject: try #require(UUID(uuidString: ada)), campaign: UUID(), issued: CalendarDate(utc: TestServer.now))
                .text(key: dependencies.vault.keys.unsubscribeSigning)
            let page = try await client.execute(uri: "/preferences/\(token)", method: .get) { $0.body.text }
            #expect(
                page.contains("name=\"channel\" value=\"newsletter.email\" checked")
                    && page.contains("name=\"channel\" value=\"newsletter.sms\" checked"))
            #expect(page.contains("Send our newsletter, by SMS") && !page.contains("name=\"consent\" value=\"newsletter\""), "\(page)")
            #expect(try await Self.savePreferences(client, token, "channel=newsletter.email") == .seeOther)
            let events = try await dependencies.vault.consentEvents(of: .subject(try #require(UUID(uuidString: ada)))).map(\.event)
            #expect(events.last?.scope == ConsentScope(purpose: "newsletter", channel: "sms") && events.last?.action == .withdrawn)
            #expect(events.last?.mechanism == "preference_link")
            #expect(try await Self.recipients(client, keys) == 1, "email goes on")
            let (_, sms, _) = try await Self.post(client, keys, "/v1/campaigns/preview", ["purpose": "newsletter", "channel": "sms"])
            #expect(sms["recipients"] as? Int == 0)
            #expect((sms["exclusions"] as? [[String: Any]])?.compactMap { $0["code"] as? String } == ["consent_withdrawn"], "\(sms)")
            let after = try await client.execute(uri: "/preferences/\(token)", method: .get) { $0.body.text }
            #expect(after.contains("value=\"newsletter.email\" checked") && after.contains("value=\"newsletter.sms\">"))
        }
    }

    @Test(
        "C18/CAM-23 (issue 28 §5): from the message's link, without an account, a person chooses a digest frequency and pauses marketing, then resumes it; account settings set the frequency through the API",
        arguments: StoreBackend.all)
    func digestAndPauseFromTheLink(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys, dependencies in
            let (ada, token) = try await Self.consentedCustomer(client, keys, dependencies)
            let subject = try #require(UUID(uuidString: ada))
            func page() async throws -> String {
                try await client.execute(uri: "/preferences/\(token)", method: .get) { $0.body.text }
            }
            func save(_ body: String) async throws -> HTTPResponse.Status { try await Self.savePreferences(client, token, body) }
            let before = try await page()
            #expect(before.contains("<option value=\"weekly\" selected>Every week</option>") && before.contains("name=\"pause\""), "\(before)")
            #expect(try await save("consent=newsletter&digest=daily&pause=30") == .seeOther)
            #expect(try await dependencies.vault.marketingChoices(of: subject)?.digestFrequency == .daily)
            let (_, preview, _) = try await Self.post(client, keys, "/v1/campaigns/preview", ["purpose": "newsletter", "channel": "email"])
            #expect(preview["recipients"] as? Int == 0 && (preview["exclusions"] as? [[String: Any]])?.first?["code"] as? String == "paused")
            let paused = try await page()
            #expect(paused.contains("id=\"marketing-paused\"") && paused.contains("<option value=\"daily\" selected>"))
            #expect(try await save("consent=newsletter&digest=daily&pause=resume") == .seeOther)
            #expect(try await Self.recipients(client, keys) == 1, "resumed")
            #expect(try await save("consent=newsletter&pause=7") == .badRequest, "only the offered lengths")

            let (changed, _, _) = try await Self.post(client, keys, "/v1/subjects/\(ada)/flags", role: "support", ["digestFrequency": "monthly"])
            #expect(changed == .ok)
            #expect(try await dependencies.vault.marketingChoices(of: subject)?.digestFrequency == .monthly)
            try await client.execute(uri: "/v1/audit?object=subject:\(ada)", method: .get, headers: keys.headers("dpo")) { response in
                let actions = (response.body.json()["entries"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
                #expect(
                    ["subject.digest-frequency", "subject.marketing-pause", "subject.marketing-resume"].allSatisfy(actions.contains), "\(actions)")
            }
        }
    }
}
