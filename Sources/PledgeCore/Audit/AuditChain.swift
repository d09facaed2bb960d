import Crypto
import Foundation

/// The hash chain over the audit trail: each entry commits to the one before, so altering,
/// removing or reordering any entry breaks every later link (C14; UK GDPR Art 5(2) accountability).
public enum AuditChain {
    /// The "previous hash" of the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// Places `record` after an entry with `previousHash` at `sequence`.
    public static func append(_ record: AuditRecord, sequence: Int64, previousHash: String) -> AuditEntry {
        AuditEntry(sequence: sequence, record: record, previousHash: previousHash,
                   hash: hash(record, sequence: sequence, previousHash: previousHash))
    }

    /// The entry hash. Every field is length-prefixed, so no two different entries encode alike.
    public static func hash(_ record: AuditRecord, sequence: Int64, previousHash: String) -> String {
        var hasher = SHA256()
        func put(_ text: String?) {
            guard let text else {
                hasher.update(data: [0xFF, 0xFF, 0xFF, 0xFF])
                return
            }
            let bytes = Array(text.utf8)
            withUnsafeBytes(of: UInt32(bytes.count).bigEndian) { hasher.update(bufferPointer: $0) }
            hasher.update(data: bytes)
        }
        put(previousHash)
        withUnsafeBytes(of: sequence.bigEndian) { hasher.update(bufferPointer: $0) }
        withUnsafeBytes(of: record.atMicros.bigEndian) { hasher.update(bufferPointer: $0) }
        for field in [record.actor, record.action, record.object, record.purpose, record.field, record.before, record.after] {
            put(field)
        }
        return hasher.finalize().hexString
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
    private var lastHash = AuditChain.genesis
    private var lastSequence: Int64?
    public private(set) var checked = 0

    public init() {}

    /// Checks the next entry; returns the first break found, if this entry is one.
    public mutating func check(_ entry: AuditEntry) -> AuditBreak? {
        defer {
            lastHash = entry.hash
            lastSequence = entry.sequence
            checked += 1
        }
        if AuditChain.hash(entry.record, sequence: entry.sequence, previousHash: entry.previousHash) != entry.hash {
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
