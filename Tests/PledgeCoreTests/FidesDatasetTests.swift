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
