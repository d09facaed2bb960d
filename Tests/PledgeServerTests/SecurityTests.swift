import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PledgeCore
import PledgeStore
import PledgeTestSupport
import Testing
@testable import PledgeServer

/// The reproductions of the attacks of issue 24, each of which worked before its fix (C38, APX-44…
/// APX-48, UK GDPR Art 32). The XSS of finding 1 is in `PageEscapingTests`.
@Suite("Security")
struct SecurityTests {
    static let threeMiB = ByteBuffer(repeating: UInt8(ascii: "a"), count: 3 * 1024 * 1024)

    @Test("C38/APX-45 (finding 2): a body of a type the contract does not list is refused with 415 before it is read; every body is capped whatever its type",
          arguments: ["*/*", "application/*", "text/plain", "application/octet-stream"])
    func unlistedTypes(_ contentType: String) async throws {
        try await TestServer().test { client, keys in
            try await client.execute(uri: "/privacy-centre/requests", method: .post, headers: [.contentType: contentType], body: Self.threeMiB) { response in
                #expect(response.status == .unsupportedMediaType)
                #expect(response.body.errorCode() == "request.unsupported-media-type")
            }
            try await client.execute(uri: "/v1/subjects", method: .post, headers: keys.headers("admin", contentType: contentType), body: Self.threeMiB) { response in
                #expect(response.status == .unsupportedMediaType)
            }
        }
    }

    @Test("C38 (finding 2): listed types and no type at all are capped: a form, JSON, YAML or multipart body over the operation's cap is 413")
    func capped() async throws {
        try await TestServer().test { client, keys in
            try await client.execute(uri: "/privacy-centre/requests", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: Self.threeMiB) { response in
                #expect(response.status == .contentTooLarge && response.body.errorCode() == "request.too-large")
            }
            try await client.execute(uri: "/privacy-centre/requests", method: .post, headers: [:], body: Self.threeMiB) { response in
                #expect(response.status == .contentTooLarge)
            }
            try await client.execute(uri: "/v1/admin/declaration", method: .post, headers: keys.headers("admin", contentType: "application/yaml"), body: Self.threeMiB) { response in
                #expect(response.status == .contentTooLarge)
            }
            let multipart = ByteBuffer(repeating: UInt8(ascii: "a"), count: 7 * 1024 * 1024)
            let uri = "/privacy-centre/requests/\(UUID().uuidString.lowercased())/documents?key=x"
            try await client.execute(uri: uri, method: .post, headers: [.contentType: "multipart/form-data; boundary=x"], body: multipart) { response in
                #expect(response.status == .contentTooLarge)
            }
        }
    }

    @Test("C43/APX-46 (finding 3): call notes are read only by admin, dpo and support; processor, analyst, marketing and purpose-scoped keys are refused; restriction keeps support out",
          arguments: StoreBackend.all)
    func interactions(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let id = try await VaultAPITests.subject(client, keys, email: "notes@example.com")
            try await client.execute(uri: "/v1/subjects/\(id)/interactions", method: .post, headers: keys.headers("support"),
                                     body: VaultAPITests.body(["kind": "call", "content": "Called about her divorce"])) { response in
                #expect(response.status == .created)
            }
            func read(_ role: String) async throws -> (HTTPResponse.Status, String?, Int) {
                try await client.execute(uri: "/v1/subjects/\(id)/interactions", method: .get, headers: keys.headers(role)) { response in
                    (response.status, response.body.errorCode(), (response.body.json()["interactions"] as? [Any])?.count ?? 0)
                }
            }
            for role in ["processor:hosting", "processor:mailer", "analyst", "marketing"] {
                let (status, code, count) = try await read(role)
                #expect(status == .forbidden && code == "auth.role" && count == 0, "\(role)")
            }
            let scoped = try await read("scoped")
            #expect(scoped.0 == .forbidden && scoped.1 == "auth.purpose-scoped" && scoped.2 == 0)
            for role in ["support", "dpo", "admin"] {
                #expect(try await read(role).2 == 1, "\(role)")
            }
            try await client.execute(uri: "/v1/subjects/\(id)/flags", method: .post, headers: keys.headers("support"), body: VaultAPITests.body(["restricted": true])) { response in
                #expect(response.status == .ok)
            }
            let restricted = try await read("support")
            #expect(restricted.0 == .conflict && restricted.1 == "subject.restricted" && restricted.2 == 0)
            #expect(try await read("dpo").2 == 1)
        }
    }

    @Test("C35/APX-47 (finding 4): a support key can neither erase through child: true nor lift a legal hold; a child's erasure keeps what a statute requires (Art 17(3)(b))",
          arguments: StoreBackend.all)
    func flagsNeedErase(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let id = try await VaultAPITests.subject(client, keys, email: "young@example.com", categories: ["customer"])
            try await client.execute(uri: "/v1/subjects/\(id)/data", method: .post, headers: keys.headers("support"),
                                     body: VaultAPITests.body(["purpose": "billing", "source": "signup", "fields": ["user.account.payment": "card ending 4242"]])) { response in
                #expect(response.status == .created, "\(response.body.text)")
            }
            func flags(_ role: String, _ change: [String: Any]) async throws -> (HTTPResponse.Status, String?) {
                try await client.execute(uri: "/v1/subjects/\(id)/flags", method: .post, headers: keys.headers(role), body: VaultAPITests.body(change)) { response in
                    (response.status, response.body.errorCode())
                }
            }
            #expect(try await flags("dpo", ["legalHold": true]) == (.ok, nil))
            #expect(try await flags("support", ["legalHold": false]) == (.forbidden, "auth.role"))
            #expect(try await flags("support", ["child": true]) == (.forbidden, "auth.role"))
            try await client.execute(uri: "/v1/subjects/\(id)", method: .get, headers: keys.headers("support")) { response in
                #expect(response.status == .ok && response.body.json()["legalHold"] as? Bool == true, "\(response.body.text)")
            }
            #expect(try await flags("support", ["restricted": false]) == (.ok, nil))
            #expect(try await flags("dpo", ["legalHold": false]) == (.ok, nil))
            #expect(try await flags("dpo", ["child": true]).0 == .ok)
            // The invoice data of the billing purpose (a legal obligation with a statute) stays, restricted to that use.
            try await client.execute(uri: "/v1/subjects/\(id)", method: .get, headers: keys.headers("support")) { response in
                #expect(response.status == .ok && response.body.json()["restricted"] as? Bool == true, "\(response.body.text)")
            }
        }
    }
}
