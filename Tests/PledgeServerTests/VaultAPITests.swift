import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PledgeCore
import PledgeTestSupport
import Testing

@testable import PledgeServer

/// The vault over HTTP (issue 3), on the compliant example, on every backend.
@Suite("Vault API")
struct VaultAPITests {
    static func body(_ object: [String: Any]) -> ByteBuffer {
        ByteBuffer(data: try! JSONSerialization.data(withJSONObject: object))
    }

    /// Creates a subject and returns its id.
    static func subject(
        _ client: any TestClientProtocol, _ keys: TestKeys, email: String, categories: [String] = ["enquirer", "customer"]
    ) async throws -> String {
        try await client.execute(
            uri: "/v1/subjects", method: .post, headers: keys.headers("support"),
            body: body(["identifiers": ["email": email], "categories": categories])
        ) { response in
            #expect(response.status == .created, "\(response.body.text)")
            return response.body.json()["id"] as? String ?? "missing"
        }
    }

    static func decide(
        _ client: any TestClientProtocol, _ keys: TestKeys, role: String = "marketing", _ request: [String: Any]
    ) async throws -> (Bool?, [String]) {
        try await client.execute(uri: "/v1/decisions", method: .post, headers: keys.headers(role), body: body(request)) { response in
            let json = response.body.json()
            return (json["allowed"] as? Bool, (json["reasons"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String })
        }
    }

    @Test(
        "C04/C06/C03: create, find by another spelling, collect a declared form, refuse undeclared fields with nothing stored",
        arguments: StoreBackend.all)
    func collectAndRead(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let id = try await Self.subject(client, keys, email: "Ada@Example.com")
            try await client.execute(uri: "/v1/subjects?email=ada@example.COM", method: .get, headers: keys.headers("support")) { response in
                #expect(response.body.json()["id"] as? String == id)
            }
            try await client.execute(
                uri: "/v1/subjects", method: .post, headers: keys.headers("support"),
                body: Self.body(["identifiers": ["email": "ada@example.com"], "categories": ["enquirer"]])
            ) { response in
                #expect(response.status == .conflict)
                #expect(response.body.errorCode() == "subject.identifier-taken")
            }
            try await client.execute(
                uri: "/v1/subjects/\(id)/data", method: .post, headers: keys.headers("support"),
                body: Self.body(["form": "contact", "fields": ["name": "Ada", "email": "ada@example.com", "fax": "01632"]])
            ) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.body.errorCode() == "collection.field-undeclared")
            }
            try await client.execute(uri: "/v1/subjects/\(id)/data?purpose=enquiries", method: .get, headers: keys.headers("support")) { response in
                #expect((response.body.json()["values"] as? [Any])?.isEmpty == true)
            }
            try await client.execute(
                uri: "/v1/subjects/\(id)/data", method: .post, headers: keys.headers("support"),
                body: Self.body(["form": "contact", "fields": ["name": "Ada", "email": "ada@example.com", "company": "Engines Ltd"]])
            ) { response in
                #expect(response.status == .created)
                #expect(response.body.json()["noticeVersion"] as? String == "2026-10")
            }
            try await client.execute(uri: "/v1/subjects/\(id)/data?purpose=enquiries", method: .get, headers: keys.headers("support")) { response in
                let values = response.body.json()["values"] as? [[String: Any]] ?? []
                #expect(values.compactMap { $0["value"] as? String }.sorted() == ["Ada", "Engines Ltd", "ada@example.com"])
                #expect(values.allSatisfy { $0["source"] as? String == "contact-form" })
            }
            // The newsletter purpose has no consent yet: nothing is disclosed, and the reasons say why.
            try await client.execute(uri: "/v1/subjects/\(id)/data?purpose=newsletter", method: .get, headers: keys.headers("marketing")) {
                response in
                let json = response.body.json()
                #expect((json["values"] as? [Any])?.isEmpty == true)
                let withheld = json["withheld"] as? [[String: Any]] ?? []
                #expect(withheld.count == 3)
                #expect(withheld.allSatisfy { (($0["reasons"] as? [[String: Any]]) ?? []).contains { $0["code"] as? String == "consent.absent" } })
            }
        }
    }

    @Test("C10: consent is recorded with its wording hash, takes effect for the next decision, and is never inferred", arguments: StoreBackend.all)
    func consentLedger(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let id = try await Self.subject(client, keys, email: "grace@example.com")
            let request: [String: Any] = ["subject": id, "purpose": "newsletter", "categories": ["user.contact.email"]]
            #expect(try await Self.decide(client, keys, request) == (false, ["consent.absent"]))
            try await client.execute(
                uri: "/v1/subjects/\(id)/consents", method: .post, headers: keys.headers("marketing"),
                body: Self.body(["purpose": "newsletter", "action": "granted", "mechanism": "continued_use", "wording": "By browsing you agree"])
            ) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.body.errorCode() == "consent.inferred")
            }
            try await client.execute(
                uri: "/v1/subjects/\(id)/consents", method: .post, headers: keys.headers("marketing"),
                body: Self.body(["purpose": "newsletter", "action": "granted", "mechanism": "opt_in_checkbox"])
            ) { response in
                #expect(response.body.errorCode() == "consent.wording-missing")
            }
            try await client.execute(
                uri: "/v1/subjects/\(id)/consents", method: .post, headers: keys.headers("marketing"),
                body: Self.body([
                    "purpose": "newsletter", "action": "granted", "mechanism": "opt_in_checkbox", "wording": "Send me the monthly newsletter",
                ])
            ) { response in
                #expect(response.status == .created)
                // sha256sum of the wording, so the stored hash proves exactly what was shown.
                #expect(response.body.json()["wordingSha256"] as? String == "3a8ae8f472bb9c22eaab7911d7e228f3532f107645d90bb90c177e22bef9b87d")
            }
            #expect(try await Self.decide(client, keys, request) == (true, []))
            try await client.execute(
                uri: "/v1/subjects/\(id)/consents", method: .post, headers: keys.headers("marketing"),
                body: Self.body(["purpose": "newsletter", "action": "withdrawn", "mechanism": "unsubscribe_link", "wording": "Unsubscribe"])
            ) { response in
                #expect(response.status == .created)
            }
            #expect(try await Self.decide(client, keys, request) == (false, ["consent.withdrawn"]))
            try await client.execute(uri: "/v1/subjects/\(id)/consents", method: .get, headers: keys.headers("dpo")) { response in
                let events = response.body.json()["events"] as? [[String: Any]] ?? []
                #expect(events.compactMap { $0["action"] as? String } == ["granted", "withdrawn"])
                #expect(events.compactMap { $0["noticeVersion"] as? String } == ["2026-10", "2026-10"])
            }
        }
    }

    @Test("C34: an objection to direct marketing stops the next decision even with consent", arguments: StoreBackend.all)
    func objection(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let id = try await Self.subject(client, keys, email: "obj@example.com")
            _ = try await client.execute(
                uri: "/v1/subjects/\(id)/consents", method: .post, headers: keys.headers("marketing"),
                body: Self.body(["purpose": "newsletter", "action": "granted", "mechanism": "opt_in_checkbox", "wording": "Yes please"])
            ) { $0.status }
            try await client.execute(
                uri: "/v1/subjects/\(id)/objections", method: .post, headers: keys.headers("marketing"),
                body: Self.body(["allDirectMarketing": true])
            ) { response in
                #expect(response.status == .created)
            }
            #expect(try await Self.decide(client, keys, ["subject": id, "purpose": "newsletter"]) == (false, ["subject.objected"]))
        }
    }

    @Test("C09/C35/APX-14: special category data and under-age collection are refused (403) with nothing stored", arguments: StoreBackend.all)
    func forbiddenCollection(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let id = try await Self.subject(client, keys, email: "young@example.com")
            try await client.execute(
                uri: "/v1/subjects/\(id)/data", method: .post, headers: keys.headers("support"),
                body: Self.body(["form": "signup", "fields": ["name": "Kid", "email": "young@example.com", "password": "pw"], "age": 12])
            ) { response in
                #expect(response.status == .forbidden)
                #expect(response.body.errorCode() == "collection.below-minimum-age")
            }
            try await client.execute(uri: "/v1/subjects/\(id)/data?purpose=service", method: .get, headers: keys.headers("support")) { response in
                #expect((response.body.json()["values"] as? [Any])?.isEmpty == true)
                #expect((response.body.json()["withheld"] as? [Any])?.isEmpty == true)
            }
        }
        try await TestServer(
            backend: backend,
            editing: {
                $0.replacingOccurrences(
                    of: "categories: [user.name, user.account.contact.email, user.credentials.password, user.workplace]",
                    with: "categories: [user.name, user.account.contact.email, user.credentials.password, user.workplace, user.health_and_medical]")
            }
        )
        .test { client, keys in
            let id = try await Self.subject(client, keys, email: "health@example.com")
            try await client.execute(
                uri: "/v1/subjects/\(id)/data", method: .post, headers: keys.headers("support"),
                body: Self.body(["purpose": "service", "source": "signup", "fields": ["user.health_and_medical": "asthma"]])
            ) { response in
                #expect(response.status == .forbidden)
                #expect(response.body.errorCode() == "collection.special-category-without-condition")
            }
        }
    }

    @Test(
        "C05/OEX-41/APX-06/OEX-43 (issue 25 §8): data from a customer's administrator opens an Art 14 task due within one month, listed for staff and closed once with how the person was told; an exemption needs its reason",
        arguments: StoreBackend.all)
    func art14(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let id = try await Self.subject(client, keys, email: "staff@example.com", categories: ["customer"])
            try await client.execute(
                uri: "/v1/subjects/\(id)/data", method: .post, headers: keys.headers("support"),
                body: Self.body([
                    "purpose": "service", "source": "customer-admins", "fields": ["user.name": "Bo"], "sourceReference": "Acme Ltd staff import #42",
                ])
            ) { response in
                #expect(response.status == .created)
                #expect(response.body.json()["art14DueBy"] as? String == "2026-12-21")
            }
            // OEX-43/APX-04: the reference stays beside the value and the task, for Art 14(2)(f) and Art 15(1)(g).
            try await client.execute(uri: "/v1/subjects/\(id)/data?purpose=service", method: .get, headers: keys.headers("support")) { response in
                let values = response.body.json()["values"] as? [[String: Any]] ?? []
                #expect(values.first { $0["field"] as? String == "user.name" }?["sourceReference"] as? String == "Acme Ltd staff import #42")
            }
            try await client.execute(
                uri: "/v1/subjects/\(id)/data", method: .post, headers: keys.headers("support"),
                body: Self.body(["purpose": "service", "source": "customer-admins", "fields": ["user.name": "Bob"], "sourceReference": " "])
            ) { response in
                #expect(response.status == .unprocessableContent && response.body.errorCode() == "collection.source-reference-invalid")
            }
            let task = try await client.execute(uri: "/v1/art14-tasks", method: .get, headers: keys.headers("support")) { response in
                #expect(response.status == .ok)
                let json = response.body.json()
                let tasks = json["tasks"] as? [[String: Any]] ?? []
                #expect(json["open"] as? Int == 1 && tasks.count == 1)
                #expect(tasks.first?["subjectId"] as? String == id && tasks.first?["dueOn"] as? String == "2026-12-21")
                #expect(
                    tasks.first?["sourceName"] as? String == "Staff details added by our customers' administrators"
                        && tasks.first?["overdue"] as? Bool == false)
                #expect(tasks.first?["sourceReference"] as? String == "Acme Ltd staff import #42")
                return tasks.first?["id"] as? String ?? "missing"
            }
            try await client.execute(uri: "/v1/art14-tasks", method: .get, headers: keys.headers("marketing")) { response in
                #expect(response.status == .forbidden)
            }
            let audit = try await client.execute(uri: "/v1/audit?object=subject:\(id)", method: .get, headers: keys.headers("dpo")) {
                ($0.body.json()["entries"] as? [Any])?.count ?? -1
            }
            try await client.execute(
                uri: "/v1/art14-tasks/\(task)/closure", method: .post, headers: keys.headers("support"),
                body: Self.body(["how": "disproportionate_effort"])
            ) { response in
                #expect(response.status == .unprocessableContent && response.body.errorCode() == "art14.exemption-without-reason")
            }
            try await client.execute(
                uri: "/v1/art14-tasks/\(UUID().uuidString.lowercased())/closure", method: .post, headers: keys.headers("support"),
                body: Self.body(["how": "email"])
            ) { response in
                #expect(response.status == .notFound && response.body.errorCode() == "art14.not-found")
            }
            try await client.execute(
                uri: "/v1/art14-tasks/\(task)/closure", method: .post, headers: keys.headers("support"),
                body: Self.body(["how": "email", "note": "Sent the notice to staff@example.com"])
            ) { response in
                #expect(response.status == .ok)
                let json = response.body.json()
                #expect(
                    json["how"] as? String == "email" && json["closedAt"] != nil && json["note"] as? String == "Sent the notice to staff@example.com")
            }
            try await client.execute(
                uri: "/v1/art14-tasks/\(task)/closure", method: .post, headers: keys.headers("support"),
                body: Self.body(["how": "post"])
            ) { response in
                #expect(response.status == .conflict && response.body.errorCode() == "art14.closed")
            }
            try await client.execute(uri: "/v1/audit?object=subject:\(id)", method: .get, headers: keys.headers("dpo")) { response in
                let entries = response.body.json()["entries"] as? [[String: Any]] ?? []
                #expect(entries.count == audit + 1, "one entry for the closure; refusals store nothing")
                #expect(entries.contains { $0["action"] as? String == "art14.task-close" && $0["after"] as? String == "email" })
                #expect(!response.body.text.contains("Sent the notice"), "the note is not in the audit trail")
            }
            try await client.execute(uri: "/v1/art14-tasks", method: .get, headers: keys.headers("support")) { response in
                #expect(response.body.json()["open"] as? Int == 0 && (response.body.json()["tasks"] as? [Any])?.isEmpty == true)
            }
            try await client.execute(uri: "/v1/art14-tasks?state=all", method: .get, headers: keys.headers("support")) { response in
                let tasks = response.body.json()["tasks"] as? [[String: Any]] ?? []
                #expect(tasks.count == 1 && tasks.first?["how"] as? String == "email")
            }
        }
    }

    @Test(
        "C35/C14/CAM-28/ECR-53/CAM-08: flagging a child erases the subject at once, and the audit trail says who did it", arguments: StoreBackend.all)
    func childErasure(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let id = try await Self.subject(client, keys, email: "child@example.com")
            _ = try await client.execute(
                uri: "/v1/subjects/\(id)/data", method: .post, headers: keys.headers("support"),
                body: Self.body(["form": "contact", "fields": ["name": "Tim", "email": "child@example.com"]])
            ) { $0.status }
            // Erasing needs the erase permission (issue 24 finding 4): the DPO flags the child.
            try await client.execute(uri: "/v1/subjects/\(id)/flags", method: .post, headers: keys.headers("dpo"), body: Self.body(["child": true])) {
                response in
                #expect(response.status == .ok)
                #expect((response.body.json()["erased"] as? [String: Any])?["values"] as? Int == 2)
            }
            try await client.execute(uri: "/v1/subjects/\(id)", method: .get, headers: keys.headers("support")) { response in
                #expect(response.status == .notFound)
                #expect(response.body.errorCode() == "subject.not-found")
            }
            try await client.execute(uri: "/v1/audit?object=subject:\(id)", method: .get, headers: keys.headers("dpo")) { response in
                let entries = response.body.json()["entries"] as? [[String: Any]] ?? []
                #expect(entries.last?["action"] as? String == "subject.erase")
                #expect(entries.last?["actor"] as? String == "key:dpo")
                #expect(entries.first?["action"] as? String == "subject.create")
            }
            try await client.execute(uri: "/v1/audit?object=subject:\(id)", method: .get, headers: keys.headers("support")) { response in
                #expect(response.status == .forbidden)
            }
        }
    }

    @Test("one subject's id reaches only that subject's data; bad and unknown ids are refused", arguments: StoreBackend.all)
    func isolation(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let a = try await Self.subject(client, keys, email: "a@example.com")
            let b = try await Self.subject(client, keys, email: "b@example.com")
            for (id, name) in [(a, "Alice"), (b, "Bob")] {
                _ = try await client.execute(
                    uri: "/v1/subjects/\(id)/data", method: .post, headers: keys.headers("support"),
                    body: Self.body(["form": "contact", "fields": ["name": name, "email": "\(name.lowercased())@example.com"]])
                ) { $0.status }
            }
            try await client.execute(uri: "/v1/subjects/\(a)/data?purpose=enquiries", method: .get, headers: keys.headers("support")) { response in
                let values = (response.body.json()["values"] as? [[String: Any]] ?? []).compactMap { $0["value"] as? String }
                #expect(values.sorted() == ["Alice", "alice@example.com"])
            }
            try await client.execute(uri: "/v1/subjects/not-a-uuid/data?purpose=enquiries", method: .get, headers: keys.headers("support")) {
                response in
                #expect(response.status == .badRequest)
                #expect(response.body.errorCode() == "request.invalid-subject-id")
            }
            try await client.execute(uri: "/v1/subjects/\(UUID().uuidString)/data?purpose=enquiries", method: .get, headers: keys.headers("support"))
            { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test(
        "APX-32/APX-34/OEX-51 (Art 28): keys: a processor works only for its purposes and while its contract is in force; a scoped key only for its purposes",
        arguments: StoreBackend.all)
    func processorKeys(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let id = try await Self.subject(client, keys, email: "p@example.com")
            #expect(
                try await Self.decide(client, keys, role: "processor:hosting", ["subject": id, "purpose": "service", "categories": ["user.name"]])
                    == (true, []))
            try await client.execute(
                uri: "/v1/decisions", method: .post, headers: keys.headers("processor:hosting"),
                body: Self.body(["subject": id, "purpose": "newsletter"])
            ) { response in
                #expect(response.status == .forbidden)
                #expect(response.body.errorCode() == "auth.purpose")
            }
            try await client.execute(
                uri: "/v1/decisions", method: .post, headers: keys.headers("processor:nobody"),
                body: Self.body(["subject": id, "purpose": "service"])
            ) { response in
                #expect(response.body.errorCode() == "auth.contract-ended")
            }
            try await client.execute(
                uri: "/v1/decisions", method: .post, headers: keys.headers("scoped"),
                body: Self.body(["subject": id, "purpose": "billing"])
            ) { response in
                #expect(response.body.errorCode() == "auth.purpose")
            }
            try await client.execute(
                uri: "/v1/subjects", method: .post, headers: keys.headers("marketing"),
                body: Self.body(["identifiers": ["email": "m@example.com"], "categories": ["enquirer"]])
            ) { response in
                #expect(response.status == .forbidden)
                #expect(response.body.errorCode() == "auth.role")
            }
        }
        try await TestServer(
            backend: backend,
            editing: {
                $0.replacingOccurrences(
                    of: "contract: {art28: true, signed: 2025-06-01, expires: 2028-05-31}",
                    with: "contract: {art28: true, signed: 2025-06-01, expires: 2026-10-31}")
            }
        )
        .test { client, keys in
            try await client.execute(
                uri: "/v1/decisions", method: .post, headers: keys.headers("processor:hosting"),
                body: Self.body(["subject": UUID().uuidString, "purpose": "service"])
            ) { response in
                #expect(response.status == .forbidden)
                #expect(response.body.errorCode() == "auth.contract-ended")
            }
        }
    }

    @Test(
        "C43/APX-05/OEX-08: interaction records (a chat transcript, a call, a letter, a fax, an email) attach to a subject and come back with their channel, date and who logged them",
        arguments: StoreBackend.all)
    func interactions(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            let id = try await Self.subject(client, keys, email: "chat@example.com")
            try await client.execute(
                uri: "/v1/subjects/\(id)/interactions", method: .post, headers: keys.headers("support"),
                body: Self.body(["kind": "chat", "content": "Hello, I need my invoice", "retention": "enquiries"])
            ) { response in
                #expect(response.status == .created)
            }
            try await client.execute(
                uri: "/v1/subjects/\(id)/interactions", method: .post, headers: keys.headers("support"),
                body: Self.body(["kind": "chat", "content": "x", "retention": "forever"])
            ) { response in
                #expect(response.body.errorCode() == "interaction.retention-unknown")
            }
            for (kind, content) in [
                ("call", "Called to change the delivery address"), ("letter", "Letter asking for a copy of the contract"),
                ("fax", "Fax with a signed order"), ("email", "Email asking about the invoice"),
            ] {
                try await client.execute(
                    uri: "/v1/subjects/\(id)/interactions", method: .post, headers: keys.headers("support"),
                    body: Self.body(["kind": kind, "content": content, "retention": "enquiries"])
                ) { #expect($0.status == .created) }
            }
            try await client.execute(uri: "/v1/subjects/\(id)/interactions", method: .get, headers: keys.headers("support")) { response in
                let records = response.body.json()["interactions"] as? [[String: Any]] ?? []
                #expect(
                    Set(records.compactMap { $0["content"] as? String }) == [
                        "Hello, I need my invoice", "Called to change the delivery address", "Letter asking for a copy of the contract",
                        "Fax with a signed order", "Email asking about the invoice",
                    ])
                #expect(Set(records.compactMap { $0["kind"] as? String }) == ["chat", "call", "letter", "fax", "email"])
                #expect(records.allSatisfy { ($0["recordedAt"] as? String)?.hasPrefix("20") == true && $0["actor"] as? String == "key:support" })
            }
        }
    }

    @Test(
        "ECR-19 (C07, C43): Expert CRM's support under a commercial agreement is a contract purpose; a ticket is logged under it and comes back with that purpose (the export's encoding of it: ExportEncodingTests); an undeclared purpose is refused with nothing stored",
        arguments: StoreBackend.all)
    func interactionPurpose(_ backend: StoreBackend) async throws {
        let expertCRM = try #require(DeclarationLoader.load(yaml: try ExampleFiles.yaml("expert-crm")).declaration)
        let support = try #require(expertCRM.purposes.first { $0.id == "support" })
        #expect(support.basis == .contract)
        try await TestServer(example: "expert-crm", backend: backend).test { client, keys in
            let id = try await Self.subject(client, keys, email: "ticket@example.com", categories: ["customer"])
            let uri = "/v1/subjects/\(id)/interactions"
            try await client.execute(
                uri: uri, method: .post, headers: keys.headers("support"),
                body: Self.body(["kind": "ticket", "content": "Sync fails after the update", "purpose": "support"])
            ) { response in
                #expect(response.status == .created)
                #expect(response.body.json()["purpose"] as? String == "support")
            }
            try await client.execute(
                uri: uri, method: .post, headers: keys.headers("support"),
                body: Self.body(["kind": "ticket", "content": "Stored anyway?", "purpose": "helpdesk"])
            ) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.body.errorCode() == "purpose.unknown")
            }
            try await client.execute(uri: uri, method: .get, headers: keys.headers("support")) { response in
                let records = response.body.json()["interactions"] as? [[String: Any]] ?? []
                #expect(records.count == 1, "the refused ticket was not stored")
                #expect(records.first?["purpose"] as? String == "support" && records.first?["content"] as? String == "Sync fails after the update")
            }
        }
    }
}
