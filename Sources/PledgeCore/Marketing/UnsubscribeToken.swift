import Crypto
import Foundation

/// The token in a message's unsubscribe link (issue 28 §3; PECR reg 23, RFC 8058): the recipient
/// and the campaign, the day it was issued, and an HMAC-SHA256 over them under a key derived from the
/// master key. Nothing in it can be guessed or changed: a forged or altered token fails the MAC, checked
/// in constant time. It lasts `lifetime`, long past any reasonable wait before unsubscribing.
public struct UnsubscribeToken: Sendable, Equatable {
    public var subject: UUID
    public var campaign: UUID
    public var issued: CalendarDate

    /// How long a link works: two years.
    public static let lifetime = 730

    public init(subject: UUID, campaign: UUID, issued: CalendarDate) {
        self.subject = subject
        self.campaign = campaign
        self.issued = issued
    }

    /// Why a token is refused.
    public enum Refusal: Error, Sendable, Equatable {
        /// Not a token, or one whose MAC does not match.
        case invalid
        /// Older than `lifetime`.
        case expired

        public var code: String {
            switch self {
            case .invalid: "unsubscribe.token-invalid"
            case .expired: "unsubscribe.token-expired"
            }
        }
    }

    /// The token as it goes in a URL: base64url, no padding.
    public func text(key: SymmetricKey) -> String {
        let payload = Self.payload(subject: subject, campaign: campaign, day: issued.daysSinceEpoch)
        return (payload + Data(HMAC<SHA256>.authenticationCode(for: payload, using: key))).base64URL
    }

    /// The token `text` names, when its MAC matches under `key` and it is not older than `lifetime` on `today`.
    public init(text: String, key: SymmetricKey, today: CalendarDate) throws(Refusal) {
        guard text.utf8.count == 91, let bytes = Data(base64URL: text), bytes.count == 36 + 32 else { throw .invalid }
        let payload = bytes.prefix(36), mac = bytes.suffix(32)
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: payload, using: key) else { throw .invalid }
        let day = payload.suffix(4).reduce(Int32(0)) { $0 << 8 | Int32($1) }
        let issued = CalendarDate.fromDaysSinceEpoch(Int(day))
        guard today.daysSinceEpoch - issued.daysSinceEpoch <= Self.lifetime else { throw .expired }
        self.init(subject: UUID(bytes: payload.prefix(16)), campaign: UUID(bytes: payload.dropFirst(16).prefix(16)), issued: issued)
    }

    private static func payload(subject: UUID, campaign: UUID, day: Int) -> Data {
        var data = Data(subject.bytes) + Data(campaign.bytes)
        for shift in stride(from: 24, through: 0, by: -8) { data.append(UInt8(truncatingIfNeeded: Int32(day) >> Int32(shift))) }
        return data
    }
}

extension UUID {
    /// The 16 bytes.
    public var bytes: [UInt8] { withUnsafeBytes(of: uuid) { Array($0) } }

    /// The UUID of the first 16 bytes of `bytes`.
    public init(bytes: Data) {
        var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &value) { $0.copyBytes(from: bytes.prefix(16)) }
        self.init(uuid: value)
    }
}
