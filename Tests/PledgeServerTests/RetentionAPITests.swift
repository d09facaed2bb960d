import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PledgeStore
import PledgeTestSupport
import Testing

/// Retention over HTTP (issue 29 §1; C36): the plan, a run on demand, and legal holds.
@Suite("Retention API")
struct RetentionAPITests {
    static func post(
        _ client: any TestClientProtocol, _ keys: TestKeys, _ uri: String, role: String = "dpo", _ object: [String: Any]? = nil
    ) async throws -> (HTTPResponse.Status, [String: Any], String?) {
        if let object { return try await MarketingAPITests.post(client, keys, uri, role: role, object) }
        return try await client.execute(uri: uri, method: .post, headers: keys.headers(role)) { response in
            (response.status, response.body.json(), response.body.errorCode())
        }
    }

    @Test(
        "APX-53/OEX-62 (Art 5(1)(e), Art 17(3)(e)): the DPO plans what retention removes by a day, places a hold that must say why and keeps the data, lifts it once; a hold without reason or on nothing stores nothing; support may not",
        arguments: StoreBackend.all)
    func holdsAndPlan(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let ada = try await VaultAPITests.subject(client, keys, email: "ada@example.com", categories: ["enquirer"])
            let (collected, _, _) = try await MarketingAPITests.post(
                client, keys, "/v1/subjects/\(ada)/data", role: "support",
                ["purpose": "enquiries", "source": "contact-form", "fields": ["user.contact.email": "ada@example.com"]])
            #expect(collected == .created)
            func plan(_ at: String) async throws -> [String: Any] {
                try await client.execute(uri: "/v1/retention/plan?at=\(at)", method: .get, headers: keys.headers("dpo")) { response in
                    #expect(response.status == .ok)
                    return response.body.json()
                }
            }
            func enquiries(_ plan: [String: Any]) -> [String: Any]? {
                (plan["lines"] as? [[String: Any]])?.first { $0["kind"] as? String == "values" && $0["name"] as? String == "enquiries" }
            }
            #expect(try await plan("2027-11-21T10:00:00Z")["due"] as? Int == 0, "enquiries are kept two years from the last contact")
            let future = try await plan("2028-11-22T10:00:00Z")
            #expect(future["due"] as? Int == 1 && enquiries(future)?["howLong"] as? String == "2 years from our last contact with you", "\(future)")

            for (body, code) in [
                (["scope": "subject", "target": ada, "reason": " "], "retention.hold-reason-missing"),
                (["scope": "subject", "target": UUID().uuidString, "reason": "Claim"], "retention.hold-target-unknown"),
                (["scope": "case", "target": "not-a-case", "reason": "Claim"], "retention.hold-target-unknown"),
                (["scope": "category", "target": "user.made_up", "reason": "Claim"], "retention.hold-target-unknown"),
            ] {
                let (status, _, got) = try await Self.post(client, keys, "/v1/retention/holds", body)
                #expect(status == .unprocessableContent && got == code, "\(body)")
            }
            let (denied, _, _) = try await Self.post(
                client, keys, "/v1/retention/holds", role: "support", ["scope": "subject", "target": ada, "reason": "Claim"])
            #expect(denied == .forbidden, "support may not hold data back from retention")
            try await client.execute(uri: "/v1/retention/holds", method: .get, headers: keys.headers("dpo")) {
                #expect(($0.body.json()["holds"] as? [Any])?.isEmpty == true, "nothing stored by the refusals")
            }
            let (placed, hold, _) = try await Self.post(
                client, keys, "/v1/retention/holds", ["scope": "subject", "target": ada, "reason": "Claim 2027-14"])
            #expect(placed == .created && hold["active"] as? Bool == true && hold["subjectId"] as? String == ada.lowercased())
            let held = try await plan("2028-11-22T10:00:00Z")
            #expect(held["due"] as? Int == 0 && enquiries(held)?["held"] as? Int == 1 && (held["holds"] as? [Any])?.count == 1)

            let id = try #require(hold["id"] as? String)
            let (lifted, after, _) = try await Self.post(client, keys, "/v1/retention/holds/\(id)/lift")
            #expect(lifted == .ok && after["active"] as? Bool == false && after["liftedBy"] as? String == "key:dpo")
            let (again, _, code) = try await Self.post(client, keys, "/v1/retention/holds/\(id)/lift")
            #expect(again == .conflict && code == "retention.hold-lifted")
            let (missing, _, notFound) = try await Self.post(client, keys, "/v1/retention/holds/\(UUID().uuidString)/lift")
            #expect(missing == .notFound && notFound == "retention.hold-not-found")

            let (ran, run, _) = try await Self.post(client, keys, "/v1/retention/runs")
            #expect(
                ran == .ok && (run["removed"] as? [String: Any])?.isEmpty == true && run["subjectsErased"] as? Int == 0, "nothing has expired today")
        }
    }

    @Test(
        "APX-53/OEX-62/C36 (issue 29 §7): the console's retention page shows the schedule and the holds; a hold placed from it must say why (refused, the form kept, nothing stored), is escaped, and is lifted from it; the sweep runs from it; nothing without the form token",
        arguments: StoreBackend.all)
    func console(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let session = try await ConsoleTests.session(client, try #require(keys.tokens["dpo"]))
            let csrf = ConsoleSessions.formToken(for: session)
            func page() async throws -> String { try await ConsoleTests.page(client, session, "/admin/retention").1 }
            func post(_ fields: [String: String]) async throws -> (HTTPResponse.Status, String) {
                try await ConsoleTests.submit(client, session, "/admin/retention", fields)
            }
            let first = try await page()
            #expect(first.contains("id=\"retention-plan\"") && first.contains("id=\"holds-empty\""), "\(first.prefix(800))")
            let hold = ["action": "hold", "scope": "category", "target": "user.contact.email"]
            #expect(try await post(hold.merging(["reason": "Litigation"]) { $1 }).0 == .forbidden, "no form token")
            let (refused, refusedPage) = try await post(hold.merging(["csrf": csrf, "reason": " "]) { $1 })
            #expect(refused == .unprocessableContent && refusedPage.contains("retention.hold-reason-missing"))
            #expect(refusedPage.contains("value=\"user.contact.email\""), "what was typed is kept")
            #expect(try await page().contains("id=\"holds-empty\""), "nothing stored")
            #expect(try await post(hold.merging(["csrf": csrf, "reason": "<i>Smith v Northwind</i> claim"]) { $1 }).0 == .seeOther)
            let held = try await page()
            #expect(held.contains("&lt;i&gt;Smith v Northwind&lt;/i&gt; claim") && !held.contains("<i>Smith"), "escaped")
            let id = try #require(held.firstMatch(of: /name="hold" value="([0-9a-f-]{36})"/)?.output.1)
            #expect(try await post(["csrf": csrf, "action": "lift", "hold": String(id)]).0 == .seeOther)
            #expect(try await page().contains("id=\"holds-empty\""))
            let (lifted, liftedPage) = try await post(["csrf": csrf, "action": "lift", "hold": String(id)])
            #expect(lifted == .conflict && liftedPage.contains("retention.hold-lifted"))
            let (ran, ranPage) = try await post(["csrf": csrf, "action": "run"])
            #expect(ran == .ok && ranPage.contains("id=\"retention-ran\"") && ranPage.contains("person(s) erased"))
            try await client.execute(uri: "/admin/retention", method: .get, headers: keys.headers("support")) {
                #expect($0.status == .forbidden, "support may not manage retention")
            }
        }
    }
}
