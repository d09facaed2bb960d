import Testing

@testable import PledgeStore

/// `--database` as a user types it.
@Suite("Store configuration")
struct StoreConfigurationTests {
    @Test("paths, sqlite: and postgres:// URLs are told apart; other schemes are refused")
    func arguments() throws {
        #expect(try StoreConfiguration(argument: "data/p.sqlite") == .sqlite(path: "data/p.sqlite"))
        #expect(try StoreConfiguration(argument: "sqlite:x.db") == .sqlite(path: "x.db"))
        #expect(try StoreConfiguration(argument: "sqlite::memory:") == .sqliteInMemory)
        #expect(try StoreConfiguration(argument: "postgresql://u:p@db/pledge") == .postgres(url: "postgresql://u:p@db/pledge"))
        #expect(throws: StoreError.self) { try StoreConfiguration(argument: "mysql://u@db/pledge") }
        #expect(throws: StoreError.self) { try StoreConfiguration(argument: "postgres://") }
    }

    @Test("a schema parameter is Pledge's, taken off the URL, and must be a plain identifier")
    func schema() throws {
        let configuration = try StoreConfiguration(argument: "postgres://u:p@db:5432/pledge?schema=tenant_a&sslmode=disable")
        let (url, schema) = try configuration.postgresConnection()
        #expect(schema == "tenant_a")
        #expect(url == "postgres://u:p@db:5432/pledge?sslmode=disable")
        #expect(try StoreConfiguration.postgres(url: "postgres://u@db/p").postgresConnection().schema == nil)
        #expect(throws: StoreError.self) { try StoreConfiguration(argument: "postgres://u@db/p?schema=Robert%27);DROP") }
        #expect(configuration.description == "PostgreSQL at postgres://u:***@db:5432/pledge?schema=tenant_a&sslmode=disable")
    }
}
