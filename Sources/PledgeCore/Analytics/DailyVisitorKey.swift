import Crypto
import Foundation

/// The daily unique-visitor key (C12): HMAC-SHA256 under a random salt that exists only in memory
/// and is replaced at each UTC midnight, of (site, IP address, user agent). Yesterday's keys cannot
/// be recomputed once the salt is gone, so nothing links a visitor across days, and the IP address
/// is never stored (PECR reg 6 and UK GDPR Recital 26: the key is not kept beyond the day).
public struct DailyVisitorKey: Sendable {
    private var salted: Salted
    public private(set) var day: Int

    public init(at instant: Date) {
        salted = Salted()
        day = Self.day(of: instant)
    }

    /// Days since 1970 in UTC.
    public static func day(of instant: Date) -> Int { Int((instant.timeIntervalSince1970 / 86_400).rounded(.down)) }

    /// Today's salt, replaced first if the day has changed. Keys can then be worked out without
    /// holding whatever guards this value.
    public mutating func salt(at instant: Date) -> Salted {
        let today = Self.day(of: instant)
        if today != day {
            salted = Salted()
            day = today
        }
        return salted
    }

    /// The key of one visitor today.
    public mutating func key(site: String, address: String, userAgent: String, at instant: Date) -> UInt64 {
        salt(at: instant).key(site: site, address: address, userAgent: userAgent)
    }

    /// One day's salt, as an HMAC already keyed with it (keying is a third of the cost of a key).
    public struct Salted: Sendable {
        private let keyed: HMAC<SHA256>

        init() { keyed = HMAC<SHA256>(key: SymmetricKey(size: .bits256)) }

        /// A salt shared by several nodes through the database (issue 27 §4).
        public init(key: SymmetricKey) { keyed = HMAC<SHA256>(key: key) }

        /// The key of one visitor: the first 8 bytes of HMAC(salt, site 0 address 0 userAgent).
        public func key(site: String, address: String, userAgent: String) -> UInt64 {
            var hmac = keyed
            Self.absorb(site, into: &hmac)
            hmac.update(data: Self.separator)
            Self.absorb(address, into: &hmac)
            hmac.update(data: Self.separator)
            Self.absorb(userAgent, into: &hmac)
            return hmac.finalize().withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        }

        private static let separator: [UInt8] = [0]

        private static func absorb(_ text: String, into hmac: inout HMAC<SHA256>) {
            var text = text
            text.withUTF8 { hmac.update(data: UnsafeRawBufferPointer($0)) }
        }
    }
}
