import Crypto
import Foundation

/// The key that wraps every subject's data key. It is given to the process by a file or the
/// environment and never stored beside the data, so a copy of the database alone reads nothing.
public struct MasterKey: Sendable {
    /// A short, non-secret name for the key (derived from it), stored with each wrapped key so
    /// rotation knows which rows still need re-wrapping.
    public let id: String
    let key: SymmetricKey

    public init(_ key: SymmetricKey) {
        self.key = key
        let fingerprint = key.withUnsafeBytes { SHA256.hash(data: Data("pledge-master-key-id".utf8) + Data($0)) }
        id = Data(fingerprint.prefix(6)).hexString
    }

    /// Reads a key written as base64 or hex (32 bytes), as in a key file or `PLEDGE_MASTER_KEY`.
    public init(text: String) throws(VaultError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let bytes = Data(base64Encoded: trimmed), bytes.count == 32 {
            self.init(SymmetricKey(data: bytes))
        } else if trimmed.count == 64, let bytes = Data(hex: trimmed) {
            self.init(SymmetricKey(data: bytes))
        } else {
            throw .invalidMasterKey("A master key is 32 random bytes written as base64 (44 characters) or hex (64 characters).")
        }
    }

    /// A new random key.
    public static func generate() -> MasterKey { MasterKey(SymmetricKey(size: .bits256)) }

    /// A key for one `purpose`, derived from this one (HKDF-SHA256), so the master key itself keys nothing but wrapping.
    public func derivedKey(purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: key, info: Data(purpose.utf8), outputByteCount: 32)
    }

    /// The key as base64, for writing a new key file.
    public var base64: String { key.withUnsafeBytes { Data($0).base64EncodedString() } }

    /// Wraps a data key (AES-256-GCM); `context` (the owner's id) is bound in as authenticated data,
    /// so a wrapped key moved to another row does not open.
    public func wrap(_ dataKey: SymmetricKey, context: String) throws(VaultError) -> Data {
        do {
            let raw = dataKey.withUnsafeBytes { Data($0) }
            return try AES.GCM.seal(raw, using: key, authenticating: Data(context.utf8)).combined!
        } catch {
            throw .cryptoFailure("wrap: \(error)")
        }
    }

    /// Unwraps a data key wrapped by `wrap(_:context:)`.
    public func unwrap(_ wrapped: Data, context: String) throws(VaultError) -> SymmetricKey {
        do {
            let box = try AES.GCM.SealedBox(combined: wrapped)
            return SymmetricKey(data: try AES.GCM.open(box, using: key, authenticating: Data(context.utf8)))
        } catch {
            throw .keyDoesNotOpen(context)
        }
    }
}

/// Errors of the vault's cryptography.
public enum VaultError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidMasterKey(String)
    case keyDoesNotOpen(String)
    case cryptoFailure(String)
    case keyShredded

    public var description: String {
        switch self {
        case .invalidMasterKey(let text): text
        case .keyDoesNotOpen(let context):
            "The master key does not open the data key of \(context): wrong master key, or the row was moved or altered."
        case .cryptoFailure(let text): "Cryptography failed (\(text))."
        case .keyShredded: "The subject's data key was destroyed on erasure; the value can no longer be read."
        }
    }
}
