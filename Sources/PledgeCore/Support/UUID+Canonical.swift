import Foundation

extension UUID {
    /// Parses the canonical form, 8-4-4-4-12 hex digits of either case with dashes between, the only
    /// form `UUID(uuidString:)` takes, reading the UTF-8 bytes in place. Foundation on Linux parses
    /// with `sscanf`, which also takes a space in place of a digit (another id), and every request
    /// with a subject id in its path or body parsed one twice (1–2% of a consent write's CPU, bench/http.sh).
    /// Inlinable, so that callers in other modules get it specialised for their string type.
    @inlinable
    public init?(canonical text: some StringProtocol) {
        self.init(canonicalUTF8: text.utf8)
    }

    /// Parses the canonical form from its UTF-8 bytes (a column read in place, without making a string).
    @inlinable
    public init?(canonicalUTF8 utf8: some Collection<UInt8>) {
        guard utf8.count == 36 else { return nil }
        var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = withUnsafeMutableBytes(of: &value) { bytes -> Bool in
            var (position, filled) = (0, 0)
            var high: UInt8?
            for character in utf8 {
                defer { position += 1 }
                if position == 8 || position == 13 || position == 18 || position == 23 {
                    guard character == UInt8(ascii: "-") else { return false }
                    continue
                }
                guard let nibble = Self.hexValue(character) else { return false }
                if let first = high {
                    bytes[filled] = first << 4 | nibble
                    filled += 1
                    high = nil
                } else {
                    high = nibble
                }
            }
            return true
        }
        guard parsed else { return nil }
        self.init(uuid: value)
    }

    /// The canonical form in lower case, as Pledge stores and answers ids: `uuidString.lowercased()` in one pass.
    public var lowercasedString: String {
        withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { buffer in
                var index = 0
                for (offset, byte) in bytes.enumerated() {
                    if offset == 4 || offset == 6 || offset == 8 || offset == 10 {
                        buffer[index] = UInt8(ascii: "-")
                        index += 1
                    }
                    HexDigits.write(byte, to: buffer, at: index)
                    index += 2
                }
                return 36
            }
        }
    }

    @usableFromInline
    static func hexValue(_ character: UInt8) -> UInt8? {
        // One subtraction and compare per range (wrapping below the range's start).
        let digit = character &- UInt8(ascii: "0")
        if digit < 10 { return digit }
        let letter = (character | 0x20) &- UInt8(ascii: "a")
        return letter < 6 ? letter + 10 : nil
    }
}
