import Crypto
import Foundation

/// The head of the audit trail as last seen, kept outside the database and signed under the audit
/// chain's key (issue 24 finding 7). A chain checks only itself: deleting its newest entries
/// leaves a shorter chain that still verifies. Against an anchor, the trail must still hold the
/// anchored entry, with the anchored hash; one that does not has lost or changed entries.
public struct AuditAnchor: Sendable, Equatable, Codable {
    /// The sequence number of the newest entry seen.
    public var sequence: Int64
    /// Its hash.
    public var hash: String
    /// When it was seen, microseconds since 1970.
    public var atMicros: Int64
    /// HMAC-SHA-256 under the chain's key of the three fields above.
    public var signature: String

    /// An anchor at the entry `sequence` with `hash`, signed.
    public init(sequence: Int64, hash: String, at instant: Date, key: AuditChainKey) {
        self.sequence = sequence
        self.hash = hash
        atMicros = instant.microseconds
        signature = ""
        signature = Self.signature(sequence: sequence, hash: hash, atMicros: atMicros, key: key)
    }

    /// Whether the signature is the chain key's: nobody without the master key made or changed it.
    public func isSigned(by key: AuditChainKey) -> Bool {
        let expected = Self.signature(sequence: sequence, hash: hash, atMicros: atMicros, key: key)
        return ConstantTime.equal(expected, signature)
    }

    private static func signature(sequence: Int64, hash: String, atMicros: Int64, key: AuditChainKey) -> String {
        var mac = key.initial
        mac.update(data: Array("pledge-audit-anchor\u{0}\(sequence)\u{0}\(hash)\u{0}\(atMicros)".utf8))
        return Data(mac.finalize()).hexString
    }

    /// What checking a trail against this anchor found, given the trail's entry at `sequence`
    /// (nil when there is none): nil when the trail holds the anchored entry unchanged.
    public func problem(anchoredEntryHash: String?) -> AuditAnchorProblem? {
        guard let found = anchoredEntryHash else { return .truncated(sequence: sequence) }
        return found == hash ? nil : .replaced(sequence: sequence)
    }
}

/// Why a trail does not match its anchor.
public enum AuditAnchorProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// The anchored entry is gone: the newest entries were deleted.
    case truncated(sequence: Int64)
    /// The anchored entry has another hash: entries were replaced.
    case replaced(sequence: Int64)
    /// The anchor's signature is not the chain key's.
    case forged

    public var description: String {
        switch self {
        case .truncated(let sequence): "entry \(sequence), the newest the anchor saw, is missing: entries were deleted from the end"
        case .replaced(let sequence): "entry \(sequence) is not the one the anchor saw: entries were replaced"
        case .forged: "the anchor's signature is not this trail's key: the anchor file was altered or belongs to another database"
        }
    }
}
