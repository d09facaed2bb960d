import Foundation
import NIOCore
import PledgeCore

/// JSON written byte for byte as `ContractJSON.encoder` writes it (compact, keys in the order the
/// caller gives, which it keeps sorted; `/` escaped as `\/`; control characters as `\b \t \n \f \r`
/// or `\u00xx`; dates in RFC 3339 to the second, rounded down), for the answers of the operations
/// clients call at volume: `JSONEncoder` was a tenth of a consent write's work (perf, bench/http.sh).
/// `JSONTextTests` hold it to `JSONEncoder`'s bytes.
struct JSONText {
    private(set) var buffer: ByteBuffer
    /// Whether the object being written has a member yet (a comma goes before the next).
    private var needsComma = false

    init(capacity: Int = 256) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    mutating func beginObject() {
        separate()
        buffer.writeInteger(UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func endObject() {
        buffer.writeInteger(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func beginArray(_ key: String) {
        self.key(key)
        buffer.writeInteger(UInt8(ascii: "["))
        needsComma = false
    }

    mutating func endArray() {
        buffer.writeInteger(UInt8(ascii: "]"))
        needsComma = true
    }

    mutating func member(_ key: String, _ value: String) {
        self.key(key)
        write(value)
        needsComma = true
    }

    /// A member only when `value` is present, as `encodeIfPresent` leaves out nil.
    mutating func member(_ key: String, _ value: String?) {
        if let value { member(key, value) }
    }

    mutating func member(_ key: String, _ value: Bool) {
        self.key(key)
        buffer.writeString(value ? "true" : "false")
        needsComma = true
    }

    mutating func member(_ key: String, _ value: Int64) {
        self.key(key)
        buffer.writeString(String(value))
        needsComma = true
    }

    mutating func member(_ key: String, _ value: Date) {
        self.key(key)
        buffer.writeInteger(UInt8(ascii: "\""))
        Self.write(value, to: &buffer)
        buffer.writeInteger(UInt8(ascii: "\""))
        needsComma = true
    }

    private mutating func separate() {
        if needsComma { buffer.writeInteger(UInt8(ascii: ",")) }
    }

    private mutating func key(_ key: String) {
        separate()
        write(key)
        buffer.writeInteger(UInt8(ascii: ":"))
    }

    private mutating func write(_ text: String) {
        buffer.writeInteger(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var plain = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "/") {
                buffer.writeBytes(UnsafeBufferPointer(rebasing: utf8[plain..<index]))
                plain = index + 1
                switch byte {
                case 0x08: buffer.writeString("\\b")
                case 0x09: buffer.writeString("\\t")
                case 0x0A: buffer.writeString("\\n")
                case 0x0C: buffer.writeString("\\f")
                case 0x0D: buffer.writeString("\\r")
                case 0x00..<0x20:
                    buffer.writeString("\\u00")
                    buffer.writeInteger(Self.hex[Int(byte >> 4)])
                    buffer.writeInteger(Self.hex[Int(byte & 0xF)])
                default:
                    buffer.writeInteger(UInt8(ascii: "\\"))
                    buffer.writeInteger(byte)
                }
            }
            buffer.writeBytes(UnsafeBufferPointer(rebasing: utf8[plain...]))
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// `yyyy-MM-ddTHH:mm:ssZ` in UTC, the second rounded down as `ISO8601DateFormatter` does.
    private static func write(_ date: Date, to buffer: inout ByteBuffer) {
        let seconds = Int64((date.timeIntervalSince1970).rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let time = seconds - days * 86_400
        let day = CalendarDate.fromDaysSinceEpoch(Int(days))
        digits(Int64(day.year), 4, to: &buffer)
        buffer.writeInteger(UInt8(ascii: "-"))
        digits(Int64(day.month), 2, to: &buffer)
        buffer.writeInteger(UInt8(ascii: "-"))
        digits(Int64(day.day), 2, to: &buffer)
        buffer.writeInteger(UInt8(ascii: "T"))
        digits(time / 3600, 2, to: &buffer)
        buffer.writeInteger(UInt8(ascii: ":"))
        digits(time % 3600 / 60, 2, to: &buffer)
        buffer.writeInteger(UInt8(ascii: ":"))
        digits(time % 60, 2, to: &buffer)
        buffer.writeInteger(UInt8(ascii: "Z"))
    }

    private static func digits(_ value: Int64, _ width: Int, to buffer: inout ByteBuffer) {
        var divisor: Int64 = 1
        for _ in 1..<width { divisor *= 10 }
        var value = value
        while divisor > 0 {
            buffer.writeInteger(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            value %= divisor
            divisor /= 10
        }
    }
}

/// An answer `JSONText` writes as `ContractJSON.encoder` would.
protocol JSONTextEncodable {
    func write(to json: inout JSONText)
}
