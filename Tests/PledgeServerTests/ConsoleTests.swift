import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PledgeStore
import PledgeTestSupport
import Testing

@testable import PledgeServer

/// The admin console's case pages (issue 5 §9; C28, C29, C32, C40): sign in by key, the queue by
/// days left, the case view, and its forms, which refuse without the form token when signed in by
/// cookie (CSRF) and show a refused action in words without storing anything.
@Suite("Admin console")
struct ConsoleTests {
    static func form(_ fields: [String: String]) -> ByteBuffer {
        var components = URLComponents()
        components.queryItems = fields.map { URLQueryItem(name: $0.key, value: $0.value) }
        return ByteBuffer(string: components.percentEncodedQuery!.replacingOccurrences(of: "+", with: "%2B"))
    }

    static func cookie(_ token: String, contentType: String? = nil) -> HTTPFields {
        var fields: HTTPFields = [.cookie: "pledge_admin=\(token)"]
        if let contentType { fields[.contentType] = contentType }
        return fields
    }

    static let formType = "application/x-www-form-urlencoded"

    /// A console page read with the session's cookie: its status and text.
    static func page(_ client: any TestClientProtocol, _ session: String, _ uri: String) async throws -> (HTTPResponse.Status, String) {
        try await client.execute(uri: uri, method: .get, headers: cookie(session)) { ($0.status, $0.body.text) }
    }

    /// A console form posted with the session's cookie: the answer's status and text.
    static func submit(
        _ client: any TestClientProtocol, _ session: String, _ uri: String, _ fields: [String: String]
    ) async throws -> (HTTPResponse.Status, String) {
        try await client.execute(uri: uri, method: .post, headers: cookie(session, contentType: formType), body: form(fields)) {
            ($0.status, $0.body.text)
        }
    }

    /// Signs in with the API key `token` and returns the console session's token from the cookie.
    static func session(_ client: any TestClientProtocol, _ token: String) async throws -> String {
        try await client.execute(uri: "/admin/sign-in", method: .post, headers: [.contentType: formType], body: form(["key": token])) { response in
            #expect(response.status == .seeOther)
            return try #require(response.headers[.setCookie]?.firstMatch(of: /pledge_admin=([^;]+);/)?.output.1).description
        }
    }

    @Test(
        "C28: sign in sets an HttpOnly, SameSite=Strict cookie for /admin; a wrong key is refused; the queue lists open cases, the overdue one first and marked",
        arguments: StoreBackend.all)
    func queue(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            try await client.execute(
                uri: "/admin/sign-in", method: .post, headers: [.contentType: Self.formType], body: Self.form(["key": "pk_wrong"])
            ) { response in
                #expect(response.status == .unauthorized && response.body.text.contains("unknown or has been revoked"))
                #expect(response.headers[.setCookie] == nil)
            }
            let key = keys.tokens["support"]!
            let token = try await client.execute(
                uri: "/admin/sign-in", method: .post, headers: [.contentType: Self.formType], body: Self.form(["key": key])
            ) { response in
                #expect(response.status == .seeOther && response.headers[.location] == "/admin/requests")
                // The cookie names a session, never the key (issue 24 finding 8).
                let cookie = try #require(response.headers[.setCookie])
                let session = try #require(
                    cookie.firstMatch(of: /^pledge_admin=([A-Za-z0-9_-]{43}); Path=\/admin; Max-Age=28800; HttpOnly; SameSite=Strict$/)?.output.1)
                #expect(!cookie.contains(key))
                return String(session)
            }
            // The key itself in the cookie opens nothing.
            try await client.execute(uri: "/admin/requests", method: .get, headers: Self.cookie(key)) { response in
                #expect(response.status == .unauthorized && response.body.errorCode() == "auth.session-ended")
            }
            let overdue = try await RequestAPITests.open(
                client, keys, ["kind": "erasure", "channel": "phone", "receivedAt": "2026-10-01T09:00:00Z", "verifiedBy": "known_contact"])
            let fresh = try await RequestAPITests.open(
                client, keys, ["kind": "access", "channel": "email", "requester": ["email": "bob@example.com"]])
            let closed = try await RequestAPITests.open(client, keys, ["kind": "access", "channel": "email", "verifiedBy": "known_contact"])
            _ = try await RequestAPITests.act(client, keys, closed["id"] as! String, ["action": "withdraw"])
            try await client.execute(uri: "/admin/requests", method: .get, headers: Self.cookie(token)) { response in
                let page = response.body.text
                #expect(response.status == .ok)
                let first = try #require(page.range(of: "data-case=\"\(overdue["id"] as! String)\""))
                let second = try #require(page.range(of: "data-case=\"\(fresh["id"] as! String)\""))
                #expect(first.lowerBound < second.lowerBound)
                #expect(!page.contains(closed["id"] as! String))
                #expect(page.contains("<span class=\"badge overdue\">overdue</span>") && page.contains("<strong>1</strong> overdue"))
            }
            try await client.execute(uri: "/admin/requests?state=all", method: .get, headers: Self.cookie(token)) { response in
                #expect(response.body.text.contains(closed["id"] as! String))
            }
            // The cookie opens no JSON route, and a role without requests:handle sees no queue.
            try await client.execute(uri: "/v1/requests", method: .get, headers: Self.cookie(token)) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(
                uri: "/admin/requests", method: .get, headers: Self.cookie(try await Self.session(client, keys.tokens["marketing"]!))
            ) { response in
                #expect(response.status == .forbidden)
            }
            // Sign-out ends the session on the server, not only in the browser.
            try await client.execute(uri: "/admin/sign-out", method: .post, headers: Self.cookie(token)) { response in
                #expect(response.status == .seeOther && response.headers[.setCookie]?.hasPrefix("pledge_admin=; Path=/admin; Max-Age=0") == true)
            }
            try await client.execute(uri: "/admin/requests", method: .get, headers: Self.cookie(token)) { response in
                #expect(response.status == .unauthorized && response.body.errorCode() == "auth.session-ended")
            }
        }
    }

    @Test(
        "C28/C29/C32: the case page shows history and Art 19 recipients; a cookie form without its token is refused and stores nothing; a refused action is shown in words; fulfilment closes the case",
        arguments: StoreBackend.all)
    func caseForms(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let subject = try await VaultAPITests.subject(client, keys, email: "ada@example.com", categories: ["customer"])
            let opened = try await RequestAPITests.open(
                client, keys,
                [
                    "kind": "erasure", "channel": "email", "subjectId": subject,
                    "requester": ["name": "Ada Lovelace", "email": "ada@example.com"],
                ])
            let id = opened["id"] as! String
            let token = try await Self.session(client, keys.tokens["dpo"]!)
            let formToken = ConsoleSessions.formToken(for: token)
            try await client.execute(uri: "/admin/requests/\(id)", method: .get, headers: Self.cookie(token)) { response in
                let page = response.body.text
                #expect(response.status == .ok && page.contains("Ada Lovelace · ada@example.com"))
                #expect(page.contains("name=\"csrf\" value=\"\(formToken)\""))
                #expect(page.contains("<ul id=\"recipients\">"))
            }
            // Forged: the cookie alone does not authorise a change.
            try await client.execute(
                uri: "/admin/requests/\(id)/actions", method: .post, headers: Self.cookie(token, contentType: Self.formType),
                body: Self.form(["action": "verify", "method": "known_contact"])
            ) { response in
                #expect(response.status == .forbidden && response.body.errorCode() == "auth.form-token")
            }
            try await client.execute(uri: "/v1/requests/\(id)", method: .get, headers: keys.headers("dpo")) { response in
                #expect(response.body.json()["state"] as? String == "awaiting_verification")
            }
            // Refused in words, nothing stored.
            try await client.execute(
                uri: "/admin/requests/\(id)/actions", method: .post, headers: Self.cookie(token, contentType: Self.formType),
                body: Self.form(["csrf": formToken, "action": "verify"])
            ) { response in
                #expect(response.status == .badRequest && response.body.text.contains("id=\"action-error\""))
            }
            try await client.execute(
                uri: "/admin/requests/\(id)/fulfilment", method: .post, headers: Self.cookie(token, contentType: Self.formType),
                body: Self.form(["csrf": formToken])
            ) { response in
                #expect(response.status == .conflict && response.body.text.contains("case.transition-invalid"))
            }
            try await client.execute(
                uri: "/admin/requests/\(id)/actions", method: .post, headers: Self.cookie(token, contentType: Self.formType),
                body: Self.form(["csrf": formToken, "action": "verify", "method": "known_contact", "reason": "Called back on the number we hold"])
            ) { response in
                #expect(response.status == .seeOther && response.headers[.location] == "/admin/requests/\(id)")
            }
            try await client.execute(
                uri: "/admin/requests/\(id)/fulfilment", method: .post, headers: Self.cookie(token, contentType: Self.formType),
                body: Self.form(["csrf": formToken])
            ) { response in
                #expect(response.status == .seeOther)
            }
            try await client.execute(uri: "/admin/requests/\(id)", method: .get, headers: Self.cookie(token)) { response in
                let page = response.body.text
                #expect(page.contains("<dd id=\"state\">completed</dd>") && page.contains("We have erased your data"))
                #expect(page.contains("<td>verify</td>") && page.contains("<td>complete</td>"))
            }
        }
    }

    @Test(
        "C05/OEX-41 (issue 25 §8): the console lists open Art 14 tasks; its form closes one with the form token; an exemption without a reason is shown in words and stores nothing",
        arguments: StoreBackend.all)
    func art14Tasks(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let subject = try await VaultAPITests.subject(client, keys, email: "staff@example.com", categories: ["customer"])
            _ = try await client.execute(
                uri: "/v1/subjects/\(subject)/data", method: .post, headers: keys.headers("support"),
                body: VaultAPITests.body(["purpose": "service", "source": "customer-admins", "fields": ["user.name": "Bo"]])
            ) { $0.status }
            let token = try await Self.session(client, keys.tokens["support"]!)
            let formToken = ConsoleSessions.formToken(for: token)
            let task = try await client.execute(uri: "/admin/art14-tasks", method: .get, headers: Self.cookie(token)) { response in
                let page = response.body.text
                #expect(response.status == .ok && page.contains("Staff details added by our customers&#39; administrators"))
                #expect(page.contains("2026-12-21") && page.contains("name=\"csrf\" value=\"\(formToken)\""))
                #expect(page.contains("aria-current=\"page\">Notice tasks"))
                return try #require(page.firstMatch(of: /data-task="([0-9a-f-]{36})"/)?.output.1).description
            }
            try await client.execute(
                uri: "/admin/art14-tasks/\(task)/closure", method: .post, headers: Self.cookie(token, contentType: Self.formType),
                body: Self.form(["how": "email"])
            ) { response in
                #expect(response.status == .forbidden && response.body.errorCode() == "auth.form-token")
            }
            try await client.execute(
                uri: "/admin/art14-tasks/\(task)/closure", method: .post, headers: Self.cookie(token, contentType: Self.formType),
                body: Self.form(["csrf": formToken, "how": "required_by_law"])
            ) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.body.text.contains("id=\"closure-error\"") && response.body.text.contains("art14.exemption-without-reason"))
            }
            try await client.execute(uri: "/v1/art14-tasks", method: .get, headers: keys.headers("support")) { response in
                #expect(response.body.json()["open"] as? Int == 1, "a refused closure stores nothing")
            }
            try await client.execute(
                uri: "/admin/art14-tasks/\(task)/closure", method: .post, headers: Self.cookie(token, contentType: Self.formType),
                body: Self.form(["csrf": formToken, "how": "post", "note": "Letter sent"])
            ) { response in
                #expect(response.status == .seeOther && response.headers[.location] == "/admin/art14-tasks")
            }
            try await client.execute(uri: "/admin/art14-tasks", method: .get, headers: Self.cookie(token)) { response in
                #expect(response.body.text.contains("id=\"tasks-empty\""))
            }
        }
    }
}
