import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PledgeCore
import PledgeStore
import PledgeTestSupport
import Testing

@testable import PledgeServer

/// The public privacy centre's preferences (issue 5 §9; C10, C17, C34): a person confirms their email,
/// then sees and changes their consents, objections and marketing choice, and the gate follows at once.
@Suite("Privacy centre")
struct PrivacyCentreTests {
    static let formType: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    /// Submits the privacy-centre form, confirms from the emailed link, and returns the case page's path with its key.
    static func confirmedCase(
        _ client: any TestClientProtocol, _ dependencies: AppDependencies, kind: RequestKind, email: String
    ) async throws -> String {
        try await client.execute(
            uri: "/privacy-centre/requests", method: .post, headers: Self.formType,
            body: ConsoleTests.form(["kind": kind.rawValue, "email": email])
        ) { response in
            #expect(response.status == .ok && response.body.text.contains("Check your email"))
        }
        let emails = try await Outbox(register: dependencies.cases).due(at: TestServer.now.addingTimeInterval(1))
        let text = try #require(emails.last { $0.email.to == email }?.email.text)
        let token = try #require(text.firstMatch(of: /verify\?token=([A-Za-z0-9_-]+)/)?.output.1)
        return try await client.execute(
            uri: "/privacy-centre/verify", method: .post, headers: Self.formType, body: ConsoleTests.form(["token": String(token)])
        ) { response in
            #expect(response.status == .seeOther)
            return try #require(response.headers[.location])
        }
    }

    @Test(
        "C10/C34: the confirmed requester sees their consent ticked, unticks it, objects to security and stops marketing; the ledger and the gate follow; a wrong key changes nothing",
        arguments: StoreBackend.all)
    func preferences(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys, dependencies in
            let id = try await VaultAPITests.subject(client, keys, email: "ada@example.com", categories: ["customer"])
            try await client.execute(
                uri: "/v1/subjects/\(id)/consents", method: .post, headers: keys.headers("marketing"),
                body: VaultAPITests.body([
                    "purpose": "newsletter", "action": "granted", "mechanism": "opt_in_checkbox", "wording": "Send me the newsletter",
                ])
            ) { response in
                #expect(response.status == .created)
            }
            let page = try await Self.confirmedCase(client, dependencies, kind: .preferences, email: "ada@example.com")
            let action = try await client.execute(uri: page, method: .get) { response in
                let html = response.body.text
                #expect(response.status == .ok && html.contains("Your consents and marketing preferences"))
                #expect(html.contains(#"<input type="checkbox" name="consent" value="newsletter" checked>"#))
                #expect(html.contains(#"name="object" value="security""#) && !html.contains(#"value="billing""#))
                #expect(html.contains(#"name="marketing" value="stop""#))
                return try #require(html.firstMatch(of: /<form method="post" action="([^"]+)"/)?.output.1).replacingOccurrences(
                    of: "&amp;", with: "&")
            }
            let request: [String: Any] = ["subject": id, "purpose": "newsletter", "categories": ["user.contact.email"]]
            #expect(try await VaultAPITests.decide(client, keys, request) == (true, []))

            // A key for another case, or none that is valid, is refused and nothing is recorded.
            let forged = action.replacingOccurrences(of: "key=", with: "key=x")
            try await client.execute(uri: forged, method: .post, headers: Self.formType, body: ByteBuffer(string: "marketing=stop")) { response in
                #expect(response.status == .notFound)
            }
            #expect(try await VaultAPITests.decide(client, keys, request) == (true, []))

            try await client.execute(uri: action, method: .post, headers: Self.formType, body: ByteBuffer(string: "object=security&marketing=stop")) {
                response in
                #expect(response.status == .seeOther && response.headers[.location] == page + "&saved=1")
            }
            try await client.execute(uri: page + "&saved=1", method: .get) { response in
                let html = response.body.text
                #expect(html.contains("Your choices are saved") && html.contains("You have objected to:"))
                #expect(html.contains(#"id="marketing-stopped""#) && !html.contains(#"name="marketing" value="stop""#))
                #expect(html.contains(#"<input type="checkbox" name="consent" value="newsletter">"#))
            }
            let (allowed, reasons) = try await VaultAPITests.decide(client, keys, request)
            #expect(allowed == false && !reasons.isEmpty)
            try await client.execute(uri: "/v1/subjects/\(id)/consents", method: .get, headers: keys.headers("dpo")) { response in
                let events = response.body.json()["events"] as? [[String: Any]] ?? []
                #expect(events.count == 2)
                #expect(events.last?["action"] as? String == "withdrawn" && events.last?["mechanism"] as? String == "privacy_centre_preferences")
            }
            let subject = try #require(UUID(uuidString: id))
            let state = try #require(try await dependencies.vault.state(of: subject))
            #expect(state.marketingObjection != nil && state.objections["security"] != nil)

            // Ticking the box again is a new grant, with the hash of the words beside it as proof (Art 7(1)).
            try await client.execute(uri: action, method: .post, headers: Self.formType, body: ByteBuffer(string: "consent=newsletter")) { response in
                #expect(response.status == .seeOther)
            }
            // Marketing is stopped, so the grant is not recorded: it could not take effect (Art 21(3)).
            try await client.execute(uri: "/v1/subjects/\(id)/consents", method: .get, headers: keys.headers("dpo")) { response in
                #expect((response.body.json()["events"] as? [[String: Any]])?.count == 2)
            }
        }
    }

    /// A multipart/form-data body with one file part named `document`.
    static func upload(_ bytes: [UInt8], type: String = "image/png") -> (HTTPFields, ByteBuffer) {
        let boundary = "pledge-test-boundary"
        var body = ByteBuffer(
            string: "--\(boundary)\r\nContent-Disposition: form-data; name=\"document\"; filename=\"id.png\"\r\nContent-Type: \(type)\r\n\r\n")
        body.writeBytes(bytes)
        body.writeString("\r\n--\(boundary)--\r\n")
        return ([.contentType: "multipart/form-data; boundary=\(boundary)"], body)
    }

    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 2000)

    @Test(
        "C29/OEX-74: a document is taken only when staff asked for one, only as JPEG, PNG or PDF, shown to staff, and deleted when they record the check",
        arguments: StoreBackend.all)
    func identityDocument(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys, dependencies in
            _ = try await VaultAPITests.subject(client, keys, email: "ada@example.com", categories: ["customer"])
            let page = try await Self.confirmedCase(client, dependencies, kind: .rectification, email: "ada@example.com")
            let id = try #require(page.firstMatch(of: /requests\/([0-9a-f-]+)\?/)?.output.1).description
            let action = page.replacingOccurrences(of: "?key=", with: "/documents?key=")
            let (headers, pngBody) = Self.upload(Self.png)
            // Not asked for yet: refused, nothing kept.
            try await client.execute(uri: action, method: .post, headers: headers, body: pngBody) { response in
                #expect(response.status == .conflict && response.body.text.contains("We have not asked for a document"))
            }
            let (status, _) = try await RequestAPITests.act(
                client, keys, id, ["action": "ask_for_documents", "reason": "The email on file does not match the name given"])
            #expect(status == .ok)
            try await client.execute(uri: page, method: .get) { response in
                let html = response.body.text
                #expect(html.contains("We need to check your identity") && html.contains("The email on file does not match the name given"))
                #expect(html.contains(#"enctype="multipart/form-data""#))
            }
            let (textHeaders, textBody) = Self.upload(Array("just some text".utf8), type: "image/png")
            try await client.execute(uri: action, method: .post, headers: textHeaders, body: textBody) { response in
                #expect(response.status == .unprocessableContent && response.body.text.contains("JPEG, PNG or PDF"))
            }
            let (bigHeaders, bigBody) = Self.upload(Self.png + Array(repeating: 1, count: IdentityDocument.maximumBytes))
            try await client.execute(uri: action, method: .post, headers: bigHeaders, body: bigBody) { response in
                #expect(response.status == .unprocessableContent)
            }
            let caseID = try #require(UUID(uuidString: id))
            #expect(try await dependencies.cases.documents(of: caseID).isEmpty)

            try await client.execute(uri: action, method: .post, headers: headers, body: pngBody) { response in
                #expect(response.status == .seeOther && response.headers[.location] == page + "&uploaded=1")
            }
            let stored = try await dependencies.cases.documents(of: caseID)
            #expect(stored.map(\.mediaType) == [.png] && stored.first?.bytes == Self.png.count)
            let documentID = try #require(stored.first?.id.uuidString.lowercased())
            let token = try await ConsoleTests.session(client, keys.tokens["dpo"]!)
            try await client.execute(uri: "/admin/requests/\(id)", method: .get, headers: ConsoleTests.cookie(token)) { response in
                #expect(response.body.text.contains("/admin/requests/\(id)/documents/\(documentID)"))
            }
            try await client.execute(uri: "/admin/requests/\(id)/documents/\(documentID)", method: .get, headers: ConsoleTests.cookie(token)) {
                response in
                #expect(response.status == .ok && response.headers[.contentType] == "image/png" && Array(buffer: response.body) == Self.png)
            }
            try await client.execute(
                uri: "/admin/requests/\(id)/documents/\(documentID)", method: .get,
                headers: ConsoleTests.cookie(try await ConsoleTests.session(client, keys.tokens["marketing"]!))
            ) { response in
                #expect(response.status == .forbidden)
            }

            let (verified, _) = try await RequestAPITests.act(
                client, keys, id, ["action": "verify", "method": "document_check", "reason": "Passport matches"])
            #expect(verified == .ok)
            #expect(try await dependencies.cases.documents(of: caseID).isEmpty)
            let history = try await dependencies.cases.history(of: caseID).map(\.action)
            #expect(history.suffix(3) == ["document_received", "verify", "documents_deleted"])
            try await client.execute(uri: "/admin/requests/\(id)/documents/\(documentID)", method: .get, headers: ConsoleTests.cookie(token)) {
                response in
                #expect(response.status == .notFound && response.body.errorCode() == "case.document-not-found")
            }
            try await client.execute(uri: action, method: .post, headers: headers, body: pngBody) { response in
                #expect(response.status == .conflict)
            }
        }
    }

    @Test("C10: a person we hold nothing about is told so and offered no sheet")
    func nobody() async throws {
        try await TestServer().test { client, _, dependencies in
            let page = try await Self.confirmedCase(client, dependencies, kind: .preferences, email: "stranger@example.com")
            try await client.execute(uri: page, method: .get) { response in
                let html = response.body.text
                #expect(html.contains("We hold no personal data about you") && !html.contains("<form method=\"post\""))
            }
        }
    }
}
