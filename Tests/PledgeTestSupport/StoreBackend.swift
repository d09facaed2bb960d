import Foundation
import Logging
import Testing
@testable import PledgeStore

/// The backends every store test runs on: SQLite always, and PostgreSQL when
/// `PLEDGE_TEST_POSTGRES_URL` is set. In CI (`CI=true`) PostgreSQL is required, so it cannot be
/// skipped by accident.
struct StoreBackend: CustomTestStringConvertible, Sendable {
    let name: String
    let make: @Sendable () -> StoreConfiguration

    var testDescription: String { name }

    static var all: [StoreBackend] {
        var backends = [StoreBackend(name: "SQLite") {
            .sqlite(path: FileManager.default.temporaryDirectory.appendingPathComponent("pledge-test-\(UUID().uuidString)/pledge.sqlite").path)
        }]
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["PLEDGE_TEST_POSTGRES_URL"], !url.isEmpty {
            backends.append(StoreBackend(name: "PostgreSQL") { .postgres(url: url) })
        } else if environment["CI"] == "true" {
            backends.append(StoreBackend(name: "PostgreSQL (PLEDGE_TEST_POSTGRES_URL missing)") {
                .postgres(url: "postgres://missing:missing@127.0.0.1:1/missing")
            })
        }
        return backends
    }

    /// A fresh, migrated store; PostgreSQL is shared, so its tables are dropped and re-created.
    func withDatabase(_ body: (PledgeDatabase) async throws -> Void) async throws {
        try await PledgeDatabase.with(make(), logger: Logger(label: "pledge.test"), prepare: { database in
            if case .postgres = database.configuration { try await database.revertAllMigrations() }
            try await database.migrate()
        }, body)
    }
}

/// All store suites, run one test at a time: the PostgreSQL backend is one shared database.
@Suite("Store", .serialized)
enum StoreTests {}
