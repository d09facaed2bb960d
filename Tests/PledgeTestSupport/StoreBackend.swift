import Foundation
import Logging
import PledgeStore

/// The backends every store and API test runs on: SQLite always, and PostgreSQL when
/// `PLEDGE_TEST_POSTGRES_URL` is set. In CI (`CI=true`) PostgreSQL is required, so it cannot be
/// skipped by accident. Each PostgreSQL test gets a schema of its own, so tests run side by side.
public struct StoreBackend: CustomStringConvertible, Sendable {
    public let name: String
    /// A configuration for a new, empty store.
    public let make: @Sendable () -> StoreConfiguration

    public var description: String { name }

    public static var all: [StoreBackend] {
        var backends = [
            StoreBackend(name: "SQLite") {
                .sqlite(path: FileManager.default.temporaryDirectory.appendingPathComponent("pledge-test-\(UUID().uuidString)/pledge.sqlite").path)
            }
        ]
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["PLEDGE_TEST_POSTGRES_URL"], !url.isEmpty {
            backends.append(StoreBackend(name: "PostgreSQL") { .postgres(url: withFreshSchema(url)) })
        } else if environment["CI"] == "true" {
            backends.append(
                StoreBackend(name: "PostgreSQL (PLEDGE_TEST_POSTGRES_URL missing)") {
                    .postgres(url: "postgres://missing:missing@127.0.0.1:1/missing")
                })
        }
        return backends
    }

    /// A fresh, migrated store, closed (and on PostgreSQL its schema dropped) afterwards.
    public func withDatabase(_ body: (PledgeDatabase) async throws -> Void) async throws {
        try await PledgeDatabase.with(make(), logger: Logger(label: "pledge.test")) { database in
            do {
                try await body(database)
            } catch {
                // PSQLError describes itself only generically; the details are what a flaky CI run needs.
                print("store test failed: \(String(reflecting: error))")
                await Self.dropSchema(of: database)
                throw error
            }
            await Self.dropSchema(of: database)
        }
    }

    /// Drops a test's own PostgreSQL schema (nothing on SQLite, whose file is in a temporary folder).
    public static func dropSchema(of database: PledgeDatabase) async {
        guard let schema = database.schema else { return }
        try? await database.sql.raw("DROP SCHEMA IF EXISTS \(ident: schema) CASCADE").run()
    }

    static func withFreshSchema(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        let schema = "pledge_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "schema", value: String(schema))]
        return components.string ?? url
    }
}
