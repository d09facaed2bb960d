import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PledgeTestSupport
import Testing

@testable import PledgeServer

/// The contract's limits are the server's limits (issue 3: schemathesis in CI found requests over
/// them accepted): a value over a `maxLength`, outside a `minimum`/`maximum` or not a UUID where
/// the contract says so is refused with 400 and nothing is stored, on the generated handlers and
/// on the direct routes alike; a method the path does not take is 405 with `Allow`.
@Suite("Contract rules")
struct ContractRulesTests {
    @Test("The bundled contract's rules cover its operations: lengths, bounds, UUIDs, nested bodies")
    func readsTheContract() throws {
        let rules = try ContractRules.bundled()
        #expect(rules.operations.count >= 50)
        let consent = try #require(rules.operations["recordConsent"])
        #expect(consent.path["subjectId"]?.isUUID == true)
        #expect(consent.body?.properties["wording"]?.maxLength == 10_000)
        let request = try #require(rules.operations["createRequest"]?.body)
        #expect(request.properties["requester"]?.properties["details"]?.maxLength == 10_000)
        #expect(rules.operations["getStatistics"]?.query["days"]?.maximum == 366)
        #expect(rules.methods(at: "/v1/subjects/4b0c2f1e-0000-4000-8000-000000000000/consents") == ["GET", "POST"])
        #expect(rules.methods(at: "/v1/nothing").isEmpty)
        // A literal segment wins over a parameter, as in the router (schemathesis ST205 found "GET, POST" here).
        #expect(rules.methods(at: "/v1/campaigns/preview") == ["POST"])
        #expect(rules.methods(at: "/v1/campaigns/4b0c2f1e-0000-4000-8000-000000000000") == ["GET"])
    }

    @Test("Every error code the HTTP layer answers with is named in the contract, with its status from one place (issue 25 §7)")
    func everyCodeDocumented() throws {
        let contract = try OpenAPIDocument.text()
        let missing = APIErrorCode.allCases.filter { !contract.contains("`\($0.rawValue)`") }
        #expect(missing.isEmpty, "not in openapi.yaml: \(missing.map(\.rawValue))")
        #expect(APIErrorCode.subjectNotFound.status == .notFound && APIErrorCode.requestInvalidBody.status == .badRequest)
    }

    @Test("Values over the contract's limits are refused with the value named, and nothing is stored", arguments: StoreBackend.all)
    func overLimits(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            // A generated handler's JSON body, nested.
            let long = String(repeating: "é", count: 10_001)
            let request = try await client.execute(
                uri: "/v1/requests", method: .post, headers: keys.headers("dpo"),
                body: VaultAPITests.body(
                    ["kind": "complaint", "channel": "api", "requester": ["details": long]])
            ) { $0 }
            #expect(request.status == .badRequest && request.body.errorCode() == "request.invalid-value", "\(request.body.text)")
            #expect(request.body.text.contains("body.requester.details") && request.body.text.contains("10000"))
            try await client.execute(uri: "/v1/requests", method: .get, headers: keys.headers("dpo")) { response in
                #expect((response.body.json()["cases"] as? [Any])?.isEmpty == true, "\(response.body.text)")
            }
            // The same length in code points is accepted: the limit counts characters, not bytes.
            let fits = try await client.execute(
                uri: "/v1/requests", method: .post, headers: keys.headers("dpo"),
                body: VaultAPITests.body(
                    ["kind": "complaint", "channel": "api", "requester": ["details": String(long.dropLast())]])
            ) { $0 }
            #expect(fits.status == .created, "\(fits.body.text)")

            // Query parameters: a length and a bound.
            let site = try await client.execute(
                uri: "/v1/statistics?site=\(String(repeating: "a", count: 254))", method: .get, headers: keys.headers("analyst")
            ) { $0 }
            #expect(site.status == .badRequest && site.body.errorCode() == "request.invalid-value", "\(site.body.text)")
            let days = try await client.execute(uri: "/v1/statistics?days=367", method: .get, headers: keys.headers("analyst")) { $0 }
            #expect(
                days.status == .badRequest && days.body.errorCode() == "request.invalid-value" && days.body.text.contains("366"), "\(days.body.text)")

            // A direct route: the consent wording, and nothing reaches the ledger.
            let id = try await VaultAPITests.subject(client, keys, email: "limits@example.com")
            let consent = try await client.execute(
                uri: "/v1/subjects/\(id)/consents", method: .post, headers: keys.headers("marketing"),
                body: VaultAPITests.body(
                    ["purpose": "newsletter", "action": "granted", "mechanism": "opt_in_checkbox", "wording": String(repeating: "w", count: 10_001)])
            ) { $0 }
            #expect(consent.status == .badRequest && consent.body.errorCode() == "request.invalid-value", "\(consent.body.text)")
            // The page-view route: a campaign label over 256 characters.
            let view = try await client.execute(
                uri: "/v1/collect", method: .post, headers: [.contentType: "text/plain", .userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0"],
                body: VaultAPITests.body(["s": "www.example.org", "p": "/", "uc": String(repeating: "c", count: 257)])
            ) { $0 }
            #expect(
                view.status == .badRequest && view.body.errorCode() == "request.invalid-value" && view.body.text.contains("body.uc"),
                "\(view.body.text)")
            // null only where the contract allows it: the tracker's empty utm fields, not a consent's recipient.
            let tracker = try await client.execute(
                uri: "/v1/collect", method: .post, headers: [.contentType: "text/plain", .userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0"],
                body: VaultAPITests.body(["s": "www.example.org", "p": "/", "us": NSNull(), "um": NSNull(), "uc": NSNull()])
            ) { $0 }
            #expect(tracker.status == .accepted, "\(tracker.body.text)")
            let nullRecipient = try await client.execute(
                uri: "/v1/subjects/\(id)/consents", method: .post, headers: keys.headers("marketing"),
                body: VaultAPITests.body(
                    ["purpose": "newsletter", "action": "granted", "mechanism": "opt_in_checkbox", "wording": "w", "recipient": NSNull()])
            ) { $0 }
            #expect(
                nullRecipient.status == .badRequest && nullRecipient.body.errorCode() == "request.invalid-value"
                    && nullRecipient.body.text.contains("body.recipient"),
                "\(nullRecipient.body.text)")
            // An id that is not a UUID keeps its handler's code, in a body as in a path.
            let decision = try await client.execute(
                uri: "/v1/decisions", method: .post, headers: keys.headers("marketing"),
                body: VaultAPITests.body(["subject": "42", "purpose": "newsletter"])
            ) { $0 }
            #expect(decision.status == .badRequest && decision.body.errorCode() == "request.invalid-subject-id", "\(decision.body.text)")
            try await client.execute(uri: "/v1/subjects/\(id)/consents", method: .get, headers: keys.headers("dpo")) { response in
                #expect((response.body.json()["events"] as? [Any])?.isEmpty == true, "no refused consent reached the ledger")
            }
        }
    }

    @Test(
        "Text holding U+0000 is refused on both backends (PostgreSQL cannot store it; it was a 500 there) and the case is unchanged",
        arguments: StoreBackend.all)
    func nulCharacter(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let opened = try await RequestAPITests.open(
                client, keys,
                [
                    "kind": "erasure", "channel": "phone", "verifiedBy": "known_contact",
                    "requester": ["name": "Ada", "email": "nul@example.com"],
                ])
            let id = try #require(opened["id"] as? String)
            let (status, json) = try await RequestAPITests.act(client, keys, id, ["action": "refuse", "ground": "exemption", "reason": "W(\u{0}:"])
            #expect(status == .badRequest && json.errorCode == "request.invalid-value", "\(json)")
            try await client.execute(uri: "/v1/requests/\(id)", method: .get, headers: keys.headers("dpo")) { response in
                let history = response.body.json()["history"] as? [[String: Any]] ?? []
                #expect(history.compactMap { $0["action"] as? String } == ["open"], "\(response.body.text)")
            }
        }
    }

    @Test("A request's receivedAt may carry fractional seconds (RFC 3339), as a browser's toISOString() writes it", arguments: StoreBackend.all)
    func fractionalSeconds(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let opened = try await RequestAPITests.open(
                client, keys,
                [
                    "kind": "access", "channel": "email", "receivedAt": "2026-11-20T09:30:00.123Z",
                    "requester": ["email": "ms@example.com"],
                ])
            // Dates are written back without fractions.
            #expect(opened["receivedAt"] as? String == "2026-11-20T09:30:00Z", "\(opened)")
        }
    }

    @Test("A method the path does not take is 405 with the methods it does take; an unknown path stays 404", arguments: [StoreBackend.all[0]])
    func methodNotAllowed(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            try await client.execute(uri: "/v1/decisions", method: .delete, headers: keys.headers("admin")) { response in
                #expect(response.status == .methodNotAllowed && response.headers[.allow] == "POST")
                #expect(response.body.errorCode() == "route.method-not-allowed")
            }
            try await client.execute(uri: "/v1/subjects/4b0c2f1e-0000-4000-8000-000000000000", method: .put, headers: keys.headers("admin")) {
                response in
                #expect(response.status == .methodNotAllowed && response.headers[.allow] == "DELETE, GET")
            }
            try await client.execute(uri: "/v1/nothing", method: .get, headers: keys.headers("admin")) { response in
                #expect(response.status == .notFound && response.body.errorCode() == "route.not-found")
            }
        }
    }
}
