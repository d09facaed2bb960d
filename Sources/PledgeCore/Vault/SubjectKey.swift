import Crypto
import Foundation

/// One subject's data key: every personal value of theirs is sealed with it (AES-256-GCM).
/// Destroying it on erasure makes every copy of their values, backups included, unreadable
/// (crypto-shredding; UK GDPR Art 17, Art 32(1)(a)).
public struct SubjectKey: Sendable {
    let key: SymmetricKey

    public init(_ key: SymmetricKey) {
        self.key = key
    }

    public static func generate() -> SubjectKey { SubjectKey(SymmetricKey(size: .bits256)) }

    public var symmetricKey: SymmetricKey { key }

    /// Seals `plaintext`; `context` (for example `subject/field`) is authenticated, so a value
    /// copied into another field or subject fails to open.
    public func seal(_ plaintext: String, context: String) throws(VaultError) -> Data {
        try seal(bytes: Data(plaintext.utf8), context: context)
    }

    /// Opens a value sealed by `seal(_:context:)`.
    public func open(_ sealed: Data, context: String) throws(VaultError) -> String {
        String(decoding: try open(bytes: sealed, context: context), as: UTF8.self)
    }

    /// Seals binary contents (an export's ZIP) the same way.
    public func seal(bytes: Data, context: String) throws(VaultError) -> Data {
        do {
            return try AES.GCM.seal(bytes, using: key, authenticating: Data(context.utf8)).combined!
        } catch {
            throw .cryptoFailure("seal: \(error)")
        }
    }

    public func open(bytes sealed: Data, context: String) throws(VaultError) -> Data {
        do {
            return try AES.GCM.open(try AES.GCM.SealedBox(combined: sealed), using: key, authenticating: Data(context.utf8))
        } catch {
            throw .keyDoesNotOpen(context)
        }
    }

    /// A keyed digest of a value for the audit trail's before/after columns. Keyed by the subject's
    /// own key so that, once the key is shredded, the digest cannot be matched to a guessed value.
    public func digest(_ value: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: key).hexString
    }
}
