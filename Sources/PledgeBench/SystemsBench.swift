import Crypto
import Foundation
import PledgeCore
import PledgeStore
import SQLKit

/// Issue 30's figures, on Fides's own test workload shape: the shop of `examples/systems/shop.sql`
/// with `customers` customers (default 100,000), as many addresses, three orders each (300,000)
/// and indexes on email and customer id. One access request across the shop (every reached table),
/// one erasure (the declared strategies, then the access query again to verify), and 1,000 access
/// requests back to back; beside them, in the same run, one indexed lookup by email as the floor.
/// SQLite always; PostgreSQL when PLEDGE_BENCH_POSTGRES_URL is set; MariaDB when PLEDGE_BENCH_MARIADB_URL
/// names a database `bench/systems_mariadb.sh` filled. Fides 2.86 on this kind of
/// machine: 0.27 s an access request, 0.38–0.78 s an erasure, 3.3 access requests a second.
@MainActor
func systems(customers: Int) async throws {
    var targets: [(String, StoreConfiguration)] = [("SQLite", .sqlite(path: directory.appendingPathComponent("shop.sqlite").path))]
    if let url = ProcessInfo.processInfo.environment["PLEDGE_BENCH_POSTGRES_URL"], !url.isEmpty {
        let schema = "bench_shop_" + UUID().uuidString.prefix(8).lowercased()
        targets.append(("PostgreSQL", .postgres(url: url + (url.contains("?") ? "&" : "?") + "schema=" + schema)))
    }
    let log = logger
    for (name, configuration) in targets {
        let database = try PledgeDatabase(configuration, logger: log)
        do {
            let postgres = database.isPostgres
            if let schema = database.schema { try await database.sql.raw("CREATE SCHEMA \(ident: schema)").run() }
            try await fillShop(database.sql, customers: customers, postgres: postgres)
            let url: String
            switch configuration {
            case .postgres(let postgresURL): url = postgresURL
            case .sqlite(let path): url = "sqlite:" + path
            case .sqliteInMemory: continue
            }
            let sql = database.sql
            try await measureShop(name, kind: postgres ? .postgres : .sqlite, url: url, customers: customers) { email in
                _ = try await sql.raw("SELECT id, email, name, phone, created_at FROM customers WHERE email = \(bind: email)").all()
            }
            if let schema = database.schema { try await database.sql.raw("DROP SCHEMA \(ident: schema) CASCADE").run() }
        } catch {
            await database.shutdown()
            throw error
        }
        await database.shutdown()
    }
    // MariaDB: a database bench/systems_mariadb.sh made and filled with the same shop.
    if let url = ProcessInfo.processInfo.environment["PLEDGE_BENCH_MARIADB_URL"], !url.isEmpty {
        try await measureShop("MariaDB", kind: .mysql, url: url, customers: customers, reference: nil)
    }
}

/// The figures for one shop database at `url`; `reference` runs the indexed lookup by email.
@MainActor
func measureShop(
    _ name: String, kind: SystemKind, url: String, customers: Int, reference: (@Sendable (String) async throws -> Void)?
) async throws {
    let yaml = try String(contentsOfFile: "examples/systems/shop.yaml", encoding: .utf8)
        .replacingOccurrences(of: "kind: postgres", with: "kind: \(kind.rawValue)")
    let compliant = try String(contentsOfFile: "examples/compliant.yaml", encoding: .utf8)
    guard let system = DeclarationLoader.load(yaml: compliant + "\n" + yaml).declaration?.systems?.first else {
        print("systems: examples/systems/shop.yaml does not load")
        return
    }
    let databases = SystemDatabases(hashKey: SymmetricKey(size: .bits256), logger: logger) { ["SHOP_DATABASE_URL": url] }
    let access = SystemAccess(databases: databases)
    let erasure = SystemErasure(databases: databases)
    print("systems (\(name), \(customers) customers, \(3 * customers) orders):")
    var next = 0
    func email() -> String {
        next = next % customers + 1
        return "c\(next)@shop.example"
    }
    if let reference { try await measure("  reference: indexed SELECT by email") { try await reference(email()) } }
    try await measure("  one access request (all 5 tables)") { _ = try await access.find(email: email(), in: [system]) }
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<1_000 { _ = try await access.find(email: email(), in: [system]) }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    print("  1,000 access requests back to back".padding(toLength: 46, withPad: " ", startingAt: 0) + String(format: "%12.0f /s", 1_000 / seconds))
    var erased = customers
    try await measure("  one erasure (strategies, then verified)") {
        _ = try await erasure.erase(email: "c\(erased)@shop.example", in: [system])
        erased -= 1
    }
    await databases.shutdown()
}

/// The shop's tables (shop.sql) filled by the database itself: no row crosses the connection.
func fillShop(_ sql: any SQLDatabase, customers: Int, postgres: Bool) async throws {
    let script = try String(contentsOfFile: "examples/systems/shop.sql", encoding: .utf8)
        .split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }.joined(separator: "\n")
    for statement in script.split(separator: ";") where !statement.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
        try await sql.raw("\(unsafeRaw: String(statement))").run()
    }
    let series: (Int) -> String = { count in
        postgres
            ? "generate_series(1, \(count)) AS g(x)"
            : "(WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < \(count)) SELECT x FROM s) AS g"
    }
    try await sql.raw(
        "INSERT INTO customers (id, email, name, phone, created_at) SELECT x, 'c' || x || '@shop.example', 'Customer ' || x, '+44 20 ' || x, '2025-01-01' FROM \(unsafeRaw: series(customers))"
    ).run()
    try await sql.raw(
        "INSERT INTO addresses (id, customer_id, street, postcode) SELECT x, x, x || ' High Street', 'AB1 2CD' FROM \(unsafeRaw: series(customers))"
    ).run()
    try await sql.raw(
        "INSERT INTO orders (id, customer_id, shipping_address_id, total_pence, placed_at) SELECT x, (x - 1) / 3 + 1, (x - 1) / 3 + 1, 1000 + x % 5000, '2026-01-01' FROM \(unsafeRaw: series(3 * customers))"
    ).run()
    try await sql.raw(
        "INSERT INTO newsletter_signups (email, signed_up_at) SELECT 'c' || x || '@shop.example', '2025-02-01' FROM \(unsafeRaw: series(customers / 10))"
    ).run()
    try await sql.raw("ANALYZE").run()
}
