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
        let database = try PledgeDatabase(try configuration(), logger: Logger(label: "pledge.store"))
        do {
            try await database.migrate()
            try await body(database)
        } catch {
            await database.shutdown()
            throw error
        }
        await database.shutdown()
    }
}
