import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PledgeTestSupport
import Testing

@testable import PledgeCore
@testable import PledgeServer

/// Data-subject requests over HTTP (issue 5; C28-C34, C40), on every backend. The server's clock
/// is fixed at 2026-11-21 10:00 UTC.
@Suite("Request API")
struct RequestAPITests {
    static let body = VaultAPITests.body

    static func open(_ client: any TestClientProtocol, _ keys: TestKeys, _ request: [String: Any], role: String = "dpo") async throws -> [String: Any]
    {
        try await client.execute(uri: "/v1/requests", method: .post, headers: keys.headers(role), body: body(request)) { response in
            #expect(response.status == .created, "\(response.body.text)")
            return response.body.json()
        }
    }

    static func act(
        _ client: any TestClientProtocol, _ keys: TestKeys, _ id: String, _ action: [String: Any]
    ) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await client.execute(uri: "/v1/requests/\(id)/actions", method: .post, headers: keys.headers("dpo"), body: body(action)) { response in
            (response.status, response.body.json())
        }
    }

    @Test(
        "C28/C40/APX-40/OEX-77/OEX-78: a phone request is logged with its statutory due date; late extensions, missing reasons and closed cases are refused with stable codes; a refusal carries the ICO route",
        arguments: StoreBackend.all)
    func lifecycle(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let opened = try await Self.open(
                client, keys,
                [
                    "kind": "erasure", "channel": "phone", "receivedAt": "2026-10-01T09:00:00Z", "verifiedBy": "known_contact",
                    "requester": ["name": "Ada", "email": "ada@example.com", "details": "Please delete me"],
                ])
            let id = try #require(opened["id"] as? String)
            #expect(opened["state"] as? String == "in_progress" && opened["dueOn"] as? String == "2026-11-02")  // 1 November 2026 is a Sunday
            #expect(opened["daysLeft"] as? Int == -19 && opened["urgency"] as? String == "overdue")
            var (status, json) = try await Self.act(client, keys, id, ["action": "extend", "months": 1, "reason": "Complex"])
            #expect(status == .unprocessableContent && json.errorCode == "case.extension-too-late")
            (status, json) = try await Self.act(client, keys, id, ["action": "complete"])
            #expect(status == .unprocessableContent && json.errorCode == "case.reason-missing")
            (status, json) = try await Self.act(client, keys, id, ["action": "charge_fee", "pence": 1000])
            #expect(status == .unprocessableContent && json.errorCode == "case.fee-not-allowed")
            (status, json) = try await Self.act(client, keys, id, ["action": "verify"])
            #expect(status == .badRequest && json.errorCode == "request.invalid-body")
            (status, json) = try await Self.act(client, keys, id, ["action": "refuse", "ground": "exemption", "reason": "Needed for a court case"])
            #expect(status == .ok && json["state"] as? String == "refused")
            let refusal = try #require(json["refusal"] as? [String: Any])
            #expect(
                (refusal["complaintRoute"] as? String)?.contains("ico.org.uk") == true && refusal["reason"] as? String == "Needed for a court case")
            (status, json) = try await Self.act(client, keys, id, ["action": "withdraw"])
            #expect(status == .conflict && json.errorCode == "case.transition-invalid")
            try await client.execute(uri: "/v1/requests/\(id)", method: .get, headers: keys.headers("dpo")) { response in
                let history = response.body.json()["history"] as? [[String: Any]] ?? []
                #expect(history.compactMap { $0["action"] as? String } == ["open", "refuse"])
                #expect(history.last?["detail"] as? String == "exemption: Needed for a court case")
            }
            // A request received now, not yet verified, and the queue sorted by days left.
            let fresh = try await Self.open(client, keys, ["kind": "access", "channel": "email", "requester": ["email": "bob@example.com"]])
            #expect(fresh["state"] as? String == "awaiting_verification" && fresh["dueOn"] as? String == "2026-12-21")
            let complaint = try await Self.open(client, keys, ["kind": "complaint", "channel": "post", "receivedAt": "2026-10-25T12:00:00Z"])
            #expect(complaint["dueOn"] as? String == "2026-11-23" && complaint["urgency"] as? String == "due_soon")
            try await client.execute(uri: "/v1/requests", method: .get, headers: keys.headers("support")) { response in
                let cases = response.body.json()["cases"] as? [[String: Any]] ?? []
                #expect(cases.compactMap { $0["id"] as? String } == [complaint["id"] as? String, fresh["id"] as? String])
            }
            try await client.execute(uri: "/v1/requests?state=all", method: .get, headers: keys.headers("dpo")) { response in
                #expect((response.body.json()["cases"] as? [Any])?.count == 3)
            }
        }
    }

    @Test("OEX-75: data kept back from an access request cites a ground in law; free text as the ground is refused and the case stays open")
    func withholdingCitesTheLaw() async throws {
        try await TestServer().test { client, keys in
            let opened = try await Self.open(
                client, keys, ["kind": "access", "channel": "email", "verifiedBy": "known_contact", "requester": ["email": "ada@example.com"]])
            let id = try #require(opened["id"] as? String)
            var (status, json) = try await Self.act(
                client, keys, id,
                ["action": "complete", "reason": "Your copy is attached.", "withheld": [["ground": "we would rather not", "detail": "a note"]]])
            #expect(status == .badRequest && json.errorCode == "request.invalid-value", "\(json)")
            #expect(((json["error"] as? [String: Any])?["message"] as? String)?.contains("third_party_data") == true, "the message lists the grounds")
            (status, json) = try await Self.act(
                client, keys, id,
                ["action": "complete", "reason": "Your copy is attached.", "withheld": [["ground": "negotiations", "detail": " "]]])
            #expect(status == .unprocessableContent && json.errorCode == "case.reason-missing")
            try await client.execute(uri: "/v1/requests/\(id)", method: .get, headers: keys.headers("dpo")) { response in
                #expect(response.body.json()["state"] as? String == "in_progress", "refusals changed nothing")
            }
            (status, json) = try await Self.act(
                client, keys, id,
                [
                    "action": "complete", "reason": "Your copy is attached.",
                    "withheld": [["ground": "third_party_data", "detail": "A colleague's note about you"]],
                ])
            #expect(status == .ok && json["state"] as? String == "completed")
            let withheld = json["withheld"] as? [[String: Any]] ?? []
            #expect(withheld.first?["ground"] as? String == "third_party_data")
            #expect(withheld.first?["label"] as? String == "Information about other people (UK GDPR Art 15(4); DPA 2018 Sch 2 para 16)")
            try await client.execute(uri: "/v1/requests/\(id)", method: .get, headers: keys.headers("dpo")) { response in
                let history = response.body.json()["history"] as? [[String: Any]] ?? []
                #expect(
                    (history.last?["detail"] as? String)?.hasSuffix(
                        "withheld (Information about other people (UK GDPR Art 15(4); DPA 2018 Sch 2 para 16)): A colleague's note about you") == true
                )
            }
        }
    }

    @Test(
        "CAM-04/ECR-56 (C01, C28): a question from the contact form or the DPO's mailbox becomes a case in the queue, due within the month, needing no identity check; staff answer it, and 'fulfil' refuses it",
        arguments: StoreBackend.all)
    func questions(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys, dependencies in
            // A letter to dpo@ logged by staff.
            let logged = try await Self.open(
                client, keys,
                [
                    "kind": "question", "channel": "email",
                    "requester": ["email": "ada@example.com", "details": "Do you share my data with a CRM vendor?"],
                ])
            let id = try #require(logged["id"] as? String)
            #expect(logged["state"] as? String == "in_progress" && logged["dueOn"] as? String == "2026-12-21")
            try await client.execute(uri: "/v1/requests/\(id)/fulfilment", method: .post, headers: keys.headers("support")) { response in
                #expect(response.status == .unprocessableContent && response.body.errorCode() == "case.action-not-for-kind")
            }
            let (status, json) = try await Self.act(
                client, keys, id, ["action": "complete", "reason": "No: our CRM runs on our own servers; the notice lists every recipient."])
            #expect(status == .ok && json["state"] as? String == "completed")
            // The website's contact form: the privacy centre offers a question and queues it at once.
            try await client.execute(uri: "/privacy-centre", method: .get) { response in
                #expect(response.body.text.contains("<option value=\"question\">An answer to your question about our use of personal data</option>"))
            }
            try await client.execute(
                uri: "/privacy-centre/requests", method: .post, headers: PrivacyCentreTests.formType,
                body: ConsoleTests.form(["kind": "question", "email": "bob@example.com", "details": "Which cookies do you set?"])
            ) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/requests", method: .get, headers: keys.headers("support")) { response in
                let cases = response.body.json()["cases"] as? [[String: Any]] ?? []
                #expect(cases.map { "\($0["kind"] ?? "")/\($0["channel"] ?? "")/\($0["state"] ?? "")" } == ["question/privacy_centre/in_progress"])
            }
        }
    }

    @Test("OEX-75: the contract's withholding grounds are exactly Core's, so no ground staff may send fails to map")
    func contractGrounds() {
        #expect(Components.Schemas.WithholdingGround.allCases.map(\.rawValue).sorted() == WithholdingGround.allCases.map(\.rawValue).sorted())
    }

    @Test("C28: wrong input gets a clear code and stores nothing; only roles that handle requests see them")
    func refusals() async throws {
        try await TestServer().test { client, keys in
            try await client.execute(
                uri: "/v1/requests", method: .post, headers: keys.headers("dpo"), body: Self.body(["kind": "telepathy", "channel": "email"])
            ) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(
                uri: "/v1/requests", method: .post, headers: keys.headers("dpo"),
                body: Self.body(["kind": "access", "channel": "email", "receivedAt": "2027-01-01T00:00:00Z"])
            ) { response in
                #expect(response.status == .unprocessableContent && response.body.errorCode() == "case.received-in-future")
            }
            try await client.execute(
                uri: "/v1/requests", method: .post, headers: keys.headers("dpo"),
                body: Self.body(["kind": "access", "channel": "email", "requester": ["email": "not an email"]])
            ) { response in
                #expect(response.status == .unprocessableContent && response.body.errorCode() == "identifier.invalid")
            }
            try await client.execute(uri: "/v1/requests/nope", method: .get, headers: keys.headers("dpo")) { response in
                #expect(response.status == .badRequest && response.body.errorCode() == "request.invalid-request-id")
            }
            try await client.execute(uri: "/v1/requests/\(UUID().uuidString)", method: .get, headers: keys.headers("dpo")) { response in
                #expect(response.status == .notFound && response.body.errorCode() == "case.not-found")
            }
            try await client.execute(uri: "/v1/requests", method: .get, headers: keys.headers("analyst")) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/v1/requests?state=all", method: .get, headers: keys.headers("dpo")) { response in
                #expect((response.body.json()["cases"] as? [Any])?.isEmpty == true, "nothing was stored")
            }
        }
    }

    @Test(
        "C30/C32: an access request is fulfilled from the vault into a ZIP for download; erasure needs the erase permission and reports what was kept",
        arguments: StoreBackend.all)
    func fulfilment(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let subject = try await VaultAPITests.subject(client, keys, email: "ada@example.com")
            try await client.execute(
                uri: "/v1/subjects/\(subject)/data", method: .post, headers: keys.headers("support"),
                body: Self.body(["form": "contact", "fields": ["name": "Ada", "email": "ada@example.com", "company": "Engines Ltd"]])
            ) { response in
                #expect(response.status == .created)
            }
            let access = try await Self.open(
                client, keys, ["kind": "access", "channel": "email", "verifiedBy": "known_contact", "requester": ["email": "ada@example.com"]])
            #expect(access["subjectId"] as? String == subject)
            let id = try #require(access["id"] as? String)
            try await client.execute(uri: "/v1/requests/\(id)/export", method: .get, headers: keys.headers("dpo")) { response in
                #expect(response.status == .conflict && response.body.errorCode() == "case.export-missing")
            }
            try await client.execute(uri: "/v1/requests/\(id)/fulfilment", method: .post, headers: keys.headers("support")) { response in
                let json = response.body.json()
                #expect(response.status == .ok && json["state"] as? String == "completed" && json["exportExpiresAt"] != nil, "\(response.body.text)")
            }
            try await client.execute(uri: "/v1/requests/\(id)/export", method: .get, headers: keys.headers("dpo")) { response in
                #expect(response.status == .ok && response.headers[.contentType] == "application/zip")
                let files = try StoredZip.entries(Data(buffer: response.body))
                let export = try SubjectExport.decode(try #require(files["data.json"]))
                #expect(Set(export.personalData.map(\.value)) == ["Ada", "ada@example.com", "Engines Ltd"])
            }
            try await client.execute(uri: "/v1/requests/\(id)/fulfilment", method: .post, headers: keys.headers("dpo")) { response in
                #expect(response.status == .conflict && response.body.errorCode() == "case.transition-invalid")
            }
            let erasure = try await Self.open(
                client, keys, ["kind": "erasure", "channel": "email", "verifiedBy": "known_contact", "requester": ["email": "ada@example.com"]])
            let erasureID = try #require(erasure["id"] as? String)
            try await client.execute(uri: "/v1/requests/\(erasureID)/fulfilment", method: .post, headers: keys.headers("support")) { response in
                #expect(response.status == .forbidden && response.body.errorCode() == "auth.role")
            }
            try await client.execute(uri: "/v1/requests/\(erasureID)/fulfilment", method: .post, headers: keys.headers("dpo")) { response in
                #expect(response.status == .ok && (response.body.json()["outcome"] as? String)?.contains("erased") == true, "\(response.body.text)")
            }
            try await client.execute(uri: "/v1/subjects/\(subject)", method: .get, headers: keys.headers("support")) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    /// Consents to the example's testimonials purpose, which publishes on the website, and checks the gate allows it.
    static func testimonial(
        _ client: any TestClientProtocol, _ keys: TestKeys, email: String
    ) async throws -> (subject: String, decision: [String: Any]) {
        let subject = try await VaultAPITests.subject(client, keys, email: email, categories: ["customer"])
        try await client.execute(
            uri: "/v1/subjects/\(subject)/consents", method: .post, headers: keys.headers("marketing"),
            body: Self.body(["purpose": "testimonials", "action": "granted", "mechanism": "opt_in_checkbox", "wording": "Show my quote"])
        ) { response in
            #expect(response.status == .created)
        }
        let decision: [String: Any] = ["subject": subject, "purpose": "testimonials", "categories": ["user.name"]]
        #expect(try await VaultAPITests.decide(client, keys, decision) == (true, []))
        return (subject, decision)
    }

    @Test(
        "C32/APX-43: 'remove me from the website' stops every publishing purpose at the gate at once and withdraws its consent; a purpose on a contract basis stays, and the answer says so",
        arguments: StoreBackend.all)
    func unpublish(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let (subject, decision) = try await Self.testimonial(client, keys, email: "ada@example.com")
            let opened = try await Self.open(
                client, keys, ["kind": "unpublish", "channel": "email", "verifiedBy": "known_contact", "requester": ["email": "ada@example.com"]])
            let id = try #require(opened["id"] as? String)
            try await client.execute(uri: "/v1/requests/\(id)/fulfilment", method: .post, headers: keys.headers("support")) { response in
                let json = response.body.json()
                #expect(response.status == .ok && json["state"] as? String == "completed", "\(response.body.text)")
                #expect(
                    (json["outcome"] as? String)?.contains("We have taken your details off our website: Show your testimonial on our website") == true
                )
            }
            let (allowed, reasons) = try await VaultAPITests.decide(client, keys, decision)
            #expect(allowed == false && reasons.contains("subject.objected"), "\(reasons)")
            try await client.execute(uri: "/v1/subjects/\(subject)/consents", method: .get, headers: keys.headers("dpo")) { response in
                let last = (response.body.json()["events"] as? [[String: Any]])?.last
                #expect(last?["action"] as? String == "withdrawn" && last?["wordingSha256"] as? String == "request:\(id)")
            }
        }
        let contract = try TestServer(backend: backend) { yaml in
            yaml.replacingOccurrences(
                of:
                    "    basis: consent\n    automated_decisions: {solely_automated: false}\n    consent_mechanism: opt_in_checkbox\n    categories: [user.name, user.workplace]",
                with: "    basis: contract\n    categories: [user.name, user.workplace]")
        }
        try await contract.test { client, keys in
            let subject = try await VaultAPITests.subject(client, keys, email: "bob@example.com", categories: ["customer"])
            let opened = try await Self.open(
                client, keys, ["kind": "unpublish", "channel": "email", "verifiedBy": "known_contact", "subjectId": subject])
            try await client.execute(
                uri: "/v1/requests/\(try #require(opened["id"] as? String))/fulfilment", method: .post, headers: keys.headers("support")
            ) { response in
                let json = response.body.json()
                let withheld = json["withheld"] as? [[String: Any]] ?? []
                #expect(
                    json["outcome"] as? String == "None of your details are shown on our website for a reason you can stop.", "\(response.body.text)")
                #expect(
                    withheld.first?["ground"] as? String == "basis_not_objectable"
                        && (withheld.first?["detail"] as? String)?.contains("Art 6(1)(b)") == true)
                #expect(withheld.first?["label"] as? String == "Processed on a basis the right to object does not reach (UK GDPR Art 21(1))")
            }
        }
    }
}

extension Dictionary where Key == String, Value == Any {
    var errorCode: String? { (self["error"] as? [String: Any])?["code"] as? String }
}
