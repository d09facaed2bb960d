import Crypto
import Foundation

/// A keyed blind index: identifiers are looked up by HMAC-SHA256 under a secret key, so the
/// database holds no email address or phone number in plaintext, and the digests cannot be
/// reversed by hashing a list of guesses without the key (UK GDPR Art 32(1)(a): pseudonymisation).
public struct BlindIndex: Sendable {
    private let key: SymmetricKey

    public init(key: SymmetricKey) {
        self.key = key
    }

    /// The 32-byte digest of a normalised identifier; the kind is part of the input, so an account
    /// id that happens to look like an email address does not collide with it.
    public func digest(_ identifier: SubjectIdentifier) -> Data {
        var input = Data(identifier.kind.rawValue.utf8)
        input.append(0)
        input.append(contentsOf: identifier.value.utf8)
        return Data(HMAC<SHA256>.authenticationCode(for: input, using: key))
    }
}
