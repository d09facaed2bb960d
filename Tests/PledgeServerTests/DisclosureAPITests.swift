import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PledgeStore
import PledgeTestSupport
import Testing

/// The disclosure workflow over HTTP (issue 29 §3; C22, C25).
@Suite("Disclosure API")
struct DisclosureAPITests {
    @Test(
        "C25/C22/ECR-30/ECR-31/OEX-53/OEX-56/CLQ-47/CLQ-48/CLQ-49/APX-35: support logs a regulator's request with its ground; a request without verification, ground reference, a registered recipient, or one marked sale is refused and nothing stored; the logger cannot approve; the DPO approves and releases only the categories asked for, once",
        arguments: StoreBackend.all)
    func workflow(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend, editing: ExampleFiles.addingDisclosureRecipients).test { client, keys in
            let ada = try await VaultAPITests.subject(client, keys, email: "ada@example.com", categories: ["enquirer"])
            let (collected, _, _) = try await MarketingAPITests.post(
                client, keys, "/v1/subjects/\(ada)/data", role: "support",
                ["purpose": "enquiries", "source": "contact-form", "fields": ["user.contact.email": "ada@example.com", "user.name": "Ada"]])
            #expect(collected == .created)
            let request: [String: Any] = [
                "requester": "regulator", "requesterName": "Financial Conduct Authority", "verification": "Letter on FCA paper, confirmed by phone",
                "ground": "legal_obligation", "reference": "FSMA 2000 s165 notice 2026/7", "necessity": "The FCA requires the record under s165",
                "categories": ["user.contact.email"], "subjects": [ada],
            ]
            for (body, code) in [
                (request.merging(["verification": " "]) { $1 }, "disclosure.verification-missing"),
                (request.filter { $0.key != "reference" }, "disclosure.reference-missing"),
                (request.merging(["requester": "registered"]) { $1 }, "disclosure.recipient-undeclared"),
                (request.merging(["requester": "registered", "recipient": "broker", "ground": "consent"]) { $1 }, "disclosure.recipient-sale"),
                (request.merging(["country": "US"]) { $1 }, "disclosure.transfer-ungrounded"),
                (request.merging(["subjects": [UUID().uuidString]]) { $1 }, "disclosure.subject-unknown"),
            ] {
                let (status, _, got) = try await MarketingAPITests.post(client, keys, "/v1/disclosures", role: "support", body)
                #expect(status == .unprocessableContent && got == code, "\(code)")
            }
            try await client.execute(uri: "/v1/disclosures", method: .get, headers: keys.headers("dpo")) {
                #expect(($0.body.json()["disclosures"] as? [Any])?.isEmpty == true, "nothing stored by the refusals")
            }
            let (denied, _, _) = try await MarketingAPITests.post(client, keys, "/v1/disclosures", role: "marketing", request)
            #expect(denied == .forbidden)
            let (logged, disclosure, _) = try await MarketingAPITests.post(client, keys, "/v1/disclosures", role: "support", request)
            #expect(logged == .created && disclosure["state"] as? String == "pending" && disclosure["citation"] as? String == "UK GDPR Art 6(1)(c)")
            let id = try #require(disclosure["id"] as? String)

            let (supportDecides, _, _) = try await MarketingAPITests.post(
                client, keys, "/v1/disclosures/\(id)/decision", role: "support", ["approve": true])
            #expect(supportDecides == .forbidden, "support may log, not decide")
            let (own, ownDisclosure, _) = try await MarketingAPITests.post(client, keys, "/v1/disclosures", role: "dpo", request)
            #expect(own == .created)
            let (selfApproval, _, code) = try await MarketingAPITests.post(
                client, keys, "/v1/disclosures/\(ownDisclosure["id"] as? String ?? "")/decision", role: "dpo", ["approve": true])
            #expect(selfApproval == .forbidden && code == "disclosure.decider-is-logger")
            let (early, _, earlyCode) = try await RetentionAPITests.post(client, keys, "/v1/disclosures/\(id)/release")
            #expect(early == .conflict && earlyCode == "disclosure.not-approved")

            let (approved, decided, _) = try await MarketingAPITests.post(
                client, keys, "/v1/disclosures/\(id)/decision", role: "dpo", ["approve": true, "note": "Statutory notice, necessary"])
            #expect(approved == .ok && decided["state"] as? String == "approved" && decided["decidedBy"] as? String == "key:dpo")
            let (released, release, _) = try await RetentionAPITests.post(client, keys, "/v1/disclosures/\(id)/release")
            let people = release["people"] as? [[String: Any]]
            #expect(released == .ok && people?.count == 1)
            let values = people?.first?["values"] as? [[String: Any]]
            #expect(values?.map { $0["value"] as? String } == ["ada@example.com"], "the email asked for, not the name")
            let (again, _, againCode) = try await RetentionAPITests.post(client, keys, "/v1/disclosures/\(id)/release")
            #expect(again == .conflict && againCode == "disclosure.not-approved")
            try await client.execute(uri: "/v1/disclosures", method: .get, headers: keys.headers("support")) { response in
                let list = response.body.json()
                #expect((list["disclosures"] as? [Any])?.count == 2 && list["pending"] as? Int == 1)
            }

            // C26: a regulator's disclosure is no sale of the business; bad input is refused with its code.
            let sale: [String: Any] = ["newController": "Buyer Ltd", "contact": "privacy@buyer.example", "effectiveOn": "2027-02-01"]
            let (notSale, _, notSaleCode) = try await RetentionAPITests.post(client, keys, "/v1/disclosures/\(id)/completion", sale)
            #expect(notSale == .unprocessableContent && notSaleCode == "disclosure.not-a-sale")
            let (badDate, _, badDateCode) = try await RetentionAPITests.post(
                client, keys, "/v1/disclosures/\(id)/completion", sale.merging(["effectiveOn": "February"]) { $1 })
            #expect(badDate.code == 400 || (badDate == .unprocessableContent && badDateCode == "request.invalid-value"), "\(badDate)")
            let (unknown, _, unknownCode) = try await RetentionAPITests.post(
                client, keys, "/v1/disclosures/\(UUID().uuidString.lowercased())/completion", sale)
            #expect(unknown == .notFound && unknownCode == "disclosure.not-found")
            let (supportCompletes, _, _) = try await RetentionAPITests.post(client, keys, "/v1/disclosures/\(id)/completion", role: "support", sale)
            #expect(supportCompletes == .forbidden, "support logs disclosures; completing a sale is the DPO's")
        }
    }

    @Test(
        "C25/CLQ-49 (issue 29 §7): the console's register lists disclosures pending first, values escaped; the DPO approves from it, never one they logged, and nothing is decided without the form token",
        arguments: StoreBackend.all)
    func console(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend, editing: ExampleFiles.addingDisclosureRecipients).test { client, keys in
            let ada = try await VaultAPITests.subject(client, keys, email: "ada@example.com", categories: ["enquirer"])
            let request: [String: Any] = [
                "requester": "regulator", "requesterName": "<b>Financial Conduct Authority</b>", "verification": "Letter, confirmed by phone",
                "ground": "legal_obligation", "reference": "FSMA 2000 s165", "necessity": "Required under s165", "categories": ["user.contact.email"],
                "subjects": [ada],
            ]
            let (_, bySupport, _) = try await MarketingAPITests.post(client, keys, "/v1/disclosures", role: "support", request)
            let (_, byDPO, _) = try await MarketingAPITests.post(client, keys, "/v1/disclosures", role: "dpo", request)
            let supportID = try #require(bySupport["id"] as? String)
            let dpoID = try #require(byDPO["id"] as? String)
            let session = try await ConsoleTests.session(client, try #require(keys.tokens["dpo"]))
            let csrf = ConsoleSessions.formToken(for: session)
            func page() async throws -> String { try await ConsoleTests.page(client, session, "/admin/disclosures").1 }
            func decide(_ id: String, _ fields: [String: String]) async throws -> (HTTPResponse.Status, String) {
                try await ConsoleTests.submit(client, session, "/admin/disclosures/\(id)/decision", fields)
            }
            let first = try await page()
            #expect(
                first.contains("<strong>2</strong> waiting for a decision") && first.contains("action=\"/admin/disclosures/\(supportID)/decision\""))
            #expect(first.contains("&lt;b&gt;Financial Conduct Authority&lt;/b&gt;") && !first.contains("<b>Financial"), "escaped")
            #expect(try await decide(supportID, ["decision": "approve"]).0 == .forbidden, "no form token")
            let (own, ownPage) = try await decide(dpoID, ["csrf": csrf, "decision": "approve"])
            #expect(own == .conflict && ownPage.contains("disclosure.decider-is-logger"), "four eyes")
            #expect(try await decide(supportID, ["csrf": csrf, "decision": "approve", "note": "Statutory notice"]).0 == .seeOther)
            let after = try await page()
            #expect(after.contains("<strong>1</strong> waiting for a decision") && after.contains("by key:dpo: Statutory notice"), "\(after)")
            let (again, againPage) = try await decide(supportID, ["csrf": csrf, "decision": "refuse"])
            #expect(again == .conflict && againPage.contains("disclosure.not-pending"))
            try await client.execute(uri: "/admin/disclosures", method: .get, headers: keys.headers("marketing")) {
                #expect($0.status == .forbidden)
            }
        }
    }
}
