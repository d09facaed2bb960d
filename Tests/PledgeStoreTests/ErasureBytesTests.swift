import Foundation
import PledgeCore
import PledgeTestSupport
import Testing

@testable import PledgeStore

/// After erasure, the subject's email and name are nowhere in the database's files: not in the
/// SQLite file, its -wal or -shm, nor in PostgreSQL's table files or write-ahead log (issue 3).
extension StoreTests {
    @Suite("Erasure leaves no plaintext")
    struct ErasureBytesTests {
        @Test("an erased subject's email and name are not in any database file", arguments: StoreBackend.all)
        func noPlaintext(_ backend: StoreBackend) async throws {
            let marker = UUID().uuidString.prefix(8).lowercased()
            let email = "zelda.\(marker)@example.com", name = "Zelda Quartermain-\(marker)"
            let canary = "plaintext-canary-\(marker)"
            try await VaultFixture.with(backend) { fixture in
                // The canary is written in plaintext on purpose: if the search cannot find it, it proves nothing.
                try await Self.write(canary, to: fixture.database)
                let id = try await fixture.newSubject(email: email)
                try await fixture.vault.collect(
                    VaultFixture.plan(["user.name": name, "user.contact.email": email]), for: id, noticeVersion: nil,
                    actor: "key:test", at: VaultFixture.now)
                _ = try await fixture.vault.addInteraction(
                    to: id, kind: "note", content: "Spoke to \(name)", retention: nil, actor: "key:test", at: VaultFixture.now)
                _ = try await fixture.vault.erase(id, reason: "request", keeping: .nothing, actor: "key:dpo", at: VaultFixture.now)

                let files = try await Self.databaseFiles(fixture.database)
                #expect(!files.isEmpty)
                let found = { (needle: String) in files.filter { (try? Data(contentsOf: $0))?.range(of: Data(needle.utf8)) != nil } }
                #expect(!found(canary).isEmpty, "the search cannot see what the database wrote")
                #expect(found(email).isEmpty, "email found in \(found(email).map(\.path))")
                #expect(found(name).isEmpty, "name found in \(found(name).map(\.path))")
                #expect(found(email.uppercased()).isEmpty)
            }
        }

        @Test(
            "OEX-11 (C38; UK GDPR Art 32(1)(a)): bank details are sealed at rest: the account number is in no database file",
            arguments: StoreBackend.all)
        func bankDetailsSealed(_ backend: StoreBackend) async throws {
            let digits = (0..<14).map { _ in String(Int.random(in: 0...9)) }.joined()
            let iban = "GB82WEST\(digits)", canary = "bank-canary-\(UUID().uuidString)"
            try await VaultFixture.with(backend) { fixture in
                try await Self.write(canary, to: fixture.database)
                let id = try await fixture.newSubject(email: "payee@example.com")
                try await fixture.vault.collect(
                    VaultFixture.plan(["user.account.payment.financial_account_number": iban], purpose: "billing"), for: id, noticeVersion: nil,
                    actor: "key:test", at: VaultFixture.now)
                let opened = try await fixture.vault.openValues(of: id)
                #expect(opened.map(\.value) == [iban], "kept, and opened with the person's key")
                let files = try await Self.databaseFiles(fixture.database)
                let found = { (needle: String) in files.filter { (try? Data(contentsOf: $0))?.range(of: Data(needle.utf8)) != nil } }
                #expect(!found(canary).isEmpty, "the search cannot see what the database wrote")
                #expect(found(iban).isEmpty && found(digits).isEmpty, "the account number found in \(found(digits).map(\.path))")
            }
        }

        @Test(
            "CLQ-57 (C38; Art 32(1)): whatever a declaration says of its security (Classeq's 'best endeavour', no TLS, no firewall), the store keeps its baseline: its folder and files are this user's alone, and what it holds is sealed"
        )
        func baselineWhateverDeclared() async throws {
            let classeq = try #require(DeclarationLoader.load(yaml: try ExampleFiles.yaml("classeq")).declaration)
            #expect(classeq.security.tls == false && classeq.security.firewall == false)
            let sqlite = try #require(StoreBackend.all.first { $0.name == "SQLite" })
            let name = "Quentin Baseline-\(UUID().uuidString.prefix(8))"
            try await VaultFixture.with(sqlite) { fixture in
                let canary = "baseline-canary-\(UUID().uuidString)"
                try await Self.write(canary, to: fixture.database)
                let id = try await fixture.newSubject(email: "q@example.com")
                try await fixture.vault.collect(
                    VaultFixture.plan(["user.name": name]), for: id, noticeVersion: nil, actor: "key:test", at: VaultFixture.now)
                let files = try await Self.databaseFiles(fixture.database)
                #expect(files.count >= 2, "the database and its write-ahead log")
                for file in files {
                    let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
                    #expect(mode.map { $0 & 0o077 } == 0, "\(file.lastPathComponent) is \(String(mode ?? 0, radix: 8))")
                }
                let folder = try #require(files.first).deletingLastPathComponent()
                #expect((try FileManager.default.attributesOfItem(atPath: folder.path)[.posixPermissions] as? Int) == 0o700)
                let found = { (needle: String) in files.filter { (try? Data(contentsOf: $0))?.range(of: Data(needle.utf8)) != nil } }
                #expect(!found(canary).isEmpty, "the search cannot see what the database wrote")
                #expect(found(name).isEmpty, "the name is sealed")
            }
        }

        /// Writes `canary` in plaintext, on purpose: a search of the files that cannot find it proves nothing.
        static func write(_ canary: String, to database: PledgeDatabase) async throws {
            try await FluentNoticeRepository(database: database).insert(
                PublishedNotice(
                    version: canary, publishedAt: VaultFixture.now, effective: CalendarDate(utc: VaultFixture.now), recordedAt: VaultFixture.now,
                    summary: canary, declarationSHA256: "", declarationYAML: canary, markdown: canary, html: canary))
        }

        /// Every file of the store, after flushing what the database holds in memory to them.
        static func databaseFiles(_ database: PledgeDatabase) async throws -> [URL] {
            let directory: URL
            switch database.configuration {
            case .sqlite(let path):
                directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            case .postgres:
                try await database.sql.raw("CHECKPOINT").run()
                let row = try await database.sql.raw("SHOW data_directory").first()
                directory = URL(fileURLWithPath: try row!.decode(column: "data_directory", as: String.self))
            case .sqliteInMemory:
                return []
            }
            let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
            return (enumerator?.allObjects as? [URL] ?? []).filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
        }
    }
}
