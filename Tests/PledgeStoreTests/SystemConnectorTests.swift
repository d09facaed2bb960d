import Crypto
import Foundation
import Logging
import PledgeTestSupport
import Testing

@testable import PledgeCore
@testable import PledgeStore

/// Requests fulfilled in the organisation's own database (issue 30 §3, §4): the shop of
/// `examples/systems/shop.sql` on a real SQLite file and a real PostgreSQL schema.
extension StoreTests {
    @Suite("Systems: access and erasure in the organisation's own database")
    struct SystemConnectorTests {
        static func system(_ shop: ShopDatabase, deleting: Bool = false) throws -> DataSystem {
            let loaded = DeclarationLoader.load(yaml: try ExampleFiles.compliantWithShop(kind: shop.kind))
            var system = try #require(loaded.declaration?.systems?.first)
            if deleting { for index in system.collections.indices { system.collections[index].erasure = .delete } }
            return system
        }

        static func databases(_ shop: ShopDatabase) -> SystemDatabases {
            let environment = shop.environment
            return SystemDatabases(hashKey: SymmetricKey(size: .bits256), logger: Logger(label: "pledge.test")) { environment }
        }

        @Test(
            "C30, C33, APX-37, ECR-38, ECR-39, OEX-65, OEX-68: access finds every row of the person's in the shop, and nobody else's",
            arguments: ShopTarget.all)
        func access(_ target: ShopTarget) async throws {
            try await target.with { shop in
                let databases = Self.databases(shop)
                defer { Task { await databases.shutdown() } }
                let found = try await SystemAccess(databases: databases).find(email: "Ada@Shop.example", in: [try Self.system(shop)])
                let rows = Dictionary(uniqueKeysWithValues: found.map { ($0.table, $0.rows) })
                #expect(found.map(\.table) == ["customers", "newsletter_signups", "addresses", "orders", "order_lines"])
                #expect(rows["customers"] == [["1", "ada@shop.example", "Ada Lovelace", "+44 20 7946 0001", "2025-03-01"]])
                #expect(rows["orders"]?.map { $0[0] } == ["100", "101"])
                #expect(Set(rows["order_lines"]?.map { $0[2] ?? "" } ?? []) == ["ENGINE-1", "CARD-50", "NOTE-G"])
                #expect(!found.flatMap(\.rows).joined().contains("alan@shop.example"))
                #expect(found.allSatisfy { $0.system == "shop" && $0.systemName == "Web shop database" })
                #expect(try await SystemAccess(databases: databases).find(email: "nobody@shop.example", in: [try Self.system(shop)]).isEmpty)
                // An identity is a value, never SQL: quotes, backslashes and comments find nobody and erase nothing.
                for hostile in [
                    "x' OR '1'='1@shop.example", "\\' OR 1=1 -- @shop.example", "ada@shop.example' OR 'a'='a", "\u{1}1\u{1}@shop.example",
                ] {
                    #expect(try await SystemAccess(databases: databases).find(email: hostile, in: [try Self.system(shop)]).isEmpty)
                    #expect(try await SystemErasure(databases: databases).erase(email: hostile, in: [try Self.system(shop)]).first?.done == [])
                }
                #expect(try await shop.rows("SELECT COUNT(*) FROM customers") == [["2"]])
            }
        }

        @Test(
            "C32, ECR-36, ECR-41, OEX-71: erasure masks, rewrites, keeps under the hold and deletes as declared; the dry run changes nothing",
            arguments: ShopTarget.all)
        func erasure(_ target: ShopTarget) async throws {
            try await target.with { shop in
                let databases = Self.databases(shop)
                defer { Task { await databases.shutdown() } }
                let system = try Self.system(shop)
                let before = try await shop.rows("SELECT email, name FROM customers ORDER BY id")
                let planned = try await SystemErasure(databases: databases).plan(email: "ada@shop.example", in: [system])
                #expect(planned.first?.done.contains("newsletter_signups: 1 row(s) deleted") == true)
                #expect(try await shop.rows("SELECT email, name FROM customers ORDER BY id") == before, "a dry run rolls back")

                let outcomes = try await SystemErasure(databases: databases).erase(email: "ada@shop.example", in: [system])
                let outcome = try #require(outcomes.first)
                #expect(outcome.verified)
                #expect(
                    outcome.done == [
                        "newsletter_signups: 1 row(s) deleted", "addresses: 1 row(s) masked (street, postcode)",
                        "customers: 1 row(s) masked (email, name, phone)",
                    ])
                #expect(outcome.kept.count == 1 && outcome.kept[0].hasPrefix("orders: 2 row(s) kept (Sales records kept six years for HMRC"))
                let customers = try await shop.rows("SELECT email, name, phone FROM customers ORDER BY id")
                #expect(customers[0][0]?.hasPrefix(KeyedHash.prefix) == true && customers[0][1] == nil && customers[0][2] == nil)
                #expect(customers[1] == ["alan@shop.example", "Alan Turing", "+44 20 7946 0002"], "another customer untouched")
                #expect(
                    try await shop.rows("SELECT street, postcode FROM addresses ORDER BY id") == [
                        ["erased", "erased"], ["1 Bletchley Park", "MK3 6EB"],
                    ])
                #expect(try await shop.rows("SELECT COUNT(*) FROM orders") == [["3"]], "orders kept under the HMRC hold")
                #expect(try await shop.rows("SELECT email FROM newsletter_signups") == [["someone.else@shop.example"]])
                // Nothing of Ada's is reachable any more; erasing again does nothing.
                #expect(try await SystemAccess(databases: databases).find(email: "ada@shop.example", in: [system]).isEmpty)
                #expect(try await SystemErasure(databases: databases).erase(email: "ada@shop.example", in: [system]).first?.done == [])
            }
        }

        @Test("C32: deleting rows goes children first, so the database's foreign keys accept it", arguments: ShopTarget.all)
        func deletesInForeignKeyOrder(_ target: ShopTarget) async throws {
            try await target.with { shop in
                let databases = Self.databases(shop)
                defer { Task { await databases.shutdown() } }
                let outcome = try #require(
                    try await SystemErasure(databases: databases).erase(email: "ada@shop.example", in: [try Self.system(shop, deleting: true)]).first)
                #expect(outcome.verified)
                #expect(
                    outcome.done == [
                        "order_lines: 3 row(s) deleted", "orders: 2 row(s) deleted", "newsletter_signups: 1 row(s) deleted",
                        "addresses: 1 row(s) deleted", "customers: 1 row(s) deleted",
                    ])
                #expect(try await shop.rows("SELECT email FROM customers") == [["alan@shop.example"]])
                #expect(try await shop.rows("SELECT id FROM orders") == [["200"]])
                #expect(try await shop.rows("SELECT COUNT(*) FROM order_lines") == [["1"]])
            }
        }

        @Test("C32: a room reached only through a booking is erased after the booking, from values copied aside first", arguments: ShopTarget.all)
        func keptAside(_ target: ShopTarget) async throws {
            try await target.with { shop in
                for statement in [
                    "CREATE TABLE people (id INTEGER PRIMARY KEY, mail VARCHAR(100) NOT NULL)",
                    "CREATE TABLE rooms (id INTEGER PRIMARY KEY, guest_note VARCHAR(100))",
                    "CREATE TABLE bookings (id INTEGER PRIMARY KEY, person INTEGER NOT NULL REFERENCES people (id), room INTEGER NOT NULL REFERENCES rooms (id))",
                    "INSERT INTO people (id, mail) VALUES (1, 'ada@shop.example'), (2, 'alan@shop.example')",
                    "INSERT INTO rooms (id, guest_note) VALUES (10, 'Ada: late arrival'), (20, 'Alan: quiet room')",
                    "INSERT INTO bookings (id, person, room) VALUES (100, 1, 10), (200, 2, 20)",
                ] {
                    _ = try await shop.rows(statement)
                }
                // A room is reached only from a booking, which refers to it: the booking goes first, so the
                // rooms to erase are copied aside before it does.
                let hotel = DataSystem(
                    id: "hotel", name: "Hotel", kind: shop.kind, connectionEnv: "SHOP_DATABASE_URL",
                    collections: [
                        SystemCollection(
                            name: "people", fields: [SystemField(name: "id", primaryKey: true), SystemField(name: "mail", identity: .email)],
                            erasure: .delete),
                        SystemCollection(
                            name: "bookings",
                            fields: [
                                SystemField(name: "id", primaryKey: true), SystemField(name: "person", references: "people.id"),
                                SystemField(name: "room", references: "rooms.id"),
                            ], erasure: .delete),
                        SystemCollection(
                            name: "rooms",
                            fields: [SystemField(name: "id", primaryKey: true), SystemField(name: "guest_note", categories: ["user.name"])],
                            erasure: .delete),
                    ])
                let databases = Self.databases(shop)
                defer { Task { await databases.shutdown() } }
                let outcome = try #require(try await SystemErasure(databases: databases).erase(email: "ada@shop.example", in: [hotel]).first)
                #expect(outcome.verified)
                #expect(outcome.done == ["bookings: 1 row(s) deleted", "people: 1 row(s) deleted", "rooms: 1 row(s) deleted"])
                #expect(try await shop.rows("SELECT guest_note FROM rooms") == [["Alan: quiet room"]])
                #expect(try await shop.rows("SELECT id FROM bookings") == [["200"]])
            }
        }

        @Test(
            "C30, C32, C33, ECR-38, OEX-72: a verified request for someone only in the shop: the ZIP holds their orders; erasure closes the case saying what each table did",
            arguments: StoreBackend.all)
        func fulfilment(_ backend: StoreBackend) async throws {
            try await ShopDatabase.with(backend) { shop in
                let databases = Self.databases(shop)
                defer { Task { await databases.shutdown() } }
                let declaration = try #require(DeclarationLoader.load(yaml: try ExampleFiles.compliantWithShop(kind: shop.kind)).declaration)
                try await VaultFixture.with(backend) { fixture in
                    let register = RequestStoreTests.register(fixture)
                    let fulfilment = RequestFulfilment(vault: fixture.vault, register: register, systems: databases)
                    func fulfil(_ id: UUID) async throws -> RequestFulfilment.Result {
                        try await fulfilment.fulfil(
                            id, declaration: declaration, noticeVersion: "2026-10", clock: RequestStoreTests.clock, actor: "key:dpo",
                            at: VaultFixture.now)
                    }
                    let access = try await RequestStoreTests.verified(.access, from: "ada@shop.example", in: register)
                    #expect(access.subject == nil, "Ada is not in Pledge's vault")
                    let done = try await fulfil(access.id)
                    #expect(done.request.state == .completed)
                    let zip = try #require(try await register.export(for: access.id, actor: "key:dpo", at: VaultFixture.now))
                    let entries = try StoredZip.entries(zip)
                    let orders = String(decoding: try #require(entries["csv/systems/shop.orders.csv"]), as: UTF8.self)
                    #expect(orders.contains("100") && orders.contains("2599") && !orders.contains("200,2,"))
                    let export = try SubjectExport.decode(try #require(entries["data.json"]))
                    #expect(export.subject == nil && export.systems.map(\.table).contains("order_lines"))
                    #expect(String(decoding: try #require(entries["report.html"]), as: UTF8.self).contains("In Web shop database: orders"))
                    // Portability carries the systems' rows too, as CSV and JSON (Art 20; OEX-72).
                    let portability = try await RequestStoreTests.verified(.portability, from: "ada@shop.example", in: register)
                    _ = try await fulfil(portability.id)
                    let portable = try StoredZip.entries(
                        try #require(try await register.export(for: portability.id, actor: "key:dpo", at: VaultFixture.now)))
                    #expect(portable["csv/systems/shop.orders.csv"] != nil)

                    let erasure = try await RequestStoreTests.verified(.erasure, from: "ada@shop.example", in: register)
                    // Plan first: the dry run names every row it would touch, and changes nothing.
                    let preview = try #require(
                        try await fulfilment.previewErasure(erasure.id, declaration: declaration, actor: "key:dpo", at: VaultFixture.now).first)
                    #expect(preview.done.contains("customers: 1 row(s) masked (email, name, phone) [id 1]"))
                    #expect(preview.kept.first?.hasSuffix("[id 100, 101]") == true)
                    #expect(try await shop.rows("SELECT name FROM customers WHERE id = 1") == [["Ada Lovelace"]])
                    let erased = try await fulfil(erasure.id)
                    #expect(erased.request.state == .completed)
                    let outcome = try #require(erased.request.outcome)
                    #expect(outcome.contains("Web shop database: newsletter_signups: 1 row(s) deleted"))
                    #expect(try await shop.rows("SELECT name FROM customers WHERE id = 1") == [[nil]])

                    // Nobody anywhere: no download, and the answer says so.
                    let nobody = try await RequestStoreTests.verified(.access, from: "nobody@shop.example", in: register)
                    _ = try await fulfil(nobody.id)
                    #expect(try await register.export(for: nobody.id, actor: "key:dpo", at: VaultFixture.now) == nil)
                }
            }
        }

        @Test(
            "C31, APX-42, ECR-36, ECR-40, OEX-70: a correction is written to every field of its category in the person's rows, and nobody else's",
            arguments: ShopTarget.all)
        func rectification(_ target: ShopTarget) async throws {
            try await target.with { shop in
                let databases = Self.databases(shop)
                defer { Task { await databases.shutdown() } }
                let changes = try await SystemRectification(databases: databases).correct(
                    email: "ada@shop.example",
                    with: [
                        SystemCorrection(category: "user.name", value: "Ada King"),
                        SystemCorrection(category: "user.account.contact.postal_code", value: "W1 1AA"),
                    ],
                    in: [try Self.system(shop)])
                #expect(changes.first?.done == ["addresses: 1 row(s) corrected (postcode)", "customers: 1 row(s) corrected (name)"])
                #expect(try await shop.rows("SELECT name FROM customers ORDER BY id") == [["Ada King"], ["Alan Turing"]])
                #expect(try await shop.rows("SELECT postcode FROM addresses ORDER BY id") == [["W1 1AA"], ["MK3 6EB"]])
            }
        }

        @Test(
            "C31, ECR-37: corrections go only to a rectification in progress; the audit trail names the fields, never the values",
            arguments: StoreBackend.all
        )
        func rectificationCase(_ backend: StoreBackend) async throws {
            try await ShopDatabase.with(backend) { shop in
                let databases = Self.databases(shop)
                defer { Task { await databases.shutdown() } }
                let declaration = try #require(DeclarationLoader.load(yaml: try ExampleFiles.compliantWithShop(kind: shop.kind)).declaration)
                try await VaultFixture.with(backend) { fixture in
                    let register = RequestStoreTests.register(fixture)
                    let fulfilment = RequestFulfilment(vault: fixture.vault, register: register, systems: databases)
                    let correction = [SystemCorrection(category: "user.contact.phone_number", value: "+44 20 7946 0999")]
                    let access = try await RequestStoreTests.verified(.access, from: "ada@shop.example", in: register)
                    await #expect(throws: CaseRefusal.notForKind(action: "correct", kind: .access)) {
                        try await fulfilment.correct(access.id, with: correction, declaration: declaration, actor: "key:dpo", at: VaultFixture.now)
                    }
                    let rectification = try await RequestStoreTests.verified(.rectification, from: "ada@shop.example", in: register)
                    let changes = try await fulfilment.correct(
                        rectification.id, with: correction, declaration: declaration, actor: "key:dpo", at: VaultFixture.now)
                    #expect(changes.map(\.done) == [["customers: 1 row(s) corrected (phone)"]])
                    #expect(try await shop.rows("SELECT phone FROM customers WHERE id = 1") == [["+44 20 7946 0999"]])
                    #expect(try await register.find(rectification.id)?.state == .inProgress, "staff complete the case with their answer")
                    let audit = try await fixture.database.sql.raw("SELECT field FROM audit_entries WHERE action = 'system.rectify'").all()
                        .map { try $0.decode(column: "field", as: String.self) }
                    #expect(audit == ["shop: customers: 1 row(s) corrected (phone)"])
                }
            }
        }

        @Test("a system without its connection URL refuses with system.connection-missing and the case stays open", arguments: StoreBackend.all)
        func connectionMissing(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let declaration = try #require(DeclarationLoader.load(yaml: try ExampleFiles.compliantWithShop()).declaration)
                let databases = SystemDatabases(hashKey: SymmetricKey(size: .bits256), logger: Logger(label: "pledge.test")) { [:] }
                defer { Task { await databases.shutdown() } }
                let register = RequestStoreTests.register(fixture)
                let fulfilment = RequestFulfilment(vault: fixture.vault, register: register, systems: databases)
                let erasure = try await RequestStoreTests.verified(.erasure, from: "ada@shop.example", in: register)
                await #expect(throws: SystemRefusal.connectionMissing(system: "shop", from: "the environment variable SHOP_DATABASE_URL")) {
                    try await fulfilment.fulfil(
                        erasure.id, declaration: declaration, noticeVersion: "2026-10", clock: RequestStoreTests.clock, actor: "key:dpo",
                        at: VaultFixture.now)
                }
                #expect(try await register.find(erasure.id)?.state == .inProgress)
            }
        }
    }
}
