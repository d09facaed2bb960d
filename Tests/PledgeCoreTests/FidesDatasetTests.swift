import Crypto
import Foundation
import Testing

@testable import PledgeCore

/// A Fides dataset file read into `systems:` (issue 30 §6).
@Suite("Systems: Fides dataset import")
struct FidesDatasetTests {
    /// A dataset in Fides's format: `fides_meta` and the older `fidesops_meta`, a newer fideslang
    /// address category, identities of two kinds, references in both directions and to another dataset.
    static let dataset = """
        dataset:
          - fides_key: shop_db
            name: Shop database
            collections:
              - name: address
                fields:
                  - name: id
                    data_categories: [system.operations]
                    fides_meta:
                      primary_key: True
                  - name: city
                    data_categories: [user.contact.address.city]
                  - name: street
                    data_categories: [user.contact.address.street]
              - name: customer
                fields:
                  - name: id
                    data_categories: [user.unique_id]
                    fidesops_meta:
                      primary_key: True
                  - name: email
                    data_categories: [user.contact.email]
                    fidesops_meta:
                      identity: email
                      data_type: string
                  - name: phone
                    data_categories: [user.contact.phone_number]
                    fides_meta:
                      identity: phone_number
                  - name: address_id
                    data_categories: [system.operations]
                    fides_meta:
                      references:
                        - dataset: shop_db
                          field: address.id
                          direction: to
                  - name: crm_id
                    fides_meta:
                      references:
                        - dataset: crm
                          field: contacts.id
                          direction: from
              - name: orders
                fields:
                  - name: id
                    fides_meta: {primary_key: true}
                  - name: customer_id
                    data_categories: [user.unique_id]
                    fides_meta:
                      references:
                        - dataset: shop_db
                          field: customer.id
                          direction: from
              - name: audit
                fides_meta:
                  skip_processing: true
                fields:
                  - name: email
                    data_categories: [user.contact.email]
        """

    @Test("collections, keys, identities, references and categories come over; what cannot is said")
    func importsDataset() throws {
        let imported = try #require(try FidesDataset.systems(fromYAML: Self.dataset, kind: .postgres, connectionEnv: "SHOP_URL").first)
        let system = imported.system
        #expect(system.id == "shop-db" && system.name == "Shop database" && system.connectionEnv == "SHOP_URL")
        #expect(system.collections.map(\.name) == ["address", "customer", "orders"], "skip_processing is honoured")
        let customer = try #require(system.collection("customer"))
        #expect(customer.field("email")?.identity == .email)
        #expect(customer.field("phone")?.identity == nil && customer.field("phone")?.categories == ["user.contact.phone_number"])
        #expect(customer.field("address_id")?.references == "address.id" && customer.field("crm_id")?.references == nil)
        #expect(customer.primaryKey?.name == "id" && customer.erasure == .null)
        #expect(system.collection("address")?.field("city")?.categories == ["user.contact.city"])
        #expect(system.collection("orders")?.field("customer_id")?.references == "customer.id")
        #expect(imported.notes.contains { $0.contains("identity 'phone_number'") })
        #expect(imported.notes.contains { $0.contains("crm.contacts.id left out") })
        #expect(imported.notes.contains { $0.contains("'user.contact.address.city' read as 'user.contact.city'") })

        // The graph reaches everything from the email; written out, it loads back the same.
        let graph = SystemGraph(system)
        #expect(Set(graph.reached.map(\.collection)) == ["address", "customer", "orders"] && graph.unreachable.isEmpty)
        let loaded = DeclarationLoader.load(yaml: try Examples.yaml("compliant") + "\n" + SystemProposal.yaml(system))
        #expect(loaded.declaration?.systems == [system], "\(loaded.findings.map(\.message))")
    }

    @Test("a file that is not a Fides dataset is refused")
    func refusesOtherFiles() {
        #expect(throws: (any Error).self) { try FidesDataset.systems(fromYAML: "systems: []", kind: .postgres, connectionEnv: "X") }
    }

    @Test("discovery names columns by their words, and quotes what YAML would misread")
    func columnNames() {
        #expect(SystemProposal.category(ofColumn: "Email_Address") == "user.contact.email")
        #expect(SystemProposal.category(ofColumn: "postcode") == "user.contact.postal_code")
        #expect(SystemProposal.category(ofColumn: "emailed_at") == nil)
        #expect(SystemProposal.scalar("orders") == "orders" && SystemProposal.scalar("yes") == "\"yes\"")
        #expect(SystemProposal.scalar("odd \"name\"\n") == "\"odd \\\"name\\\"\\n\"")
    }
}

/// The signature between Pledge and an `http` system (issue 30 §5).
@Suite("Systems: signed calls")
struct SystemSignatureTests {
    let secret = SymmetricKey(data: Data("a shared secret of some length".utf8))
    let body = Data(#"{"status":"done"}"#.utf8)
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("a signature made now verifies; a changed body, another secret, a stale or future timestamp, or none, does not")
    func verify() throws {
        let timestamp = Int(now.timeIntervalSince1970)
        let signature = SystemSignature.sign(body, timestamp: timestamp, secret: secret)
        #expect(signature.hasPrefix("v1=") && signature.count == 67)
        try SystemSignature.verify(body, timestamp: String(timestamp), signature: signature, secret: secret, now: now)
        try SystemSignature.verify(body, timestamp: String(timestamp), signature: signature, secret: secret, now: now.addingTimeInterval(299))
        #expect(throws: SystemSignature.Refusal.mismatch) {
            try SystemSignature.verify(Data(#"{"status":"dune"}"#.utf8), timestamp: String(timestamp), signature: signature, secret: secret, now: now)
        }
        #expect(throws: SystemSignature.Refusal.mismatch) {
            try SystemSignature.verify(
                body, timestamp: String(timestamp), signature: signature, secret: SymmetricKey(data: Data("another secret, just as long".utf8)),
                now: now)
        }
        #expect(throws: SystemSignature.Refusal.stale) {
            try SystemSignature.verify(body, timestamp: String(timestamp), signature: signature, secret: secret, now: now.addingTimeInterval(301))
        }
        #expect(throws: SystemSignature.Refusal.stale) {
            try SystemSignature.verify(body, timestamp: String(timestamp), signature: signature, secret: secret, now: now.addingTimeInterval(-301))
        }
        // The timestamp is signed: moving it forward to dodge the window breaks the signature.
        #expect(throws: SystemSignature.Refusal.mismatch) {
            try SystemSignature.verify(body, timestamp: String(timestamp + 60), signature: signature, secret: secret, now: now)
        }
        #expect(throws: SystemSignature.Refusal.missing) {
            try SystemSignature.verify(body, timestamp: nil, signature: signature, secret: secret, now: now)
        }
        #expect(throws: SystemSignature.Refusal.missing) {
            try SystemSignature.verify(body, timestamp: String(timestamp), signature: "sha1=00", secret: secret, now: now)
        }
        #expect(throws: SystemSignature.Refusal.mismatch) {
            try SystemSignature.verify(body, timestamp: String(timestamp), signature: "v1=zz", secret: secret, now: now)
        }
    }

    @Test("an answer's tables become the export's, with the categories the system declares")
    func answerTables() {
        let system = DataSystem(
            id: "helpdesk", name: "Help desk", kind: .http, url: "http://127.0.0.1:1/pledge", secretEnv: "HELPDESK_SECRET",
            collections: [SystemCollection(name: "tickets", fields: [SystemField(name: "subject", categories: ["user.contact.email"])])])
        let answer = SystemAnswer(
            status: .done,
            tables: [.init(table: "tickets", columns: ["id", "subject"], rows: [["7", "Refund"]]), .init(table: "empty", columns: [], rows: [])])
        let tables = answer.systemTables(of: system)
        #expect(tables.count == 1 && tables[0].systemName == "Help desk" && tables[0].columns[1].categories == ["user.contact.email"])
        #expect(SystemAnswer(status: .done, done: ["tickets: 2 deleted"]).erasureOutcome(of: system).verified)
    }
}
