import Foundation
import Testing
@testable import PledgeCore

/// The audit hash chain (C14).
@Suite("Audit chain")
struct AuditChainTests {
    func chain(_ count: Int) -> [AuditEntry] {
        var entries: [AuditEntry] = []
        var previous = AuditChain.genesis
        for index in 0..<count {
            let record = AuditRecord(actor: "key:support", action: "data.read", object: "subject:\(index)", purpose: "service",
                                     at: Date(timeIntervalSince1970: 1_790_000_000 + Double(index)))
            let entry = AuditChain.append(record, sequence: Int64(index + 1), previousHash: previous)
            entries.append(entry)
            previous = entry.hash
        }
        return entries
    }

    func firstBreak(_ entries: [AuditEntry]) -> AuditBreak? {
        var verifier = AuditChainVerifier()
        for entry in entries { if let found = verifier.check(entry) { return found } }
        return nil
    }

    @Test("an intact chain verifies")
    func intact() {
        #expect(firstBreak(chain(50)) == nil)
    }

    @Test("altering any field of one entry names that entry")
    func altered() {
        var entries = chain(10)
        entries[6].record.actor = "key:admin"
        #expect(firstBreak(entries) == AuditBreak(sequence: 7, kind: .alteredEntry))
        entries = chain(10)
        entries[3].record.atMicros += 1
        #expect(firstBreak(entries) == AuditBreak(sequence: 4, kind: .alteredEntry))
    }

    @Test("removing or re-hashing an entry breaks the link after it")
    func removedOrRehashed() {
        var entries = chain(10)
        entries.remove(at: 4)
        #expect(firstBreak(entries) == AuditBreak(sequence: 6, kind: .gap))
        entries = chain(10)
        entries[4].record.actor = "forger"
        entries[4].hash = AuditChain.hash(entries[4].record, sequence: 5, previousHash: entries[4].previousHash)
        #expect(firstBreak(entries) == AuditBreak(sequence: 6, kind: .brokenLink))
    }

    @Test("a missing field and an empty field hash differently")
    func optionalFields() {
        let at = Date(timeIntervalSince1970: 0)
        let empty = AuditRecord(actor: "a", action: "b", object: "c", field: "", at: at)
        let missing = AuditRecord(actor: "a", action: "b", object: "c", at: at)
        #expect(AuditChain.hash(empty, sequence: 1, previousHash: AuditChain.genesis) != AuditChain.hash(missing, sequence: 1, previousHash: AuditChain.genesis))
    }
}
