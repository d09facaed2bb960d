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
}
