import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PledgeTestSupport
import Testing

@testable import PledgeServer

/// The banner's API (issue 4; C10, C11): public, and every answer is proof in the ledger.
@Suite("Banner API")
struct BannerAPITests {
    /// The compliant example plus an advertising pixel, so GPC has something to switch off.
    static func withAdvertising(_ yaml: String) -> String {
        yaml.replacingOccurrences(
            of: "\ntechnologies:\n",
            with: """

                technologies:
                  - id: ads_pixel
                    name: _ads
                    kind: pixel
                    party: third
                    provider: AdNetwork
                    category: advertising
                    hosts: [ads.example.net]
                    description: Measures adverts.

                """)
    }

    static let json: HTTPFields = [.contentType: "application/json"]
    static let withGPC: HTTPFields = [.contentType: "application/json", HTTPField.Name("Sec-GPC")!: "1"]

    static func answer(
        _ client: any TestClientProtocol, _ body: [String: Any], _ check: @escaping @Sendable (TestResponse) throws -> Void
    ) async throws {
        try await client.execute(uri: "/v1/consents", method: .post, headers: json, body: VaultAPITests.body(body)) { try check($0) }
    }

    @Test(
        "C11/C10/GPC: the banner is public; an answer is recorded per category with the banner version; Sec-GPC keeps advertising off; the visitor's record comes back",
        arguments: StoreBackend.all)
    func answerAndRecord(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend, editing: Self.withAdvertising).test { client in
            let version = try await client.execute(uri: "/v1/banner", method: .get) { response -> String in
                #expect(response.status == .ok)
                let json = response.body.json()
                let choices = json["choices"] as? [[String: Any]] ?? []
                #expect(choices.compactMap { $0["category"] as? String } == ["preference", "statistical", "advertising", "embedded_content"])
                #expect((json["exempt"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["pledge_consent", "session"])
                #expect(json["noticeVersion"] as? String == "2026-10")
                return json["version"] as? String ?? ""
            }
            #expect(version.count == 64)
            let all: [String: Any] = ["preference": true, "statistical": true, "advertising": true, "embedded_content": true]
            let consentId = try await client.execute(
                uri: "/v1/consents", method: .post, headers: Self.withGPC,
                body: VaultAPITests.body(["bannerVersion": version, "choices": all])
            ) { response -> String in
                #expect(response.status == .created, "\(response.body.text)")
                let json = response.body.json()
                #expect(json["gpc"] as? Bool == true)
                #expect(
                    json["state"] as? [String: Bool] == ["preference": true, "statistical": true, "advertising": false, "embedded_content": true])
                #expect(json["services"] as? [String: Bool] == ["theme": true, "statistics": true, "ads_pixel": false, "video": true])
                return json["consentId"] as? String ?? ""
            }
            #expect(UUID(uuidString: consentId) != nil)
            // Withdrawal is one more answer, as easy as the first.
            try await Self.answer(client, ["consentId": consentId, "bannerVersion": version, "choices": ["preference": true]]) { response in
                #expect(response.status == .created)
                #expect(
                    response.body.json()["state"] as? [String: Bool] == [
                        "preference": true, "statistical": false, "advertising": false, "embedded_content": false,
                    ])
            }
            try await client.execute(uri: "/v1/consents/\(consentId.uppercased())", method: .get) { response in
                #expect(response.status == .ok)
                let json = response.body.json()
                #expect(
                    json["state"] as? [String: Bool] == ["preference": true, "statistical": false, "advertising": false, "embedded_content": false])
                let events = json["events"] as? [[String: Any]] ?? []
                #expect(events.count == 8)
                #expect(events.allSatisfy { $0["wordingSha256"] as? String == version && $0["noticeVersion"] as? String == "2026-10" })
                let advertising = events.filter { $0["purpose"] as? String == "storage:advertising" }
                #expect(advertising.compactMap { $0["mechanism"] as? String } == ["gpc", "banner"])
                #expect(advertising.allSatisfy { $0["action"] as? String == "withdrawn" })
            }
        }
    }

    @Test(
        "wrong answers get a stable code and store nothing: an outdated banner 409, an unknown category 422, a malformed id 400, an unknown id 404",
        arguments: StoreBackend.all)
    func refusals(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let version = try await client.execute(uri: "/v1/banner", method: .get) { $0.body.json()["version"] as? String ?? "" }
            let id = UUID().uuidString.lowercased()
            try await Self.answer(client, ["consentId": id, "bannerVersion": String(repeating: "0", count: 64), "choices": ["preference": false]]) {
                response in
                #expect(response.status == .conflict)
                #expect(response.body.errorCode() == "consent.banner-outdated")
            }
            try await Self.answer(client, ["consentId": id, "bannerVersion": version, "choices": ["strictly_necessary": false]]) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.body.errorCode() == "consent.category-unknown")
            }
            try await Self.answer(client, ["consentId": id, "bannerVersion": version, "choices": [:], "services": ["session": true]]) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.body.errorCode() == "consent.service-unknown")
            }
            try await Self.answer(client, ["consentId": "not-a-uuid", "bannerVersion": version, "choices": [:]]) { response in
                #expect(response.status == .badRequest)
                #expect(response.body.errorCode() == "request.invalid-consent-id")
            }
            try await client.execute(uri: "/v1/consents/\(id)", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.body.errorCode() == "consent.not-found")
            }
            try await client.execute(uri: "/v1/consents/nope", method: .get) { response in
                #expect(response.body.errorCode() == "request.invalid-consent-id")
            }
            // Nothing of the refused answers reached the ledger (or its audit trail).
            try await client.execute(uri: "/v1/audit?object=visitor:\(id)", method: .get, headers: keys.headers("dpo")) { response in
                #expect(response.status == .ok)
                #expect((response.body.json()["entries"] as? [Any])?.isEmpty == true)
            }
        }
    }
}
