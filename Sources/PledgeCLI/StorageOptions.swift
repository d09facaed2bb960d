import ArgumentParser
import Logging
import PledgeStore

/// `--database`, shared by the commands that use the store.
struct StorageOptions: ParsableArguments {
    @Option(help: "Database: a SQLite file path (default pledge-data/pledge.sqlite) or postgres://user:password@host:port/db.")
    var database: String?

    func configuration() throws -> StoreConfiguration {
        guard let database else { return .defaultSQLite }
        do {
            return try StoreConfiguration(argument: database)
        } catch let error as StoreError {
            throw ValidationError(error.description)
        }
    }

    var describe: String { (try? configuration().description) ?? "?" }

    /// Opens and migrates the store, runs `body`, and closes it.
    func withStore(_ body: (PledgeDatabase) async throws -> Void) async throws {
        try await PledgeDatabase.with(try configuration(), logger: Logger(label: "pledge.store"), body)
    }

    /// Opens the store with a running journal and the API key store, for commands that write.
    func withJournal(_ body: @Sendable (PledgeDatabase, Journal, APIKeyStore) async throws -> Void) async throws {
        let logger = Logger(label: "pledge.store")
        try await PledgeDatabase.with(try configuration(), logger: logger) { database in
            try await Journal.running(on: database, logger: logger) { journal in
                try await body(database, journal, APIKeyStore(database: database, journal: journal))
            }
        }
    }
}
