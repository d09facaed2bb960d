extension String {
    /// Whether this `Content-Type` value names the media type `name` (given in lower case): the
    /// part before any parameters, spaces and tabs around it ignored, ASCII letters in either case
    /// (RFC 9110 §8.3.1). Compared byte by byte: Foundation's trimming and lowercasing were 2% of
    /// a gate decision.
    func isMediaType(_ name: String) -> Bool {
        let type = utf8.prefix { $0 != UInt8(ascii: ";") }
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 }
        guard let first = type.firstIndex(where: { !isSpace($0) }), let last = type.lastIndex(where: { !isSpace($0) }) else { return false }
        let given = type[first...last]
        // A capital ASCII letter is its small letter less 0x20.
        return given.count == name.utf8.count
            && zip(given, name.utf8).allSatisfy { $0 == $1 || ($1 >= UInt8(ascii: "a") && $1 <= UInt8(ascii: "z") && $0 == $1 - 0x20) }
    }
}
