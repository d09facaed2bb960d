import Foundation
import Logging
import PledgeCore
import PledgeTestSupport
import SQLKit
import Synchronization
import Testing

@testable import PledgeStore

/// Backups that never bring an erased person back (issue 27 §5; UK GDPR Art 17(1)): the erasure ledger
/// outside the database names everyone erased, and a restored store loses them again before it answers.
extension StoreTests {
    @Suite("Backups and the erasure ledger")
    struct BackupTests {
        static let logger = Logger(label: "pledge.test")

        /// A SQLite store's path, its backup's and its erasure ledger, in a folder of their own.
        struct Scene {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pledge-backup-\(UUID().uuidString)")
            let master = MasterKey.generate()
            var path: String { directory.appendingPathComponent("pledge.sqlite").path }
            var backup: String { directory.appendingPathComponent("backup.sqlite").path }
            var ledger: ErasureLedger { ErasureLedger(path: path + ".erasures", master: master) }
        }

        @Test("C40/APX-42 (Art 17, issue 27 §5): back up, erase, restore the backup: the person is gone again, key bytes and all")
        func restoreErasesAgain() async throws {
            let scene = Scene()
            let (path, backup, master, ledger) = (scene.path, scene.backup, scene.master, scene.ledger)
            let email = "restored-\(UUID().uuidString.prefix(6))@example.com"
            let identifier = try SubjectIdentifier(kind: .email, raw: email)
            let captured = Mutex(Data())
            defer { try? FileManager.default.removeItem(at: scene.directory) }

            try await Self.withVault(path, master: master, erasures: ledger) { vault, database in
                let id = try await vault.createSubject(
                    NewSubject(identifiers: [identifier], categories: ["customer"]), actor: "key:test", at: VaultFixture.now)
                let key = try #require(
                    try await database.sql.raw("SELECT wrapped FROM subject_keys WHERE subject_id = \(bind: id.storedText)").first()?
                        .decode(column: "wrapped", as: Data.self))
                captured.withLock { $0 = key }
                try await database.backUp(to: backup)
                _ = try await vault.erase(id, reason: "request", keeping: .nothing, actor: "key:dpo", at: VaultFixture.now)
                #expect(try await vault.findSubject(identifier, actor: "key:test", at: VaultFixture.now) == nil)
            }
            let wrapped = captured.withLock { $0 }
            #expect(FileManager.default.contents(atPath: backup)?.range(of: wrapped) != nil, "the backup holds the subject's wrapped key")
            #expect(PrivateFiles.isReadableByOthers(backup) == false && PrivateFiles.isReadableByOthers(ledger.path) == false)

            try PledgeDatabase.restore(sqliteBackup: backup, into: path)
            try await Self.withVault(path, master: master, erasures: ledger) { vault, database in
                #expect(try await vault.findSubject(identifier, actor: "key:test", at: VaultFixture.now) != nil, "the restore brought them back")
                let result = try await ledger.reapply(on: vault, at: VaultFixture.now, logger: Self.logger)
                #expect(result == ErasureLedger.Reapplied(erased: 1, recorded: 0))
                #expect(try await vault.findSubject(identifier, actor: "key:test", at: VaultFixture.now) == nil)
                #expect(
                    try await ledger.reapply(on: vault, at: VaultFixture.now, logger: Self.logger) == ErasureLedger.Reapplied(erased: 0, recorded: 0))
                try await database.sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").run()
            }
            for file in [path, path + "-wal"] {
                #expect(FileManager.default.contents(atPath: file)?.range(of: wrapped) == nil, "the wrapped key is still in \(file)")
            }
        }

        @Test("issue 27 §5: a legal hold in the backup that was lifted before the erasure does not bring the person back")
        func liftedHoldInTheBackup() async throws {
            let scene = Scene()
            let (path, backup, master, ledger) = (scene.path, scene.backup, scene.master, scene.ledger)
            let identifier = try SubjectIdentifier(kind: .email, raw: "held-\(UUID().uuidString.prefix(6))@example.com")
            defer { try? FileManager.default.removeItem(at: scene.directory) }
            try await Self.withVault(path, master: master, erasures: ledger) { vault, database in
                let id = try await vault.createSubject(
                    NewSubject(identifiers: [identifier], categories: ["customer"]), actor: "key:test", at: VaultFixture.now)
                try await vault.apply(.legalHold(true), to: id, actor: "key:dpo", at: VaultFixture.now)
                try await database.backUp(to: backup)
                try await vault.apply(.legalHold(false), to: id, actor: "key:dpo", at: VaultFixture.now)
                _ = try await vault.erase(id, reason: "request", keeping: .nothing, actor: "key:dpo", at: VaultFixture.now)
            }
            try PledgeDatabase.restore(sqliteBackup: backup, into: path)
            try await Self.withVault(path, master: master, erasures: ledger) { vault, _ in
                let reapplied = try await ledger.reapply(on: vault, at: VaultFixture.now, logger: Self.logger)
                #expect(reapplied.erased == 1)
                #expect(try await vault.findSubject(identifier, actor: "key:test", at: VaultFixture.now) == nil)
            }
        }

        @Test(
            "issue 27 §5: an erasure the ledger missed (a crash before it was written) is added from the audit trail at start",
            arguments: StoreBackend.all)
        func ledgerCatchesUpFromTheAuditTrail(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let ledger = ErasureLedger(
                    path: FileManager.default.temporaryDirectory.appendingPathComponent("pledge-ledger-\(UUID().uuidString)").path,
                    master: .generate())
                defer { try? FileManager.default.removeItem(atPath: ledger.path) }
                let id = try await fixture.newSubject()
                _ = try await fixture.vault.erase(id, reason: "request", keeping: .nothing, actor: "key:dpo", at: VaultFixture.now)  // no ledger here
                #expect(try ledger.contents().tokens.isEmpty)
                #expect(try await ledger.reapply(on: fixture.vault, at: VaultFixture.now, logger: Self.logger) == .init(erased: 0, recorded: 1))
                #expect(try ledger.contents().tokens == [ledger.token(id)])
                #expect(try String(contentsOfFile: ledger.path, encoding: .utf8).contains(id.storedText) == false, "the ledger names nobody")
            }
        }

        @Test("issue 27 §5: the ledger reads only the audit entries since its checkpoint, and all of them when a restore went back past it")
        func checkpointAfterARestore() async throws {
            let scene = Scene()
            let (path, backup, master, ledger) = (scene.path, scene.backup, scene.master, scene.ledger)
            let elsewhere = ErasureLedger(path: scene.directory.appendingPathComponent("lost.erasures").path, master: master)
            defer { try? FileManager.default.removeItem(at: scene.directory) }
            let kept = Mutex(UUID())
            try await Self.withVault(path, master: master, erasures: ledger) { vault, database in
                let id = try await vault.createSubject(NewSubject(identifiers: [], categories: ["customer"]), actor: "key:test", at: VaultFixture.now)
                kept.withLock { $0 = id }
                try await database.backUp(to: backup)
                for _ in 0..<5 {
                    _ = try await vault.createSubject(NewSubject(identifiers: [], categories: ["customer"]), actor: "key:test", at: VaultFixture.now)
                }
                #expect(try await ledger.reapply(on: vault, at: VaultFixture.now, logger: Self.logger) == .init(erased: 0, recorded: 0))
                #expect(try ledger.contents().checkpoint?.sequence ?? 0 > 5)
            }
            try PledgeDatabase.restore(sqliteBackup: backup, into: path)
            let id = kept.withLock { $0 }
            // Erased after the restore, its entry numbered below the checkpoint; the ledger line lost (a crash).
            try await Self.withVault(path, master: master, erasures: elsewhere) { vault, _ in
                _ = try await vault.erase(id, reason: "request", keeping: .nothing, actor: "key:dpo", at: VaultFixture.now)
            }
            try await Self.withVault(path, master: master, erasures: ledger) { vault, _ in
                let reapplied = try await ledger.reapply(on: vault, at: VaultFixture.now, logger: Self.logger)
                #expect(reapplied == .init(erased: 0, recorded: 1))
                #expect(try ledger.contents().tokens == [ledger.token(id)])
            }
        }

        /// A vault on the SQLite file at `path`, with its journal running.
        static func withVault(
            _ path: String, master: MasterKey, erasures: ErasureLedger, _ body: @Sendable (PersonalDataVault, PledgeDatabase) async throws -> Void
        ) async throws {
            try await PledgeDatabase.with(.sqlite(path: path), logger: logger) { database in
                let keys = try await VaultKeys.load(database, master: master)
                try await Journal.running(on: database, logger: logger, chainKey: keys.auditChain) { journal in
                    try await body(PersonalDataVault(database: database, journal: journal, keys: keys, erasures: erasures), database)
                }
            }
        }
    }
}
