import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PledgeTestSupport
import Testing

@testable import PledgeServer

/// Gate decisions and consent writes are served by `DirectOperationRoute` instead of the generated
/// OpenAPI handlers (issue 3 performance); they must answer exactly as the contract does.
@Suite("Direct operation routes")
struct DirectOperationRouteTests {
    @Test("C07/C10: a consent written through the direct route reads back identically through the contract's handlers", arguments: StoreBackend.all)
    func sameJSON(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let id = try await VaultAPITests.subject(client, keys, email: "direct@example.com")
            let written = try await client.execute(
                uri: "/v1/subjects/\(id)/consents", method: .post, headers: keys.headers("marketing"),
                body: VaultAPITests.body([
                    "purpose": "newsletter", "action": "granted", "mechanism": "opt_in_checkbox",
                    "wording": "Send me the newsletter",
                ])
            ) { $0 }
            #expect(written.status == .created, "\(written.body.text)")
            #expect(written.headers[.contentType] == "application/json; charset=utf-8")
            // The contract's path rule (format: uuid), checked by the direct route as by the generated ones; escapes are decoded first.
            for notAnID in ["not-a-uuid", "\(id.dropLast())%20", "%7A\(id.dropFirst())"] {
                let refused = try await client.execute(
                    uri: "/v1/subjects/\(notAnID)/consents", method: .post, headers: keys.headers("marketing"),
                    body: VaultAPITests.body(["purpose": "newsletter", "action": "granted", "mechanism": "opt_in_checkbox", "wording": "x"])
                ) { $0 }
                #expect(refused.status == .badRequest && refused.body.errorCode() == "request.invalid-subject-id", "\(notAnID): \(refused.body.text)")
            }
            let listed = try await client.execute(uri: "/v1/subjects/\(id)/consents", method: .get, headers: keys.headers("dpo")) { $0 }
            let events = listed.body.json()["events"] as? [[String: Any]] ?? []
            #expect(events.count == 1)
            // The same object, key for key, with the date written the same way (ISO 8601, no fractions).
            let event = try #require(events.first)
            #expect(NSDictionary(dictionary: event).isEqual(to: written.body.json()), "\(event) vs \(written.body.text)")
            #expect((event["recordedAt"] as? String)?.hasSuffix("Z") == true)
            // Sorted keys, compact: the raw text is what the generated encoder writes.
            #expect(written.body.text.hasPrefix(#"{"action":"granted","mechanism":"opt_in_checkbox","#))

            let decision = try await client.execute(
                uri: "/v1/decisions", method: .post, headers: keys.headers("marketing"),
                body: VaultAPITests.body(["subject": id, "purpose": "newsletter", "categories": ["user.account.contact.email"]])
            ) { $0 }
            #expect(decision.status == .ok && decision.body.json()["allowed"] is Bool, "\(decision.body.text)")
        }
    }

    @Test("Bad bodies get the contract's codes on a direct route and on a generated one alike; nothing is stored", arguments: StoreBackend.all)
    func refusals(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let id = try await VaultAPITests.subject(client, keys, email: "refusals@example.com")
            // consents: direct; interactions: generated handlers.
            for path in ["/v1/subjects/\(id)/consents", "/v1/subjects/\(id)/interactions"] {
                let plain = try await client.execute(
                    uri: path, method: .post, headers: keys.headers("admin", contentType: "text/plain"),
                    body: ByteBuffer(string: "{}")
                ) { $0 }
                #expect(
                    plain.status == .unsupportedMediaType && plain.body.errorCode() == "request.unsupported-media-type", "\(path): \(plain.body.text)"
                )
                let malformed = try await client.execute(
                    uri: path, method: .post, headers: keys.headers("admin"), body: ByteBuffer(string: "{\"purpose\":")
                ) { $0 }
                #expect(malformed.status == .badRequest && malformed.body.errorCode() == "request.invalid", "\(path): \(malformed.body.text)")
                let missing = try await client.execute(uri: path, method: .post, headers: keys.headers("admin"), body: ByteBuffer(string: "{}")) {
                    $0
                }
                #expect(missing.status == .badRequest && missing.body.errorCode() == "request.invalid", "\(path): \(missing.body.text)")
            }
            let huge = try await client.execute(
                uri: "/v1/decisions", method: .post, headers: keys.headers("marketing"),
                body: VaultAPITests.body(["subject": id, "purpose": String(repeating: "p", count: 70_000)])
            ) { $0 }
            #expect(huge.status == .contentTooLarge && huge.body.errorCode() == "request.too-large")
            let unknown = try await client.execute(
                uri: "/v1/subjects/\(UUID().uuidString.lowercased())/consents", method: .post, headers: keys.headers("marketing"),
                body: VaultAPITests.body(["purpose": "newsletter", "action": "granted", "mechanism": "opt_in_checkbox", "wording": "x"])
            ) { $0 }
            #expect(unknown.status == .notFound && unknown.body.errorCode() == "subject.not-found", "\(unknown.body.text)")
            let listed = try await client.execute(uri: "/v1/subjects/\(id)/consents", method: .get, headers: keys.headers("dpo")) { $0 }
            #expect((listed.body.json()["events"] as? [Any])?.isEmpty == true, "no refused write stored anything")
        }
    }

    @Test("Keys are checked on the direct routes as on every other: none, revoked, wrong role", arguments: StoreBackend.all)
    func keys(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let id = try await VaultAPITests.subject(client, keys, email: "keys@example.com")
            let body = ["subject": id, "purpose": "newsletter"]
            let none = try await client.execute(
                uri: "/v1/decisions", method: .post, headers: [.contentType: "application/json"], body: VaultAPITests.body(body)
            ) { $0 }
            #expect(none.status == .unauthorized && none.body.errorCode() == "auth.missing")
            let revoked = try await client.execute(
                uri: "/v1/decisions", method: .post, headers: keys.headers("revoked"), body: VaultAPITests.body(body)
            ) { $0 }
            #expect(revoked.status == .unauthorized && revoked.body.errorCode() == "auth.invalid")
            let analyst = try await client.execute(
                uri: "/v1/subjects/\(id)/consents", method: .post, headers: keys.headers("analyst"),
                body: VaultAPITests.body(["purpose": "newsletter", "action": "granted", "mechanism": "opt_in_checkbox", "wording": "x"])
            ) { $0 }
            #expect(analyst.status == .forbidden && analyst.body.errorCode() == "auth.role")
        }
    }
}
