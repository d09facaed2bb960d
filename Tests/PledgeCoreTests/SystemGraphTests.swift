import Crypto
import PledgeTestSupport
import Testing

@testable import PledgeCore

/// The organisation's own systems in Core (issue 30 §1, §3, §4, §7): the `systems:` block, the
/// graph from identities over references, the erasure order and the check after it.
@Suite("Systems: graph, erasure plan and lint")
struct SystemGraphTests {
    static func shop() throws -> DataSystem {
        let loaded = DeclarationLoader.load(yaml: try ExampleFiles.compliantWithShop())
        let declaration = try #require(loaded.declaration, "\(loaded.findings.map(\.message))")
        return try #require(declaration.systems?.first)
    }

    /// The shop with every personal table deleted on erasure.
    static func deletingShop() throws -> DataSystem {
        var system = try shop()
        for index in system.collections.indices { system.collections[index].erasure = .delete }
        return system
    }

    @Test("C30/C33, APX-37, ECR-39, OEX-65: the shop is reached breadth first from the email, over both directions of a reference")
    func breadthFirst() throws {
        let graph = SystemGraph(try Self.shop())
        #expect(graph.reached.map(\.collection) == ["customers", "newsletter_signups", "addresses", "orders", "order_lines"])
        #expect(graph.reach(of: "customers")?.paths == [.identity(field: "email", kind: .email)])
        #expect(graph.reach(of: "orders")?.paths == [.link(field: "customer_id", parent: "customers", parentField: "id")])
        #expect(graph.reach(of: "order_lines")?.depth == 2)
        #expect(graph.unreachable.isEmpty)
        // Each link's values are kept aside before an erasure; parents come before the tables reached through them.
        #expect(graph.linkSources.map { "\($0.collection).\($0.field)" } == ["customers.id", "orders.id"])
    }

    @Test("another person's row is never reached through a link: a referrer column does not lead to a second customer")
    func noSecondPerson() throws {
        var system = try Self.shop()
        let orders = try #require(system.collections.firstIndex { $0.name == "orders" })
        system.collections[orders].fields.append(SystemField(name: "referred_by", references: "customers.id"))
        let graph = SystemGraph(system)
        #expect(graph.reach(of: "customers")?.paths == [.identity(field: "email", kind: .email)])
        // A table with no identity is still reached from its referrer: an order's address.
        let addressOnly = DataSystem(
            id: "s", name: "S", kind: .sqlite,
            collections: [
                SystemCollection(name: "people", fields: [SystemField(name: "id"), SystemField(name: "mail", identity: .email)]),
                SystemCollection(
                    name: "bookings",
                    fields: [SystemField(name: "person", references: "people.id"), SystemField(name: "room", references: "rooms.id")]),
                SystemCollection(name: "rooms", fields: [SystemField(name: "id"), SystemField(name: "guest_note", categories: ["user.name"])]),
            ])
        #expect(SystemGraph(addressOnly).reach(of: "rooms")?.paths == [.link(field: "id", parent: "bookings", parentField: "room")])
    }

    @Test("C32, ECR-41, OEX-71: erasure deletes children before parents, an order's address after the order")
    func erasureOrder() throws {
        let system = try Self.deletingShop()
        let plan = SystemErasurePlan(system, graph: SystemGraph(system))
        let order = plan.steps.map(\.collection)
        #expect(order.firstIndex(of: "order_lines")! < order.firstIndex(of: "orders")!)
        #expect(order.firstIndex(of: "orders")! < order.firstIndex(of: "addresses")!)
        #expect(order.firstIndex(of: "addresses")! < order.firstIndex(of: "customers")!)
        #expect(plan.steps.allSatisfy { $0.operation == .delete })
    }

    /// People, rooms and the bookings between them: a room is reached only from a booking, which refers to it.
    static let bookings = DataSystem(
        id: "hotel", name: "Hotel", kind: .sqlite, connectionEnv: "SHOP_DATABASE_URL",
        collections: [
            SystemCollection(
                name: "people",
                fields: [SystemField(name: "id", primaryKey: true), SystemField(name: "mail", categories: ["user.contact.email"], identity: .email)],
                erasure: .delete),
            SystemCollection(
                name: "bookings",
                fields: [
                    SystemField(name: "id", primaryKey: true), SystemField(name: "person", references: "people.id"),
                    SystemField(name: "room", references: "rooms.id"),
                ],
                erasure: .delete),
            SystemCollection(
                name: "rooms", fields: [SystemField(name: "id", primaryKey: true), SystemField(name: "guest_note", categories: ["user.name"])],
                erasure: .delete),
        ])

    @Test("only a link whose rows go before a table reached through them is copied aside: a booking deleted before its room")
    func linksToKeep() throws {
        let shop = try Self.shop()
        #expect(SystemErasurePlan(shop, graph: SystemGraph(shop)).linksToKeep(SystemGraph(shop)).isEmpty, "customers are masked last")
        let deleting = try Self.deletingShop()
        #expect(
            SystemErasurePlan(deleting, graph: SystemGraph(deleting)).linksToKeep(SystemGraph(deleting)).isEmpty, "parents go after their children")
        let graph = SystemGraph(Self.bookings)
        let plan = SystemErasurePlan(Self.bookings, graph: graph)
        #expect(plan.steps.map(\.collection) == ["bookings", "people", "rooms"])
        #expect(plan.linksToKeep(graph).map { "\($0.collection).\($0.field)" } == ["bookings.room"])
    }

    @Test("the shop's declared strategies: mask the customer, rewrite the address, keep orders under their hold, delete the signup")
    func strategies() throws {
        let system = try Self.shop()
        let plan = SystemErasurePlan(system, graph: SystemGraph(system))
        let steps = Dictionary(uniqueKeysWithValues: plan.steps.map { ($0.collection, $0.operation) })
        #expect(
            steps["customers"]
                == .mask([
                    .init(field: "email", strategy: .hash, value: nil), .init(field: "name", strategy: .null, value: nil),
                    .init(field: "phone", strategy: .null, value: nil),
                ]))
        #expect(
            steps["addresses"]
                == .mask([.init(field: "street", strategy: .rewrite, value: "erased"), .init(field: "postcode", strategy: .rewrite, value: "erased")])
        )
        guard case .keep(let reason) = steps["orders"] else { Issue.record("orders not kept"); return }
        #expect(reason.contains("HMRC"))
        #expect(steps["newsletter_signups"] == .delete)
        #expect(steps["order_lines"] == nil, "no personal data there and no strategy: untouched")
    }

    @Test("the check after erasure names what is left, and accepts what the masks wrote and what a hold keeps")
    func leftovers() throws {
        let system = try Self.shop()
        let plan = SystemErasurePlan(system, graph: SystemGraph(system))
        let key = SymmetricKey(size: .bits256)
        func table(_ name: String, _ columns: [String], _ rows: [[String?]]) -> SystemTable {
            SystemTable(system: "shop", systemName: "Shop", table: name, columns: columns.map { .init(name: $0, categories: []) }, rows: rows)
        }
        let clean = [
            table(
                "customers", ["id", "email", "name", "phone", "created_at"], [["1", KeyedHash.of("ada@shop.example", key: key), nil, nil, "2025"]]),
            table("addresses", ["id", "customer_id", "street", "postcode"], [["10", "1", "erased", "erased"]]),
            table("orders", ["id"], [["100"]]),
        ]
        #expect(plan.leftovers(in: clean).isEmpty)
        let dirty = [
            table("customers", ["id", "email", "name", "phone", "created_at"], [["1", "ada@shop.example", "Ada", nil, "2025"]]),
            table("newsletter_signups", ["email", "signed_up_at"], [["ada@shop.example", "2025"]]),
        ]
        #expect(plan.leftovers(in: dirty) == ["customers.email: 1 value(s)", "customers.name: 1 value(s)", "newsletter_signups: 1 row(s)"])
        #expect(KeyedHash.of("a", key: key) == KeyedHash.of("a", key: key) && KeyedHash.of("a", key: key) != KeyedHash.of("b", key: key))
    }

    @Test("L37–L40 are silent on the shop as declared")
    func shopLintsClean() throws {
        let loaded = DeclarationLoader.load(yaml: try ExampleFiles.compliantWithShop())
        #expect(loaded.isUsable, "\(loaded.findings.map(\.message))")
        let findings = Linter(today: Examples.today).lint(try #require(loaded.declaration)).filter { ["L37", "L38", "L39", "L40"].contains($0.rule) }
        #expect(findings.isEmpty, "\(findings.map(\.message))")
    }

    @Test("a category that is not fideslang is refused when the declaration loads")
    func unknownCategory() throws {
        let yaml = try ExampleFiles.compliantWithShop().replacingOccurrences(of: "[user.contact.phone_number]", with: "[user.shoe_size]")
        let loaded = DeclarationLoader.load(yaml: yaml)
        #expect(loaded.findings.contains { $0.path.hasPrefix("systems[0].collections[0].fields[3].categories") })
    }

    @Test("C30–C33, ECR-36, ECR-38: with systems declared, access and erasure reach them even when the vault holds nobody")
    func planReachesSystems() throws {
        let declaration = try #require(DeclarationLoader.load(yaml: try ExampleFiles.compliantWithShop()).declaration)
        func inProgress(_ kind: RequestKind) -> RequestCase {
            RequestCase(kind: kind, channel: .email, receivedAt: .now, verifiedBy: .knownContact)
        }
        #expect(try FulfilmentPlan(for: inProgress(.access), subject: nil, declaration: declaration).steps == [.export])
        #expect(try FulfilmentPlan(for: inProgress(.erasure), subject: nil, declaration: declaration).steps == [.eraseInSystems])
        let plain = try Examples.declaration("compliant")
        #expect(try FulfilmentPlan(for: inProgress(.access), subject: nil, declaration: plain).steps.isEmpty)
        // Nothing found anywhere: the answer says so, not "0 items".
        let plan = try FulfilmentPlan(for: inProgress(.access), subject: nil, declaration: declaration)
        guard case .complete(let outcome, _) = plan.completion(export: nil) else { Issue.record("not a completion"); return }
        #expect(outcome.contains("hold no personal data"))
        let erasure = try FulfilmentPlan(for: inProgress(.erasure), subject: nil, declaration: declaration)
        let outcomeDone = SystemErasureOutcome(
            system: "shop", systemName: "Web shop database", done: ["newsletter_signups: 1 row(s) deleted"],
            kept: ["orders: 2 row(s) kept (HMRC)"], leftovers: [])
        guard case .complete(let said, let withheld) = erasure.completion(systems: [outcomeDone]) else { Issue.record("not a completion"); return }
        #expect(said.contains("Web shop database: newsletter_signups: 1 row(s) deleted; orders: 2 row(s) kept (HMRC)."))
        #expect(withheld.contains { $0.ground == .erasureException && $0.detail == "Web shop database: orders: 2 row(s) kept (HMRC)" })
    }
}
