import ArgumentParser
import Logging
import PledgeCore
import PledgeStore

/// `--database` and `--audit-anchor`, shared by the commands that use the store.
struct StorageOptions: ParsableArguments {
    @Option(help: "Database: a SQLite file path (default pledge-data/pledge.sqlite) or postgres://user:password@host:port/db.")
    var database: String?

    @Option(
        help: ArgumentHelp(
            "The file that anchors the audit trail's head outside the database. Default: beside a SQLite file (PATH.audit-anchor); for PostgreSQL pledge-data/postgres-HOST-PORT-DB.audit-anchor.",
            valueName: "file"))
    var auditAnchor: String?

    @Option(
        help: ArgumentHelp(
            "The erasure ledger outside the database: full erasures are recorded there and re-applied to a restored backup. Default: beside a SQLite file (PATH.erasures); for PostgreSQL pledge-data/postgres-HOST-PORT-DB.erasures.",
            valueName: "file"))
    var erasureLedger: String?

    func configuration() throws -> StoreConfiguration {
        guard let database else { return .defaultSQLite }
        do {
            return try StoreConfiguration(argument: database)
        } catch let error as StoreError {
            throw ValidationError(error.description)
        }
    }

    /// The anchor file: `--audit-anchor`, else the store's default.
    func auditAnchorPath() throws -> String? {
        try auditAnchor ?? configuration().defaultAuditAnchorPath
    }

    /// The erasure ledger: `--erasure-ledger`, else the store's default.
    func erasureLedgerPath() throws -> String? {
        try erasureLedger ?? configuration().defaultErasureLedgerPath
    }

    var describe: String { (try? configuration().description) ?? "?" }

    /// Opens and migrates the store, runs `body`, and closes it.
    func withStore(_ body: (PledgeDatabase) async throws -> Void) async throws {
        try await PledgeDatabase.with(try configuration(), logger: Logger(label: "pledge.store"), body)
    }

    /// Opens the store with its vault under `master`, for commands that change personal data or lists;
    /// a full erasure is recorded in the erasure ledger, as the server records it.
    func withVault(master: MasterKey, _ body: @Sendable (PersonalDataVault) async throws -> Void) async throws {
        let logger = Logger(label: "pledge.store")
        let erasures = try erasureLedgerPath().map { ErasureLedger(path: $0, master: master) }
        try await PledgeDatabase.with(try configuration(), logger: logger) { database in
            let keys = try await VaultKeys.load(database, master: master)
            try await Journal.running(on: database, logger: logger, chainKey: keys.auditChain) { journal in
                try await body(PersonalDataVault(database: database, journal: journal, keys: keys, erasures: erasures))
            }
        }
    }

    /// Opens the store with its keys under `master`, a running journal and the API key store, for commands that write.
    func withJournal(master: MasterKey, _ body: @Sendable (VaultKeys, Journal, APIKeyStore) async throws -> Void) async throws {
        let logger = Logger(label: "pledge.store")
        try await PledgeDatabase.with(try configuration(), logger: logger) { database in
            let keys = try await VaultKeys.load(database, master: master)
            try await Journal.running(on: database, logger: logger, chainKey: keys.auditChain) { journal in
                try await body(keys, journal, APIKeyStore(database: database, journal: journal))
            }
        }
    }
}
