import Foundation
import Logging
import PledgeTestSupport
import Testing

@testable import PledgeCore
@testable import PledgeStore

/// `pledge discover` on a real database (issue 30 §2): the shop's schema read from the catalog,
/// proposed as a `systems:` block with every foreign key in place, without reading a row.
extension StoreTests {
    @Suite("Systems: discovery from the schema")
    struct SchemaDiscoveryTests {
        @Test(
            "discovery finds tables, keys and every foreign key, proposes categories and identities, and never reads a row",
            arguments: ShopTarget.all)
        func discover(_ target: ShopTarget) async throws {
            try await target.with { shop in
                if shop.kind == .postgres, let database = shop.database {
                    // The owner gives up reading its own tables: a query on any row now fails, the catalog still answers.
                    for table in ["customers", "addresses", "orders", "order_lines", "newsletter_signups"] {
                        try await database.sql.raw("REVOKE SELECT ON \(ident: table) FROM CURRENT_USER").run()
                    }
                    await #expect(throws: (any Error).self) { try await shop.rows("SELECT email FROM customers") }
                }
                let tables = try await SchemaDiscovery.tables(at: shop.url, logger: Logger(label: "pledge.test"))
                #expect(tables.map(\.name) == ["addresses", "customers", "newsletter_signups", "order_lines", "orders"])
                let orders = try #require(tables.first { $0.name == "orders" })
                #expect(orders.primaryKey == ["id"])
                #expect(
                    Set(orders.foreignKeys.map { "\($0.column)->\($0.table).\($0.tableColumn)" }) == [
                        "customer_id->customers.id", "shipping_address_id->addresses.id",
                    ])

                let system = SystemProposal.system(id: "shop", name: "Shop", kind: shop.kind, connectionEnv: "SHOP_DATABASE_URL", tables: tables)
                let customers = try #require(system.collection("customers"))
                #expect(customers.field("email")?.identity == .email && customers.field("email")?.categories == ["user.contact.email"])
                #expect(customers.field("name")?.categories == ["user.name"] && customers.field("phone")?.categories == ["user.contact.phone_number"])
                #expect(customers.primaryKey?.name == "id")
                #expect(
                    system.collection("order_lines")?.field("order_id")?.references == "orders.id",
                    "a table without personal data that links in is kept")
                #expect(system.collections.allSatisfy { $0.erasure == .delete })

                // The YAML appended to a declaration loads, and every table is reachable with no broken link.
                let yaml = try ExampleFiles.yaml("compliant") + "\n" + SystemProposal.yaml(system)
                let loaded = DeclarationLoader.load(yaml: yaml)
                let declaration = try #require(loaded.declaration, "\(loaded.findings.map(\.message))")
                #expect(declaration.systems == [system])
                let findings = Linter(today: CalendarDate(year: 2026, month: 11, day: 21)).lint(declaration)
                #expect(
                    !findings.contains { ["L38", "L39", "L40"].contains($0.rule) },
                    "\(findings.filter { $0.rule.hasPrefix("L3") || $0.rule.hasPrefix("L4") }.map(\.message))")
            }
        }
    }
}
