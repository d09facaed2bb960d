import Foundation
import Logging
import PledgeCore
import PledgeStore
import SQLKit

/// The shop's application database of `examples/systems/shop.sql` (issue 30), made fresh on a test
/// backend: a SQLite file of its own, or a PostgreSQL schema of its own (dropped afterwards). The
/// two people of `shop-people.sql` are in it unless `people` is false.
public struct ShopDatabase: Sendable {
    /// The URL `SHOP_DATABASE_URL` holds.
    public let url: String
    public let kind: SystemKind
    /// Pledge's handle on the same database (PostgreSQL and SQLite), for tests to look at it.
    public let database: PledgeDatabase?
    /// Rows of a query as text, for assertions.
    public let rows: @Sendable (String) async throws -> [[String?]]

    public init(url: String, kind: SystemKind, database: PledgeDatabase?, rows: @escaping @Sendable (String) async throws -> [[String?]]) {
        self.url = url
        self.kind = kind
        self.database = database
        self.rows = rows
    }

    /// The environment a `SystemDatabases` reads the shop's URL from.
    public var environment: [String: String] { ["SHOP_DATABASE_URL": url] }

    public static func with(_ backend: StoreBackend, people: Bool = true, _ body: (ShopDatabase) async throws -> Void) async throws {
        let configuration = backend.make()
        let kind: SystemKind
        let url: String
        switch configuration {
        case .postgres(let postgres): (kind, url) = (.postgres, postgres)
        case .sqlite(let path): (kind, url) = (.sqlite, "sqlite:" + path)
        case .sqliteInMemory: preconditionFailure("the shop needs a file")
        }
        try await PledgeDatabase.with(configuration, logger: Logger(label: "pledge.test.shop"), prepare: { _ in }) { database in
            if let schema = database.schema { try await database.sql.raw("CREATE SCHEMA \(ident: schema)").run() }
            do {
                try await run(script("shop.sql") + (people ? script("shop-people.sql") : []), on: database.sql)
                let sql = database.sql
                try await body(
                    ShopDatabase(url: url, kind: kind, database: database) { query in
                        try await sql.raw("\(unsafeRaw: query)").all().map { row in
                            // PostgreSQL keeps a number a number: read it as one and show it as text.
                            try row.allColumns.map { column in
                                if let number = try? row.decode(column: column, as: Int.self) { return String(number) }
                                return try row.decode(column: column, as: String?.self)
                            }
                        }
                    })
            } catch {
                await StoreBackend.dropSchema(of: database)
                throw error
            }
            await StoreBackend.dropSchema(of: database)
        }
    }

    /// The statements of `examples/systems/<name>`, comments left out.
    public static func script(_ name: String) throws -> [String] {
        let text = try String(contentsOf: ExampleFiles.directory.appendingPathComponent("systems/\(name)"), encoding: .utf8)
        let code = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }.joined(separator: "\n")
        return code.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    public static func run(_ statements: [String], on sql: any SQLDatabase) async throws {
        for statement in statements { try await sql.raw("\(unsafeRaw: statement)").run() }
    }

}

extension ExampleFiles {
    /// The shop's `systems:` block (`examples/systems/shop.yaml`), its kind set to `kind`.
    public static func shopSystems(kind: SystemKind) throws -> String {
        try String(contentsOf: directory.appendingPathComponent("systems/shop.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "kind: postgres", with: "kind: \(kind.rawValue)")
    }

    /// The compliant example with the shop's systems.
    public static func compliantWithShop(kind: SystemKind = .postgres) throws -> String {
        try yaml("compliant") + "\n" + shopSystems(kind: kind)
    }
}
