import Foundation
import NIOConcurrencyHelpers
import PledgeTestSupport

@testable import PledgeCore
@testable import PledgeStore

/// The shop's database on every kind the connector queries (issue 30): SQLite and PostgreSQL as
/// the store tests run them, and MariaDB when `PLEDGE_TEST_MARIADB_URL` is set (required in CI;
/// `bash .ci/start-mariadb.sh` starts one and prints the URL). Each test gets a database of its own.
struct ShopTarget: CustomStringConvertible, Sendable {
    let description: String
    let with: @Sendable (_ body: @Sendable (ShopDatabase) async throws -> Void) async throws -> Void

    static var all: [ShopTarget] {
        var targets = StoreBackend.all.map { backend in
            ShopTarget(description: backend.name) { body in try await ShopDatabase.with(backend) { try await body($0) } }
        }
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["PLEDGE_TEST_MARIADB_URL"], !url.isEmpty {
            targets.append(ShopTarget(description: "MariaDB") { body in try await MariaDBShop.with(url: url, body) })
        } else if environment["CI"] == "true" {
            targets.append(
                ShopTarget(description: "MariaDB (PLEDGE_TEST_MARIADB_URL missing)") { _ in
                    throw MariaDBError(description: "set PLEDGE_TEST_MARIADB_URL")
                })
        }
        return targets
    }
}

/// A MariaDB database of the test's own, made through the same client library the connector loads.
enum MariaDBShop {
    static func with(url: String, _ body: @Sendable (ShopDatabase) async throws -> Void) async throws {
        guard let client = MariaDBClient.shared else { throw MariaDBError(description: "libmariadb3 is not installed") }
        guard let base = MariaDBPool.target(of: url) else { throw MariaDBError(description: "not a mysql:// URL: \(url)") }
        let name = "shop_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        let admin = try MariaDBConnection(
            client: client, host: base.host, port: base.port, user: base.user, password: base.password, database: base.database)
        _ = try admin.run("CREATE DATABASE `\(name)`")
        do {
            let connection = try MariaDBConnection(
                client: client, host: base.host, port: base.port, user: base.user, password: base.password, database: name)
            for statement in try ShopDatabase.script("shop.sql") + ShopDatabase.script("shop-people.sql") { _ = try connection.run(statement) }
            let lock = NIOLock()
            var components = URLComponents(string: url)
            components?.path = "/" + name
            let shop = ShopDatabase(url: components?.string ?? url, kind: .mysql, database: nil) { query in
                try lock.withLock { try connection.run(query).rows }
            }
            try await body(shop)
        } catch {
            _ = try? admin.run("DROP DATABASE `\(name)`")
            throw error
        }
        _ = try admin.run("DROP DATABASE `\(name)`")
    }
}
