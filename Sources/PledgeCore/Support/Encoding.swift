import Crypto
import Foundation

extension Data {
    /// Parses an even-length hex string.
    init?(hex: String) {
        guard hex.count % 2 == 0 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(hex.count / 2)
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(bytes)
    }
}

extension ContiguousBytes {
    /// Lower-case hex. Written by hand because `String(format:)` per byte was a fifth of the CPU of every
    /// authenticated request (key verifiers, audit hashes and blind indexes all pass through here); read
    /// from the bytes in place, as iterating a `Data` or a digest byte by byte cost as much again.
    public var hexString: String {
        withUnsafeBytes { bytes in
            String(unsafeUninitializedCapacity: bytes.count * 2) { buffer in
                for (offset, byte) in bytes.enumerated() { HexDigits.write(byte, to: buffer, at: 2 * offset) }
                return bytes.count * 2
            }
        }
    }
}

/// Lower-case hex digits written straight into a string's bytes (`hexString`, `UUID.lowercasedString`).
enum HexDigits {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Writes `byte` as two digits at `index` and `index + 1`.
    static func write(_ byte: UInt8, to buffer: UnsafeMutableBufferPointer<UInt8>, at index: Int) {
        buffer[index] = digits[Int(byte >> 4)]
        buffer[index + 1] = digits[Int(byte & 0x0f)]
    }
}

extension SHA256 {
    /// The SHA-256 of `text` (UTF-8) in lower-case hex: declaration fingerprints, consent wording, API key verifiers.
    public static func hex(_ text: String) -> String {
        var text = text
        return text.withUTF8 { hash(data: UnsafeRawBufferPointer($0)).hexString }
    }
}

extension Date {
    /// Integer microseconds since 1970 (UTC): how instants are stored and hashed, the same on every backend.
    public var microseconds: Int64 { Int64((timeIntervalSince1970 * 1_000_000).rounded()) }

    public init(microseconds: Int64) { self.init(timeIntervalSince1970: Double(microseconds) / 1_000_000) }
}
