import Crypto
import Foundation
import Testing

@testable import PledgeCore

/// The audit hash chain (C14), keyed (issue 24 finding 7).
@Suite("Audit chain")
struct AuditChainTests {
    static let key = AuditChainKey(SymmetricKey(data: [UInt8](repeating: 7, count: 32)))

    func chain(_ count: Int) -> [AuditEntry] {
        var entries: [AuditEntry] = []
        var previous = AuditChain.genesis
        for index in 0..<count {
            let record = AuditRecord(
                actor: "key:support", action: "data.read", object: "subject:\(index)", purpose: "service",
                at: Date(timeIntervalSince1970: 1_790_000_000 + Double(index)))
            let entry = AuditChain.append(record, sequence: Int64(index + 1), previousHash: previous, key: Self.key)
            entries.append(entry)
            previous = entry.hash
        }
        return entries
    }

    @Test("C14: an entry's hash is pinned to its documented encoding, so trails already written still verify after any change to the code")
    func knownAnswer() {
        // Worked out apart from this code (Python's hmac): each text length-prefixed as a big-endian
        // UInt32 (nil as four 0xFF bytes), the sequence and the time as big-endian Int64s.
        let record = AuditRecord(
            actor: "key:support", action: "data.read", object: "subject:é", purpose: "service", field: nil, before: nil, after: "after",
            atMicros: 1_790_000_000_000_123)
        #expect(
            AuditChain.hash(record, sequence: 1, previousHash: AuditChain.genesis, key: Self.key)
                == "caa0f8ca709f14700556b794b1311153a35c64463076be0f5c5f90c33bf80a8e")
        #expect(
            AuditChain.legacyHash(record, sequence: 1, previousHash: AuditChain.genesis)
                == "7f2477fbd2c11e10926568b7d0deabbbc31cffc61d8bbae43b02a15e26ebf29f")
    }

    func firstBreak(_ entries: [AuditEntry], key: AuditChainKey? = AuditChainTests.key) -> AuditBreak? {
        var verifier = AuditChainVerifier(key: key)
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
        entries[4].hash = AuditChain.hash(entries[4].record, sequence: 5, previousHash: entries[4].previousHash, key: Self.key)
        #expect(firstBreak(entries) == AuditBreak(sequence: 6, kind: .brokenLink))
    }

    @Test("a missing field and an empty field hash differently")
    func optionalFields() {
        let at = Date(timeIntervalSince1970: 0)
        let empty = AuditRecord(actor: "a", action: "b", object: "c", field: "", at: at)
        let missing = AuditRecord(actor: "a", action: "b", object: "c", at: at)
        #expect(
            AuditChain.hash(empty, sequence: 1, previousHash: AuditChain.genesis, key: Self.key)
                != AuditChain.hash(missing, sequence: 1, previousHash: AuditChain.genesis, key: Self.key))
    }

    @Test("C14 (finding 7): a chain rewritten from any point without the key does not verify: not unkeyed, not under another key")
    func rewrittenWithoutKey() {
        var entries = chain(10)
        // The forger rewrites entry 5 on and relinks everything after it, as the unkeyed chain allowed.
        entries[4].record.actor = "forger"
        for index in 4..<entries.count {
            entries[index].previousHash = entries[index - 1].hash
            entries[index].hash = AuditChain.legacyHash(
                entries[index].record, sequence: entries[index].sequence, previousHash: entries[index].previousHash)
        }
        #expect(firstBreak(entries) == AuditBreak(sequence: 5, kind: .alteredEntry))
        // A chain made by the unkeyed rule verifies by that rule, and by no key.
        var legacy: [AuditEntry] = []
        for entry in chain(3) {
            let previous = legacy.last?.hash ?? AuditChain.genesis
            legacy.append(
                AuditEntry(
                    sequence: entry.sequence, record: entry.record, previousHash: previous,
                    hash: AuditChain.legacyHash(entry.record, sequence: entry.sequence, previousHash: previous)))
        }
        #expect(firstBreak(legacy, key: nil) == nil)
        #expect(firstBreak(legacy) == AuditBreak(sequence: 1, kind: .alteredEntry))
        let other = AuditChainKey.generate()
        #expect(firstBreak(chain(3), key: other) == AuditBreak(sequence: 1, kind: .alteredEntry))
    }

    @Test("C14 (finding 7): an anchor is signed under the chain key; it finds a trail whose newest entries were deleted or replaced")
    func anchor() throws {
        let entries = chain(10)
        let anchor = AuditAnchor(sequence: 10, hash: entries[9].hash, at: Date(timeIntervalSince1970: 1_790_000_100), key: Self.key)
        #expect(anchor.isSigned(by: Self.key) && !anchor.isSigned(by: .generate()))
        #expect(anchor.problem(anchoredEntryHash: entries[9].hash) == nil)
        #expect(anchor.problem(anchoredEntryHash: nil) == .truncated(sequence: 10))
        #expect(anchor.problem(anchoredEntryHash: entries[8].hash) == .replaced(sequence: 10))
        var moved = anchor
        moved.sequence = 5
        #expect(!moved.isSigned(by: Self.key))
        let decoded = try JSONDecoder().decode(AuditAnchor.self, from: try JSONEncoder().encode(anchor))
        #expect(decoded == anchor && decoded.isSigned(by: Self.key))
    }

    @Test("finding 8: secrets compare equal only when every byte is")
    func constantTime() {
        #expect(ConstantTime.equal("abc", "abc"))
        #expect(!ConstantTime.equal("abc", "abd") && !ConstantTime.equal("abc", "ab") && !ConstantTime.equal("", "a"))
    }
}
