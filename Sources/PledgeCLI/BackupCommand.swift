import ArgumentParser
import Foundation
import Logging
import PledgeCore
import PledgeStore

/// `pledge backup`: a consistent copy of a SQLite store while the server runs (issue 27 §5).
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy a SQLite database to a new file while the server runs; on PostgreSQL, use pg_dump (see README).",
        discussion: "Keep the erasure ledger out of the backup: `pledge restore` needs the ledger as it is now, not as it was."
    )

    @Option(help: ArgumentHelp("The backup file to write; it must not exist.", valueName: "file"))
    var to: String
    @OptionGroup var storage: StorageOptions

    func run() async throws {
        guard case .sqlite = try storage.configuration() else { throw ValidationError(PledgeDatabase.postgresBackup) }
        try await storage.withStore { database in try await database.backUp(to: to) }
        print("pledge: backed up \(storage.describe) to \(to)")
    }
}

/// `pledge restore`: puts a backup in place and erases again everyone the erasure ledger names.
struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore a SQLite backup (stop the server first), then erase again everyone erased since it was taken.",
        discussion:
            "On PostgreSQL restore the dump with pg_restore first, then run this without --from. It records the restore in the audit trail and moves the audit anchor to the restored trail (a node started on a restored database without it reports the trail as altered). The server also re-applies the erasure ledger at every start, before it answers."
    )

    @Option(help: ArgumentHelp("A backup made by `pledge backup` (SQLite only).", valueName: "file"))
    var from: String?
    @OptionGroup var storage: StorageOptions
    @OptionGroup var masterKey: MasterKeyOptions

    func run() async throws {
        let configuration = try storage.configuration()
        if let from {
            guard case .sqlite(let path) = configuration else { throw ValidationError(PledgeDatabase.postgresBackup) }
            do {
                try PledgeDatabase.restore(sqliteBackup: from, into: path)
            } catch let error as StoreError {
                throw ValidationError(error.description)
            }
            print("pledge: restored \(from) to \(path)")
        }
        guard let ledgerPath = try storage.erasureLedgerPath() else { throw ValidationError("No erasure ledger for an in-memory database.") }
        let (master, _) = try masterKey.load(createIfMissing: false)
        let ledger = ErasureLedger(path: ledgerPath, master: master)
        let logger = Logger(label: "pledge.restore")
        try await PledgeDatabase.with(configuration, logger: logger) { database in
            let keys = try await VaultKeys.load(database, master: master)
            try await Journal.running(on: database, logger: logger, chainKey: keys.auditChain) { journal in
                let vault = PersonalDataVault(database: database, journal: journal, keys: keys, erasures: ledger)
                let result = try await ledger.reapply(on: vault, at: Date(), logger: logger)
                print(
                    "pledge: erasure ledger \(ledgerPath): \(result.erased) subject(s) erased again, \(result.recorded) erasure(s) added from the audit trail"
                )
                // The restore is recorded, and the anchor moved to the restored trail: without this, the restored (shorter or
                // different) trail looks exactly like entries deleted or replaced, which the anchor exists to catch.
                try await journal.commit(
                    JournalUnit(audit: [AuditRecord(actor: CommandActor.current, action: "store.restore", object: "store", field: from, at: Date())]))
                if let anchorPath = try storage.auditAnchorPath(), let head = try await AuditTrail(database: database).head() {
                    let file = AuditAnchorFile(path: anchorPath)
                    let old = try? file.read()
                    try file.write(AuditAnchor(sequence: head.sequence, hash: head.hash, at: Date(), key: keys.auditChain))
                    print(
                        "pledge: audit anchor \(anchorPath) moved to the restored trail's entry \(head.sequence)\(old.map { " (it had seen entry \($0.sequence))" } ?? "")"
                    )
                }
            }
        }
    }
}
