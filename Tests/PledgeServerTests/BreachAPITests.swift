import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PledgeStore
import PledgeTestSupport
import Testing

/// The breach register over HTTP (issue 29 §2; C39; UK GDPR Arts 33, 34).
@Suite("Breach API")
struct BreachAPITests {
    static func post(
        _ client: any TestClientProtocol, _ keys: TestKeys, _ uri: String, role: String = "dpo", _ object: [String: Any]
    ) async throws -> (HTTPResponse.Status, [String: Any], String?) {
        try await MarketingAPITests.post(client, keys, uri, role: role, object)
    }

    @Test(
        "APX-49/APX-50/C39 (Arts 33, 34): a processor reports a breach and the clock runs from awareness; the DPO sees it escalated at 48 hours, assesses it high risk, records the late ICO notification with its reason and the people told; bad input changes nothing",
        arguments: StoreBackend.all)
    func register(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let ada = try await VaultAPITests.subject(client, keys, email: "ada@example.com", categories: ["customer"])
            try await MarketingAPITests.consent(client, keys, ada)
            let (collected, _, _) = try await Self.post(
                client, keys, "/v1/subjects/\(ada)/data", role: "support",
                ["purpose": "newsletter", "source": "signup", "fields": ["user.name": "Ada", "user.contact.email": "ada@example.com"]])
            #expect(collected == .created)
            let formatter = ISO8601DateFormatter()
            let aware = TestServer.now.addingTimeInterval(-50 * 3600)  // the clock is past 48 hours already
            let report: [String: Any] = [
                "awareAt": formatter.string(from: aware), "facts": "Our mailer's account was used by someone else",
                "categories": ["user.contact.email"], "approximateSubjects": 1, "measures": "Keys rotated",
            ]
            for (body, code) in [
                (report.filter { $0.key != "awareAt" }, "breach.awareness-missing"),
                (report.merging(["awareAt": formatter.string(from: TestServer.now.addingTimeInterval(3600))]) { $1 }, "breach.awareness-in-future"),
                (report.merging(["facts": "  "]) { $1 }, "breach.facts-missing"),
                (report.merging(["categories": ["user.made_up"]]) { $1 }, "breach.category-unknown"),
            ] {
                let (status, _, got) = try await Self.post(client, keys, "/v1/breaches", body)
                #expect(status == .unprocessableContent && got == code, "\(body)")
            }
            let (denied, _, _) = try await Self.post(client, keys, "/v1/breaches", role: "marketing", report)
            #expect(denied == .forbidden, "marketing may not report breaches")
            let (reported, breach, _) = try await Self.post(client, keys, "/v1/breaches", role: "processor:mailer", report)
            #expect(reported == .created && breach["standing"] as? String == "escalated" && breach["scope"] as? Int == 0, "\(breach)")
            #expect(breach["reportedBy"] as? String == "key:processor-mailer")
            // The scope counts the people whose data in those categories was held at awareness: Ada's came after that one.
            let (_, current, _) = try await Self.post(
                client, keys, "/v1/breaches", role: "support", report.merging(["awareAt": formatter.string(from: TestServer.now)]) { $1 })
            #expect(current["scope"] as? Int == 1 && current["standing"] as? String == "running")
            let id = try #require(breach["id"] as? String)
            try await client.execute(uri: "/v1/breaches", method: .get, headers: keys.headers("processor:mailer")) {
                #expect($0.status == .forbidden, "a processor reports, the DPO keeps the register")
            }
            try await client.execute(uri: "/v1/breaches", method: .get, headers: keys.headers("dpo")) { response in
                let list = response.body.json()
                #expect((list["breaches"] as? [[String: Any]])?.count == 2 && list["escalated"] as? Int == 1 && list["overdue"] as? Int == 0)
            }

            let (told, _, toldCode) = try await Self.post(
                client, keys, "/v1/breaches/\(id)/notifications", ["to": "individuals", "at": formatter.string(from: TestServer.now)])
            #expect(told == .unprocessableContent && toldCode == "breach.individuals-not-required")
            let (assessed, high, _) = try await Self.post(
                client, keys, "/v1/breaches/\(id)/assessment", ["risk": "high", "reasoning": "Addresses used for phishing"])
            #expect(assessed == .ok && high["individualsToBeTold"] as? Bool == true)
            let now = formatter.string(from: TestServer.now)
            let (onTime, notified, _) = try await Self.post(
                client, keys, "/v1/breaches/\(id)/notifications", ["to": "ico", "at": now, "reference": "ICO-1"])
            #expect(onTime == .ok && notified["standing"] as? String == "notified" && notified["notifiedLate"] as? Bool == false)
            let (again, _, againCode) = try await Self.post(client, keys, "/v1/breaches/\(id)/notifications", ["to": "ico", "at": now])
            #expect(again == .conflict && againCode == "breach.already-notified")
            let (peopleTold, people, _) = try await Self.post(client, keys, "/v1/breaches/\(id)/notifications", ["to": "individuals", "at": now])
            #expect(peopleTold == .ok && people["individualsToBeTold"] as? Bool == false)

            // One the DPO learns of 80 hours after awareness: overdue, and told late only with the reason.
            let (_, old, _) = try await Self.post(
                client, keys, "/v1/breaches",
                report.merging(["awareAt": formatter.string(from: TestServer.now.addingTimeInterval(-80 * 3600))]) { $1 })
            #expect(old["standing"] as? String == "overdue")
            let oldID = try #require(old["id"] as? String)
            let (noReason, _, noReasonCode) = try await Self.post(client, keys, "/v1/breaches/\(oldID)/notifications", ["to": "ico", "at": now])
            #expect(noReason == .unprocessableContent && noReasonCode == "breach.lateness-reason-missing")
            let (withReason, lateBreach, _) = try await Self.post(
                client, keys, "/v1/breaches/\(oldID)/notifications", ["to": "ico", "at": now, "latenessReason": "The processor told us on day 3"])
            #expect(withReason == .ok && lateBreach["notifiedLate"] as? Bool == true)
            try await client.execute(uri: "/v1/breaches/\(UUID().uuidString.lowercased())", method: .get, headers: keys.headers("dpo")) {
                #expect($0.status == .notFound && $0.body.errorCode() == "breach.not-found")
            }
            try await client.execute(uri: "/v1/audit?object=breach:\(id)", method: .get, headers: keys.headers("dpo")) { response in
                let actions = (response.body.json()["entries"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
                #expect(actions == ["breach.record", "breach.assess", "breach.notify-ico", "breach.notify-individuals"], "\(actions)")
            }
        }
    }

    @Test(
        "APX-49/C39 (Art 33(5)): the register exports as CSV, a breach a row with its facts, effects, measures and place on the clock; a formula typed into the facts stays text; only breaches:manage reads it",
        arguments: StoreBackend.all)
    func registerExport(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let aware = ISO8601DateFormatter().string(from: TestServer.now.addingTimeInterval(-3600))
            let (reported, _, _) = try await Self.post(
                client, keys, "/v1/breaches",
                [
                    "awareAt": aware, "facts": "=HYPERLINK(\"http://evil.example\") laptop lost, \"unencrypted\"",
                    "categories": ["user.contact.email"],
                    "measures": "Remote wipe",
                ])
            #expect(reported == .created)
            try await client.execute(uri: "/v1/breaches/register.csv", method: .get, headers: keys.headers("dpo")) { response in
                #expect(response.status == .ok && response.headers[.contentType]?.hasPrefix("text/csv") == true)
                let lines = response.body.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
                #expect(lines.first?.hasPrefix("id,aware_at,recorded_at,reported_by,facts,categories") == true)
                #expect(lines.count == 2, "\(lines)")
                let row = lines.last ?? ""
                #expect(row.contains("\"'=HYPERLINK(\"\"http://evil.example\"\") laptop lost, \"\"unencrypted\"\"\""), "\(row)")
                #expect(row.contains("Remote wipe") && row.contains(",running,"), "\(row)")
            }
            try await client.execute(uri: "/v1/breaches/register.csv", method: .get, headers: keys.headers("support")) {
                #expect($0.status == .forbidden)
            }
        }
    }

    @Test(
        "APX-50/APX-49/C39 (Art 34(2)): a high-risk breach's notice goes through the outbox to each person in scope at their address, with what happened, the likely consequences, the measures and the DPO; once; refused with nothing queued until assessed high and complete; a person erased before it goes is not written to",
        arguments: StoreBackend.all)
    func noticeToIndividuals(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys, dependencies in
            func collect(_ email: String, _ fields: [String: String]) async throws -> String {
                let id = try await VaultAPITests.subject(client, keys, email: email, categories: ["enquirer"])
                let (status, _, code) = try await Self.post(
                    client, keys, "/v1/subjects/\(id)/data", role: "support", ["purpose": "enquiries", "source": "contact-form", "fields": fields])
                #expect(status == .created, "\(code ?? "")")
                return id
            }
            _ = try await collect("ada@example.com", ["user.name": "Ada", "user.contact.email": "ada@example.com"])
            _ = try await collect("bob@example.com", ["user.contact.phone_number": "+44 20 7946 0000"])  // no address to write to
            let dan = try await collect("dan@example.com", ["user.contact.email": "dan@example.com"])
            let outbox = Outbox(register: dependencies.cases)
            func queued() async throws -> [OutgoingEmail] { try await outbox.due(at: TestServer.now.addingTimeInterval(1)).map(\.email) }

            let (_, breach, _) = try await Self.post(
                client, keys, "/v1/breaches",
                [
                    "awareAt": ISO8601DateFormatter().string(from: TestServer.now),
                    "facts": "A copy of the enquiries list was emailed to the wrong customer",
                    "categories": ["user.contact"],
                ])
            let id = try #require(breach["id"] as? String)
            let (early, _, earlyCode) = try await Self.post(client, keys, "/v1/breaches/\(id)/notice", [:])
            #expect(early == .unprocessableContent && earlyCode == "breach.individuals-not-required")
            _ = try await Self.post(client, keys, "/v1/breaches/\(id)/assessment", ["risk": "high", "reasoning": "Addresses and numbers exposed"])
            let (incomplete, refusal, incompleteCode) = try await Self.post(client, keys, "/v1/breaches/\(id)/notice", [:])
            #expect(incomplete == .unprocessableContent && incompleteCode == "breach.notice-incomplete")
            let message = try #require((refusal["error"] as? [String: Any])?["message"] as? String)
            #expect(message.contains("likely consequences") && message.contains("measures"), "\(message)")
            #expect(try await queued().isEmpty, "a refused notice queues nothing")
            let (denied, _, _) = try await Self.post(client, keys, "/v1/breaches/\(id)/notice", role: "marketing", [:])
            #expect(denied == .forbidden)

            let (assessed, complete, _) = try await Self.post(
                client, keys, "/v1/breaches/\(id)/assessment",
                [
                    "risk": "high", "reasoning": "Addresses and numbers exposed",
                    "consequences": "You may receive phishing emails that seem to come from us",
                    "measures": "The recipient confirmed deletion; we now check the addressee before sending",
                ])
            #expect(assessed == .ok && complete["consequences"] as? String == "You may receive phishing emails that seem to come from us")
            let (sent, receipt, _) = try await Self.post(client, keys, "/v1/breaches/\(id)/notice", [:])
            #expect(sent == .ok && receipt["queued"] as? Int == 2 && receipt["withoutAddress"] as? Int == 1, "\(receipt)")
            let told = try #require(receipt["breach"] as? [String: Any])
            #expect(told["individualsToBeTold"] as? Bool == false && told["individualsNotifiedAt"] != nil)

            // Dan is erased before the relay runs: his key is gone, and his notice with it.
            try await client.execute(uri: "/v1/subjects/\(dan)?reason=asked", method: .delete, headers: keys.headers("dpo")) {
                #expect($0.status == .ok, "\($0.body.text)")
            }
            let letters = try await queued()
            #expect(letters.map(\.to) == ["ada@example.com"])
            let letter = try #require(letters.first)
            for part in [
                "A copy of the enquiries list was emailed to the wrong customer", "phishing emails that seem to come from us",
                "we now check the addressee", "Data protection officer: Priya Shah", "dpo@northwind.example", "ico.org.uk",
            ] {
                #expect(letter.text.contains(part), "\(part)")
            }
            #expect(letter.listUnsubscribe == nil, "a breach notice is a service message, whatever the person's marketing choices")

            let (again, _, againCode) = try await Self.post(client, keys, "/v1/breaches/\(id)/notice", [:])
            #expect(again == .conflict && againCode == "breach.individuals-already-notified")
            #expect(try await queued().isEmpty, "nothing is queued twice")

            // A breach recorded without data categories concerns nobody the vault can name: told, to no one (once a 500, from `AND ()`).
            let (_, bare, _) = try await Self.post(
                client, keys, "/v1/breaches",
                ["awareAt": ISO8601DateFormatter().string(from: TestServer.now), "facts": "A shredder was not used", "categories": [String]()])
            let bareID = try #require(bare["id"] as? String)
            _ = try await Self.post(
                client, keys, "/v1/breaches/\(bareID)/assessment",
                ["risk": "high", "reasoning": "Paper files", "consequences": "Identity fraud", "measures": "Shredding enforced"])
            let (bareSent, bareReceipt, _) = try await Self.post(client, keys, "/v1/breaches/\(bareID)/notice", [:])
            #expect(bareSent == .ok && bareReceipt["queued"] as? Int == 0 && bareReceipt["withoutAddress"] as? Int == 0, "\(bareReceipt)")
            let (badID, _, badIDCode) = try await Self.post(client, keys, "/v1/breaches/null%2Cnull/notice", [:])
            #expect(badID == .badRequest && badIDCode == "request.invalid-value")
        }
    }

    @Test(
        "APX-49/APX-50/C39 (issue 29 §2): the console's register shows each breach's place on the ICO clock and records one from its form, checked as the API checks; values are escaped; a form without its token changes nothing",
        arguments: StoreBackend.all)
    func console(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let session = try await ConsoleTests.session(client, try #require(keys.tokens["dpo"]))
            let csrf = ConsoleSessions.formToken(for: session)
            func post(_ fields: [String: String]) async throws -> (HTTPResponse.Status, String) {
                try await client.execute(
                    uri: "/admin/breaches", method: .post, headers: ConsoleTests.cookie(session, contentType: ConsoleTests.formType),
                    body: ConsoleTests.form(fields)
                ) { ($0.status, $0.body.text) }
            }
            func page() async throws -> String {
                try await client.execute(uri: "/admin/breaches", method: .get, headers: ConsoleTests.cookie(session)) { $0.body.text }
            }
            let first = try await page()
            #expect(first.contains("id=\"breaches-empty\""), "\(first.prefix(600))")
            let aware = String(ISO8601DateFormatter().string(from: TestServer.now.addingTimeInterval(-49 * 3600)).prefix(16))
            let facts = "<script>alert(1)</script> laptop stolen"
            #expect(try await post(["awareAt": aware, "facts": facts]).0 == .forbidden, "no form token")
            let (refused, refusedPage) = try await post(["csrf": csrf, "awareAt": "yesterday", "facts": facts])
            #expect(refused == .unprocessableContent && refusedPage.contains("breach.awareness-invalid"))
            #expect(
                refusedPage.contains("&lt;script&gt;alert(1)&lt;/script&gt; laptop stolen</textarea>") && !refusedPage.contains("<script>alert(1)"))
            let (missing, missingPage) = try await post(["csrf": csrf, "facts": facts])
            #expect(missing == .unprocessableContent && missingPage.contains("breach.awareness-missing"))
            #expect(try await page().contains("id=\"breaches-empty\""), "nothing stored")
            #expect(try await post(["csrf": csrf, "awareAt": aware, "facts": facts, "categories": "user.contact.email, user.name"]).0 == .seeOther)
            let register = try await page()
            #expect(register.contains("data-standing=\"escalated\"") && register.contains("Escalated: ICO due by"), "\(register)")
            #expect(register.contains("&lt;script&gt;alert(1)") && !register.contains("<script>alert(1)"))
            #expect(!register.contains("/notice\""), "no notice to send before a high-risk assessment")

            // APX-50 (Art 34): once assessed high, the row offers the notice; incomplete, it is refused on the page.
            let breaches = try await client.execute(uri: "/v1/breaches", method: .get, headers: keys.headers("dpo")) {
                $0.body.json()["breaches"] as? [[String: Any]] ?? []
            }
            let id = try #require(breaches.first?["id"] as? String)
            func tell(_ fields: [String: String]) async throws -> (HTTPResponse.Status, String) {
                try await ConsoleTests.submit(client, session, "/admin/breaches/\(id)/notice", fields)
            }
            _ = try await Self.post(client, keys, "/v1/breaches/\(id)/assessment", ["risk": "high", "reasoning": "Unencrypted"])
            #expect(try await page().contains("action=\"/admin/breaches/\(id)/notice\""))
            #expect(try await tell([:]).0 == .forbidden, "no form token")
            let (incomplete, incompletePage) = try await tell(["csrf": csrf])
            #expect(
                incomplete == .unprocessableContent && incompletePage.contains("Not sent:") && incompletePage.contains("breach.notice-incomplete"))
            _ = try await Self.post(
                client, keys, "/v1/breaches/\(id)/assessment",
                ["risk": "high", "reasoning": "Unencrypted", "consequences": "Identity fraud", "measures": "Police told; passwords reset"])
            #expect(try await tell(["csrf": csrf]).0 == .seeOther)
            let told = try await page()
            #expect(told.contains("told 20") && !told.contains("action=\"/admin/breaches/\(id)/notice\""), "\(told)")
            let (again, againPage) = try await tell(["csrf": csrf])
            #expect(again == .conflict && againPage.contains("breach.individuals-already-notified"))
        }
    }
}
