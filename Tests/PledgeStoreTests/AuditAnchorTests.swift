import Foundation
import Logging
import PledgeTestSupport
import SQLKit
import Testing

@testable import PledgeCore
@testable import PledgeStore

/// The keyed audit chain and its anchor outside the database (issue 24 finding 7; C14, APX-48).
@Suite("Audit anchor")
struct AuditAnchorTests {
    @Test("C14 (finding 7): deleting the newest entries verifies by the chain alone, but not against the anchor", arguments: StoreBackend.all)
    func truncation(_ backend: StoreBackend) async throws {
        try await VaultFixture.with(backend) { fixture in
            for _ in 0..<8 { _ = try await fixture.newSubject() }
            let trail = AuditTrail(database: fixture.database)
            let key = fixture.keys.auditChain
            let head = try #require(try await trail.head())
            let file = AuditAnchorFile(
                path: FileManager.default.temporaryDirectory.appendingPathComponent("anchor-\(UUID().uuidString)/trail.audit-anchor").path)
            try file.write(AuditAnchor(sequence: head.sequence, hash: head.hash, at: VaultFixture.now, key: key))
            let anchor = try #require(try file.read())
            #expect(try await trail.verify(key: key, anchor: anchor).isIntact)
            // The file and its folder are the user's alone.
            #expect(!PrivateFiles.isReadableByOthers(file.path))

            try await fixture.database.sql.raw("DELETE FROM audit_entries WHERE seq > \(bind: head.sequence - 5)").run()
            let alone = try await trail.verify(key: key)
            #expect(alone.isIntact)  // what `pledge audit verify` said before the fix
            let anchored = try await trail.verify(key: key, anchor: anchor)
            #expect(anchored.anchorProblem == .truncated(sequence: head.sequence) && !anchored.isIntact)

            // Appending again after the cut fills the number with another entry: replaced, not intact.
            _ = try await fixture.newSubject()
            for _ in 0..<5 { _ = try await fixture.newSubject() }
            #expect(try await trail.verify(key: key, anchor: anchor).anchorProblem == .replaced(sequence: head.sequence))
            // A forged anchor is named as such.
            var forged = anchor
            forged.sequence = 1
            #expect(try await trail.verify(key: key, anchor: forged).anchorProblem == .forged)
        }
    }

    @Test(
        "C14 (finding 7): a trail written before the chain was keyed is keyed once at start, with the old head and its break recorded",
        arguments: StoreBackend.all)
    func legacyTrailIsKeyed(_ backend: StoreBackend) async throws {
        try await backend.withDatabase { database in
            try await database.migrate()
            // Three entries linked the old, unkeyed way; the second altered afterwards.
            var previous = AuditChain.genesis
            for sequence in Int64(1)...3 {
                let record = AuditRecord(actor: "key:old", action: "subject.create", object: "subject:\(sequence)", at: VaultFixture.now)
                let hash = AuditChain.legacyHash(record, sequence: sequence, previousHash: previous)
                try await database.sql.insert(into: "audit_entries").columns(JournalAppend.auditColumns.map(\.name))
                    .values(
                        [
                            sequence, record.atMicros, record.actor, record.action, record.object, record.purpose, record.field,
                            record.before, record.after, previous, hash,
                        ] as [any Encodable & Sendable]
                    ).run()
                previous = hash
            }
            try await database.sql.raw("UPDATE audit_entries SET actor = 'key:forger' WHERE seq = 2").run()

            let master = MasterKey.generate()
            let keys = try await VaultKeys.load(database, master: master, at: VaultFixture.now)
            let result = try await AuditTrail(database: database).verify(key: keys.auditChain)
            #expect(result.isIntact && result.checked == 4)
            let entries = try await AuditTrail(database: database).entries(about: "audit")
            #expect(entries.count == 1 && entries.first?.record.action == "audit.key-chain")
            #expect(entries.first?.record.after?.contains("entry 2 was altered") == true)
            // Loaded again, the same key comes back and nothing is keyed twice.
            let again = try await VaultKeys.load(database, master: master)
            #expect(try await AuditTrail(database: database).verify(key: again.auditChain).checked == 4)
        }
    }
}
