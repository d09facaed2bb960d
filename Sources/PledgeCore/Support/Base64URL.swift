import Foundation

/// RFC 4648 §5 base64url without padding, written and read byte by byte. Every unsubscribe and
/// preference link carries a token in it, so each send writes one and each unsubscribe reads one:
/// through Foundation's base64 and three `replacingOccurrences` (NSString) a read was a fifteenth
/// of a one-click unsubscribe's work on the request threads (perf, bench/http.sh).
extension Data {
    /// RFC 4648 §5 base64url without padding.
    public var base64URL: String {
        let alphabet = Base64URL.alphabet
        var out: [UInt8] = []
        out.reserveCapacity((count * 4 + 2) / 3)
        var index = startIndex
        while index < endIndex {
            let remaining = distance(from: index, to: endIndex)
            let b0 = UInt32(self[index])
            let b1 = remaining > 1 ? UInt32(self[self.index(index, offsetBy: 1)]) : 0
            let b2 = remaining > 2 ? UInt32(self[self.index(index, offsetBy: 2)]) : 0
            let group = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(group >> 18 & 63)])
            out.append(alphabet[Int(group >> 12 & 63)])
            if remaining > 1 { out.append(alphabet[Int(group >> 6 & 63)]) }
            if remaining > 2 { out.append(alphabet[Int(group & 63)]) }
            index = self.index(index, offsetBy: Swift.min(3, remaining))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Reads base64url without padding; nil for anything else (a character outside the alphabet,
    /// padding, a length no encoding has, or bits left over in the last character).
    public init?(base64URL text: String) {
        var values: [UInt8] = []
        values.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            guard let value = Base64URL.value(of: byte) else { return nil }
            values.append(value)
        }
        // A last group of one character cannot hold a byte.
        guard values.count % 4 != 1 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 3 / 4)
        var start = 0
        while start < values.count {
            let length = Swift.min(4, values.count - start)
            var group: UInt32 = 0
            for offset in 0..<4 { group = group << 6 | UInt32(offset < length ? values[start + offset] : 0) }
            let produced = length - 1
            // The bits past the last byte must be zero, so one byte string has one encoding (RFC 4648 §3.5).
            if produced < 3, group & (0xFF_FFFF >> (8 * produced)) != 0 { return nil }
            for shift in [16, 8, 0].prefix(produced) { bytes.append(UInt8(truncatingIfNeeded: group >> UInt32(shift))) }
            start += 4
        }
        self.init(bytes)
    }
}

/// The alphabet of RFC 4648 §5.
enum Base64URL {
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// The six bits `byte` stands for, or nil outside the alphabet.
    static func value(of byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "-"): 62
        case UInt8(ascii: "_"): 63
        default: nil
        }
    }
}
