import Foundation

/// The kinds of identifier a subject can be found by.
public enum IdentifierKind: String, Sendable, Hashable, Codable, CaseIterable {
    case email
    case phone
    case account
}

/// A normalised identifier: the same person typed two ways gives the same value.
public struct SubjectIdentifier: Sendable, Hashable {
    public let kind: IdentifierKind
    public let value: String

    /// Normalises `raw`, or throws `IdentifierError` naming what is wrong.
    ///
    /// - email: trimmed and lower-cased (mailbox case is treated as insignificant, as every major
    ///   provider does), one `@` with text on both sides.
    /// - phone: spaces, dots, dashes and brackets dropped; `00` becomes `+`; a leading `0` is a UK
    ///   number (`+44`); the result must be E.164 (`+` and 8 to 15 digits).
    /// - account: an external account id, trimmed, kept case-sensitive.
    public init(kind: IdentifierKind, raw: String) throws(IdentifierError) {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw IdentifierError(kind: kind, reason: "is empty") }
        guard trimmed.count <= 320 else { throw IdentifierError(kind: kind, reason: "is longer than 320 characters") }
        switch kind {
        case .email:
            let lowered = trimmed.lowercased()
            guard EmailAddress.isValid(lowered) else { throw IdentifierError(kind: kind, reason: "is not an email address") }
            value = lowered
        case .phone:
            var digits = trimmed.filter { !" .-()\u{a0}".contains($0) }
            if digits.hasPrefix("00") { digits = "+" + digits.dropFirst(2) } else if digits.hasPrefix("0") { digits = "+44" + digits.dropFirst() }
            let body = digits.dropFirst()
            guard digits.hasPrefix("+"), (8...15).contains(body.count), body.allSatisfy(\.isASCIIDigit)
            else { throw IdentifierError(kind: kind, reason: "is not a phone number (E.164, or a UK number starting 0)") }
            value = digits
        case .account:
            value = trimmed
        }
        self.kind = kind
    }
}

/// An identifier that cannot be normalised.
public struct IdentifierError: Error, Sendable, Equatable, CustomStringConvertible {
    public let kind: IdentifierKind
    public let reason: String

    public var description: String { "The \(kind.rawValue) identifier \(reason)." }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
