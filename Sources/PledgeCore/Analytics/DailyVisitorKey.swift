import Crypto
import Foundation

/// The daily unique-visitor key (C12): HMAC-SHA256 under a random salt that exists only in memory
/// and is replaced at each UTC midnight, of (site, IP address, user agent). Yesterday's keys cannot
/// be recomputed once the salt is gone, so nothing links a visitor across days, and the IP address
/// is never stored (PECR reg 6 and UK GDPR Recital 26: the key is not kept beyond the day).
public struct DailyVisitorKey: Sendable {
    private var salt: SymmetricKey
    public private(set) var day: Int

    public init(at instant: Date) {
        salt = SymmetricKey(size: .bits256)
        day = Self.day(of: instant)
    }

    /// Days since 1970 in UTC.
    public static func day(of instant: Date) -> Int { Int((instant.timeIntervalSince1970 / 86_400).rounded(.down)) }

    /// The key of one visitor today; the salt is replaced first if the day has changed.
    public mutating func key(site: String, address: String, userAgent: String, at instant: Date) -> UInt64 {
        let today = Self.day(of: instant)
        if today != day {
            salt = SymmetricKey(size: .bits256)
            day = today
        }
        var hmac = HMAC<SHA256>(key: salt)
        hmac.update(data: Data(site.utf8))
        hmac.update(data: [0])
        hmac.update(data: Data(address.utf8))
        hmac.update(data: [0])
        hmac.update(data: Data(userAgent.utf8))
        return hmac.finalize().withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
    }
}
