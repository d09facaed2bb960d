import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PledgeTestSupport
import Testing

@testable import PledgeCore
@testable import PledgeServer

/// Marketing over HTTP (issue 28): the suppression list, provenance on the subject, and the campaign
/// preview that names the rule excluding each person; bad input refused with nothing changed.
@Suite("Marketing API")
struct MarketingAPITests {
    static let body = VaultAPITests.body

    static func post(
        _ client: any TestClientProtocol, _ keys: TestKeys, _ uri: String, role: String = "marketing", _ object: [String: Any]
    ) async throws -> (HTTPResponse.Status, [String: Any], String?) {
        try await client.execute(uri: uri, method: .post, headers: keys.headers(role), body: body(object)) { response in
            (response.status, response.body.json(), response.body.errorCode())
        }
    }

    static func consent(_ client: any TestClientProtocol, _ keys: TestKeys, _ id: String) async throws {
        let (status, _, _) = try await post(
            client, keys, "/v1/subjects/\(id)/consents", role: "support",
            ["purpose": "newsletter", "action": "granted", "mechanism": "opt_in_checkbox", "wording": "Yes please"])
        #expect(status == .created)
    }

    @Test(
        "C17/C18/APX-23/CAM-26/OEX-02/OEX-59/OEX-60 (PECR reg 22, 23; Art 21(3)): an opt-out on the suppression list excludes the address from the very next preview, with the rule named",
        arguments: StoreBackend.all)
    func suppressionExcludesAtOnce(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let kept = try await VaultAPITests.subject(client, keys, email: "kept@example.com", categories: ["customer"])
            let leaving = try await VaultAPITests.subject(client, keys, email: "leaving@example.com", categories: ["customer"])
            let silent = try await VaultAPITests.subject(client, keys, email: "silent@example.com", categories: ["customer"])
            for id in [kept, leaving] { try await Self.consent(client, keys, id) }
            let campaign: [String: Any] = ["purpose": "newsletter", "channel": "email"]

            let (_, before, _) = try await Self.post(client, keys, "/v1/campaigns/preview", campaign)
            #expect(before["recipients"] as? Int == 2)
            #expect((before["grounds"] as? [String: Int]) == ["consent": 2])

            // Staff enter an opt-out taken by email (OEX-59); lookup by address, never in a URL.
            let (added, suppression, _) = try await Self.post(
                client, keys, "/v1/suppressions", role: "support", ["email": "Leaving@Example.com", "reason": "staff_opt_out"])
            #expect(added == .created && suppression["suppressed"] as? Bool == true && suppression["reason"] as? String == "staff_opt_out")
            let (_, found, _) = try await Self.post(client, keys, "/v1/suppressions/lookup", ["email": "leaving@example.com"])
            #expect(found["suppressed"] as? Bool == true)
            let (soft, _, _) = try await Self.post(client, keys, "/v1/bounces", ["email": "kept@example.com", "kind": "soft"])
            #expect(soft == .accepted, "a soft bounce changes nothing")
            let (_, absent, _) = try await Self.post(client, keys, "/v1/suppressions/lookup", ["email": "kept@example.com"])
            #expect(absent["suppressed"] as? Bool == false && absent["reason"] == nil)

            let (status, after, _) = try await Self.post(client, keys, "/v1/campaigns/preview", campaign)
            #expect(status == .ok && after["recipients"] as? Int == 1)
            let excluded = (after["excluded"] as? [[String: Any]] ?? []).reduce(into: [String: String]()) {
                $0[$1["subject"] as? String ?? ""] = $1["code"] as? String
            }
            #expect(excluded == [leaving: "suppressed", silent: "no_consent"])
            let rules = (after["exclusions"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
            #expect(rules.count == 2 && rules.allSatisfy { $0.contains("PECR") || $0.contains("Art") })

            // A hard bounce from the relay suppresses the address at once.
            let (bounced, bounce, _) = try await Self.post(client, keys, "/v1/bounces", ["email": "kept@example.com", "kind": "hard"])
            #expect(bounced == .created && bounce["reason"] as? String == "hard_bounce")
            let (_, afterBounce, _) = try await Self.post(client, keys, "/v1/campaigns/preview", campaign)
            #expect(afterBounce["recipients"] as? Int == 0)
        }
    }

    @Test(
        "C17/OEX-36/OEX-58: provenance recorded through the API decides the soft opt-in; an undeclared source is refused with nothing stored",
        arguments: StoreBackend.all)
    func provenance(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let id = try await VaultAPITests.subject(client, keys, email: "buyer@example.com", categories: ["customer"])
            let (refused, _, code) = try await Self.post(
                client, keys, "/v1/subjects/\(id)/flags", role: "support", ["provenance": ["obtained": "sale", "source": "nowhere"]])
            #expect(refused == .unprocessableContent && code == "subject.source-unknown")
            let (status, subject, _) = try await Self.post(
                client, keys, "/v1/subjects/\(id)/flags", role: "support",
                ["provenance": ["obtained": "sale", "source": "signup", "refusalOffered": true, "subscriber": "individual"]])
            #expect(status == .ok, "\(subject)")
            let provenance = (subject["subject"] as? [String: Any])?["provenance"] as? [String: Any]
            #expect(provenance?["obtained"] as? String == "sale" && provenance?["refusalOffered"] as? Bool == true)
        }
    }

    @Test(
        "issue 28 bad input: an unknown purpose, a service purpose, an undeclared channel or partner, a category outside the audience, an unknown reason, no address: stable codes",
        arguments: StoreBackend.all)
    func badInput(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let cases: [([String: Any], HTTPResponse.Status, String)] = [
                (["purpose": "nothing", "channel": "email"], .unprocessableContent, "purpose.unknown"),
                (["purpose": "raffle", "channel": "email"], .unprocessableContent, "purpose.unknown"),
                (["purpose": "billing", "channel": "sms"], .unprocessableContent, "campaign.medium-not-sent"),
                (["purpose": "newsletter", "channel": "sms"], .unprocessableContent, "marketing.channel-not-declared"),
                (["purpose": "newsletter", "channel": "email", "partner": "mailer"], .unprocessableContent, "marketing.partner-not-declared"),
                (
                    ["purpose": "newsletter", "channel": "email", "categories": ["visitor"]], .unprocessableContent,
                    "marketing.category-not-in-audience"
                ),
                (["purpose": "newsletter", "channel": "pigeon"], .badRequest, "request.invalid-value"),
            ]
            for (request, expected, expectedCode) in cases {
                let (status, _, code) = try await Self.post(client, keys, "/v1/campaigns/preview", request)
                #expect(status == expected && code == expectedCode, "\(request)")
            }
            let (badReason, _, _) = try await Self.post(client, keys, "/v1/suppressions", ["email": "a@example.com", "reason": "because"])
            #expect(badReason == .badRequest)
            let (noAddress, _, noAddressCode) = try await Self.post(client, keys, "/v1/suppressions", ["reason": "objection"])
            #expect(noAddress == .badRequest && noAddressCode == "request.invalid-body")
            let (badAddress, _, badAddressCode) = try await Self.post(client, keys, "/v1/suppressions", ["email": "nobody", "reason": "objection"])
            #expect(badAddress == .unprocessableContent && badAddressCode == "identifier.invalid")
            let (_, lookup, _) = try await Self.post(client, keys, "/v1/suppressions/lookup", ["email": "a@example.com"])
            #expect(lookup["suppressed"] as? Bool == false, "nothing was stored by the refused calls")
            let (forbidden, _, forbiddenCode) = try await Self.post(
                client, keys, "/v1/campaigns/preview", role: "support", ["purpose": "newsletter", "channel": "email"])
            #expect(forbidden == .forbidden && forbiddenCode == "auth.role")
        }
    }

    /// Ada, a customer on the newsletter, and a preference link of hers.
    static func consentedCustomer(
        _ client: any TestClientProtocol, _ keys: TestKeys, _ dependencies: AppDependencies
    ) async throws -> (id: String, token: String) {
        let ada = try await VaultAPITests.subject(client, keys, email: "ada@example.com", categories: ["customer"])
        try await consent(client, keys, ada)
        let token = UnsubscribeToken(subject: try #require(UUID(uuidString: ada)), campaign: UUID(), issued: CalendarDate(utc: TestServer.now))
            .text(key: dependencies.vault.keys.unsubscribeSigning)
        return (ada, token)
    }

    /// Submits the preference form of `token`'s link.
    static func savePreferences(_ client: any TestClientProtocol, _ token: String, _ body: String) async throws -> HTTPResponse.Status {
        try await client.execute(
            uri: "/preferences/\(token)", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body)
        ) { $0.status }
    }

    static func recipients(_ client: any TestClientProtocol, _ keys: TestKeys) async throws -> Int? {
        try await post(client, keys, "/v1/campaigns/preview", ["purpose": "newsletter", "channel": "email"]).1["recipients"] as? Int
    }

    static func oneClick(
        _ client: any TestClientProtocol, _ token: String, body: String = "List-Unsubscribe=One-Click"
    ) async throws -> (
        HTTPResponse.Status, String
    ) {
        // Exactly what a mailbox provider sends (RFC 8058 §3.2): no cookie, no key.
        try await client.execute(
            uri: "/unsubscribe/\(token)", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body)
        ) { ($0.status, $0.body.text) }
    }

    @Test(
        "C18/OEX-60/CLQ-25/CLQ-38 (RFC 8058, PECR reg 23): a GET shows a button and changes nothing; the one-click POST unsubscribes at once for the very next send; forged, expired or wrong bodies change nothing",
        arguments: StoreBackend.all)
    func oneClickUnsubscribe(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys, dependencies in
            let ada = try await VaultAPITests.subject(client, keys, email: "ada@example.com", categories: ["customer"])
            let bob = try await VaultAPITests.subject(client, keys, email: "bob@example.com", categories: ["customer"])
            for id in [ada, bob] { try await Self.consent(client, keys, id) }
            let key = try #require(dependencies.vault.keys.unsubscribe.first)
            let today = CalendarDate(utc: TestServer.now)
            let campaign = UUID()
            let adaToken = UnsubscribeToken(subject: try #require(UUID(uuidString: ada)), campaign: campaign, issued: today).text(key: key)
            let bobToken = UnsubscribeToken(subject: try #require(UUID(uuidString: bob)), campaign: campaign, issued: today).text(key: key)

            try await client.execute(uri: "/unsubscribe/\(adaToken)", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.body.text.contains("name=\"List-Unsubscribe\" value=\"One-Click\""))
                #expect(response.body.text.contains("action=\"/unsubscribe/\(adaToken)\""))
            }
            #expect(try await Self.recipients(client, keys) == 2, "a link scanner's GET unsubscribes nobody")

            var forged = Array(bobToken)
            forged[5] = forged[5] == "A" ? "B" : "A"
            let (forgedStatus, forgedPage) = try await Self.oneClick(client, String(forged))
            #expect(forgedStatus == .notFound && forgedPage.contains("unsubscribe.token-invalid"))
            let old = UnsubscribeToken(
                subject: try #require(UUID(uuidString: bob)), campaign: campaign,
                issued: CalendarDate(utc: TestServer.now.addingTimeInterval(-800 * 86_400))
            ).text(key: key)
            let (expiredStatus, expiredPage) = try await Self.oneClick(client, old)
            #expect(expiredStatus == .gone && expiredPage.contains("unsubscribe.token-expired"))
            let (wrongBody, _) = try await Self.oneClick(client, bobToken, body: "List-Unsubscribe=Please")
            #expect(wrongBody == .badRequest)
            #expect(try await Self.recipients(client, keys) == 2, "nothing changed")

            let (status, page) = try await Self.oneClick(client, adaToken)
            #expect(status == .ok && page.contains("You are unsubscribed"))
            #expect(try await Self.recipients(client, keys) == 1, "in force for the very next send")
            let (_, lookup, _) = try await Self.post(client, keys, "/v1/suppressions/lookup", ["email": "ada@example.com"])
            #expect(lookup["reason"] as? String == "unsubscribed")
            let (again, _) = try await Self.oneClick(client, adaToken)
            #expect(again == .ok, "a second press is harmless")
            try await client.execute(uri: "/v1/audit?object=subject:\(ada)", method: .get, headers: keys.headers("dpo")) { response in
                let entries = response.body.json()["entries"] as? [[String: Any]] ?? []
                #expect(entries.contains { $0["action"] as? String == "suppression.add" && $0["actor"] as? String == "unsubscribe-link" })
            }
        }
    }

    @Test(
        "C17/OEX-24 (issue 28 §2, bad input): a draft is checked before anything is stored; a campaign is sent once; nobody in the audience is refused",
        arguments: StoreBackend.all)
    func campaigns(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let newsletter: [String: Any] = ["purpose": "newsletter", "channel": "email", "subject": "News for {{user.name}}", "text": "Hello"]
            let refusals: [([String: Any], String)] = [
                (newsletter.merging(["text": "{{user.credentials.password}}"]) { $1 }, "campaign.template-undeclared-field"),
                (newsletter.merging(["purpose": "billing", "text": "20% off everything"]) { $1 }, "campaign.service-promotional"),
                (newsletter.merging(["text": "Hello {{#user.name}} unclosed"]) { $1 }, "campaign.template-invalid"),
                (newsletter.merging(["channel": "post"]) { $1 }, "marketing.channel-not-declared"),
                // OEX-24: compliant.yaml declares no profiling purpose, so nobody may be chosen by interest.
                (newsletter.merging(["interests": ["boats"]]) { $1 }, "campaign.tailoring-undeclared"),
            ]
            for (request, expected) in refusals {
                let (status, _, code) = try await Self.post(client, keys, "/v1/campaigns", request)
                #expect(status == .unprocessableContent && code == expected, "\(request)")
            }
            let (created, draft, _) = try await Self.post(client, keys, "/v1/campaigns", newsletter)
            #expect(created == .created && draft["state"] as? String == "draft")
            let id = draft["id"] as? String ?? ""
            let (empty, _, emptyCode) = try await Self.post(client, keys, "/v1/campaigns/\(id)/send", [:])
            #expect(empty == .unprocessableContent && emptyCode == "campaign.audience-empty", "nobody has consented yet")

            let ada = try await VaultAPITests.subject(client, keys, email: "ada@example.com", categories: ["customer"])
            try await Self.consent(client, keys, ada)
            let (sent, sending, _) = try await Self.post(client, keys, "/v1/campaigns/\(id)/send", [:])
            #expect(sent == .accepted && sending["state"] as? String == "sending")
            #expect((sending["progress"] as? [String: Int]) == ["queued": 1])
            let (again, _, againCode) = try await Self.post(client, keys, "/v1/campaigns/\(id)/send", [:])
            #expect(again == .conflict && againCode == "campaign.already-sent")
            // Stopped and resumed (issue 28 §2); each only from the state it needs.
            let (stopped, halted, _) = try await Self.post(client, keys, "/v1/campaigns/\(id)/stop", [:])
            #expect(stopped == .ok && halted["state"] as? String == "stopped")
            let (stopAgain, _, stopAgainCode) = try await Self.post(client, keys, "/v1/campaigns/\(id)/stop", [:])
            #expect(stopAgain == .conflict && stopAgainCode == "campaign.not-sending")
            let (supportStop, _, _) = try await Self.post(client, keys, "/v1/campaigns/\(id)/resume", role: "support", [:])
            #expect(supportStop == .forbidden, "support may not send marketing")
            let (resumed, resuming, _) = try await Self.post(client, keys, "/v1/campaigns/\(id)/resume", [:])
            #expect(resumed == .accepted && resuming["state"] as? String == "sending" && (resuming["progress"] as? [String: Int]) == ["queued": 1])
            let (resumeAgain, _, resumeAgainCode) = try await Self.post(client, keys, "/v1/campaigns/\(id)/resume", [:])
            #expect(resumeAgain == .conflict && resumeAgainCode == "campaign.not-stopped")
            let (unknown, _, unknownCode) = try await Self.post(client, keys, "/v1/campaigns/\(UUID().uuidString.lowercased())/stop", [:])
            #expect(unknown == .notFound && unknownCode == "campaign.not-found")
            try await client.execute(uri: "/v1/campaigns/\(UUID().uuidString.lowercased())", method: .get, headers: keys.headers("marketing")) {
                #expect($0.status == .notFound)
                #expect($0.body.errorCode() == "campaign.not-found")
            }
        }
    }

    @Test(
        "C18/OEX-13/CLQ-46/CLQ-24/OEX-61 (Art 7(3), Art 21(3)): the preference link shows each consent; unticking withdraws it and stopping marketing objects, each a ledger event, in force at once; a forged link changes nothing",
        arguments: StoreBackend.all)
    func preferenceLink(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys, dependencies in
            let (ada, token) = try await Self.consentedCustomer(client, keys, dependencies)
            try await client.execute(uri: "/preferences/\(token)", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.body.text.contains("name=\"consent\" value=\"newsletter\" checked"), "\(response.body.text)")
                #expect(response.body.text.contains("action=\"/preferences/\(token)\""))
            }
            func save(_ body: String, token: String) async throws -> HTTPResponse.Status { try await Self.savePreferences(client, token, body) }
            var forged = Array(token)
            forged[8] = forged[8] == "A" ? "B" : "A"
            #expect(try await save("marketing=stop", token: String(forged)) == .notFound)
            #expect(try await Self.recipients(client, keys) == 1, "a forged link changed nothing")

            // Keep testimonials, untick the newsletter: a withdrawal in the ledger (Art 7(3)).
            #expect(try await save("consent=testimonials", token: token) == .seeOther)
            #expect(try await Self.recipients(client, keys) == 0)
            try await client.execute(uri: "/v1/subjects/\(ada)/consents", method: .get, headers: keys.headers("dpo")) { response in
                let events = response.body.json()["events"] as? [[String: Any]] ?? []
                #expect(events.contains { $0["action"] as? String == "withdrawn" && $0["mechanism"] as? String == "preference_link" })
                #expect(events.contains { $0["action"] as? String == "granted" && $0["purpose"] as? String == "testimonials" })
            }
            #expect(try await save("marketing=stop", token: token) == .seeOther)
            try await client.execute(uri: "/preferences/\(token)?saved=1", method: .get) { response in
                #expect(response.body.text.contains("id=\"marketing-stopped\"") && response.body.text.contains("id=\"saved\""))
            }
        }
    }
}
