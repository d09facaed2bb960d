import Crypto
import Foundation

/// The key of the audit chain: entries are linked by HMAC-SHA-256 under it, so someone who can
/// write to the database but does not hold the master key (which wraps this key) cannot rewrite the
/// chain from any point and make it verify again (issue 24 finding 7; C14; UK GDPR Art 5(2), 32).
public struct AuditChainKey: Sendable {
    let key: SymmetricKey
    /// An HMAC with the key already set up, copied for each entry (it is a value).
    let initial: HMAC<SHA256>

    public init(_ key: SymmetricKey) {
        self.key = key
        initial = HMAC<SHA256>(key: key)
    }

    /// A new random key.
    public static func generate() -> AuditChainKey { AuditChainKey(SymmetricKey(size: .bits256)) }

    /// The key's bytes, to be wrapped by the master key for storage.
    public var symmetricKey: SymmetricKey { key }
}

/// The hash chain over the audit trail: each entry commits to the one before, so altering,
/// removing or reordering any entry breaks every later link (C14; UK GDPR Art 5(2) accountability).
/// Entries are linked under an `AuditChainKey`; `legacyHash` is the unkeyed SHA-256 of trails
/// written before the chain was keyed, read once to key them (`AuditChainRekey`).
public enum AuditChain {
    /// The "previous hash" of the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// Places `record` after an entry with `previousHash` at `sequence`.
    public static func append(_ record: AuditRecord, sequence: Int64, previousHash: String, key: AuditChainKey) -> AuditEntry {
        AuditEntry(
            sequence: sequence, record: record, previousHash: previousHash,
            hash: hash(record, sequence: sequence, previousHash: previousHash, key: key))
    }

    /// The entry hash: HMAC-SHA-256 under `key` of the entry's fields, each length-prefixed, so no
    /// two different entries encode alike.
    public static func hash(_ record: AuditRecord, sequence: Int64, previousHash: String, key: AuditChainKey) -> String {
        var mac = key.initial
        mac.update(data: encoded(record, sequence: sequence, previousHash: previousHash))
        return Data(mac.finalize()).hexString
    }

    /// The unkeyed SHA-256 of trails written before the chain was keyed.
    public static func legacyHash(_ record: AuditRecord, sequence: Int64, previousHash: String) -> String {
        SHA256.hash(data: encoded(record, sequence: sequence, previousHash: previousHash)).hexString
    }

    /// The entry's fields, length-prefixed (nil as four 0xFF bytes), in one buffer: fed to the MAC a
    /// field at a time through `DataProtocol` they were most of the hash's cost, and the hash a
    /// twelfth of the journal writer's work in a retention sweep (perf, pledge-bench).
    static func encoded(_ record: AuditRecord, sequence: Int64, previousHash: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128 + previousHash.utf8.count + record.actor.utf8.count + record.object.utf8.count)
        func integer<Value: FixedWidthInteger>(_ value: Value) {
            withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
        }
        func text(_ value: String?) {
            guard let value else { return bytes.append(contentsOf: [0xFF, 0xFF, 0xFF, 0xFF]) }
            integer(UInt32(value.utf8.count))
            bytes.append(contentsOf: value.utf8)
        }
        text(previousHash)
        integer(sequence)
        integer(record.atMicros)
        for field in [record.actor, record.action, record.object, record.purpose, record.field, record.before, record.after] {
            text(field)
        }
        return bytes
    }
}

/// Where a chain check found the trail altered.
public struct AuditBreak: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The entry's content no longer matches its hash.
        case alteredEntry = "altered"
        /// The entry does not point at the hash of the one before (removed, inserted or reordered).
        case brokenLink = "broken-link"
        /// A sequence number is missing.
        case gap
    }

    public let sequence: Int64
    public let kind: Kind

    public var description: String {
        switch kind {
        case .alteredEntry: "entry \(sequence) was altered: its content does not match its hash"
        case .brokenLink: "entry \(sequence) does not follow the entry before it: an entry was removed, inserted or reordered"
        case .gap: "entry \(sequence) follows a gap in the sequence: entries were deleted"
        }
    }
}

/// Checks a trail entry by entry, in sequence order, holding only the last hash.
public struct AuditChainVerifier: Sendable {
    /// The hash of the last entry checked (`AuditChain.genesis` before any).
    public private(set) var lastHash = AuditChain.genesis
    private var lastSequence: Int64?
    public private(set) var checked = 0
    /// The key entries are checked under; nil checks a legacy, unkeyed trail.
    private let key: AuditChainKey?

    /// A verifier of a chain keyed with `key`, or of a legacy unkeyed one when nil.
    public init(key: AuditChainKey?) {
        self.key = key
    }

    /// Checks the next entry; returns the first break found, if this entry is one.
    public mutating func check(_ entry: AuditEntry) -> AuditBreak? {
        defer {
            lastHash = entry.hash
            lastSequence = entry.sequence
            checked += 1
        }
        let expected =
            key.map { AuditChain.hash(entry.record, sequence: entry.sequence, previousHash: entry.previousHash, key: $0) }
            ?? AuditChain.legacyHash(entry.record, sequence: entry.sequence, previousHash: entry.previousHash)
        if expected != entry.hash {
            return AuditBreak(sequence: entry.sequence, kind: .alteredEntry)
        }
        if let lastSequence, entry.sequence != lastSequence + 1 {
            return AuditBreak(sequence: entry.sequence, kind: .gap)
        }
        if entry.previousHash != lastHash {
            return AuditBreak(sequence: entry.sequence, kind: .brokenLink)
        }
        return nil
    }
}
