import Foundation

/// Text built directly as UTF-8 bytes, with the escapes HTML, CSV and JSON need.
///
/// Large generated documents (the report, CSV and JSON of an access export of 10,000 records) spent
/// most of their time building Swift `String`s piece by piece and escaping them a `Character` at a
/// time; escaping bytes is safe here because every character that needs escaping is ASCII, and
/// UTF-8 never uses ASCII bytes inside a multi-byte sequence.
public struct TextBuffer: Sendable {
    /// The UTF-8 text written so far.
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// The text as a `String`.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Appends `text` as it is.
    public mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Appends `text` with `& < > " '` escaped for HTML text and attribute values.
    public mutating func append(html text: String) {
        appendEscaping(text, Self.htmlEscape)
    }

    /// What an HTML byte becomes, or nil for a byte that stays as it is.
    static func htmlEscape(_ byte: UInt8) -> [UInt8]? {
        switch byte {
        case UInt8(ascii: "&"): ampersand
        case UInt8(ascii: "<"): lessThan
        case UInt8(ascii: ">"): greaterThan
        case UInt8(ascii: "\""): quote
        case UInt8(ascii: "'"): apostrophe
        default: nil
        }
    }

    /// Appends `text` as one RFC 4180 CSV field: quoted, with quotes doubled, when it holds a comma,
    /// a quote or a line break. A field a spreadsheet would run as a formula (starting `=`, `+`,
    /// `-`, `@`, a tab or a carriage return) is written after an apostrophe, quoted, so it is shown
    /// as text (OWASP CSV injection; issue 24 finding 8): exports hold what people typed.
    public mutating func append(csv text: String) {
        let formula = text.utf8.first.map(Self.startsFormula) ?? false
        guard formula || text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else {
            append(text)
            return
        }
        bytes.append(UInt8(ascii: "\""))
        if formula { bytes.append(UInt8(ascii: "'")) }
        appendEscaping(text) { $0 == UInt8(ascii: "\"") ? Self.doubledQuote : nil }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Whether a field starting with `byte` is read as a formula by spreadsheets.
    static func startsFormula(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "=") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "@") || byte == 0x09
            || byte == 0x0D
    }

    /// Appends `text` as a quoted JSON string (RFC 8259 §7) as `JSONEncoder` writes it: quote,
    /// backslash and control characters escaped (`\b \t \n \f \r`, else `\u00xx`), everything
    /// else as it is. The solidus is escaped (`\/`) only with `escapingSolidus`, as `JSONEncoder`
    /// does without `.withoutEscapingSlashes`.
    public mutating func append(json text: String, escapingSolidus: Bool = false) {
        bytes.append(UInt8(ascii: "\""))
        appendEscaping(text) { byte in
            switch byte {
            case UInt8(ascii: "\""): return Self.escapedQuote
            case UInt8(ascii: "\\"): return Self.escapedBackslash
            case UInt8(ascii: "/"): return escapingSolidus ? Self.escapedSolidus : nil
            case 0x08: return Self.escapedBackspace
            case 0x09: return Self.escapedTab
            case 0x0A: return Self.escapedNewline
            case 0x0C: return Self.escapedFormFeed
            case 0x0D: return Self.escapedReturn
            case 0..<0x20: return Array("\\u00".utf8) + [Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 0x0F)]]
            default: return nil
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends `instant` in UTC as RFC 3339 to the second (`2026-11-22T09:05:00Z`), the form
    /// `JSONEncoder`'s `.iso8601` writes and reads.
    public mutating func append(rfc3339 instant: Date) {
        let (day, seconds) = CalendarDate.utc(instant)
        appendDigits(day.year, 4); bytes.append(UInt8(ascii: "-"))
        appendDigits(day.month, 2); bytes.append(UInt8(ascii: "-"))
        appendDigits(day.day, 2); bytes.append(UInt8(ascii: "T"))
        appendDigits(seconds / 3600, 2); bytes.append(UInt8(ascii: ":"))
        appendDigits(seconds % 3600 / 60, 2); bytes.append(UInt8(ascii: ":"))
        appendDigits(seconds % 60, 2); bytes.append(UInt8(ascii: "Z"))
    }

    /// `instant` as RFC 3339 text.
    public static func rfc3339(_ instant: Date) -> String {
        var buffer = TextBuffer(capacity: 20)
        buffer.append(rfc3339: instant)
        return buffer.string
    }

    /// Appends a non-negative `value` zero-padded to `width` digits (wider values in full).
    private mutating func appendDigits(_ value: Int, _ width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        guard value >= 0, value < divisor * 10 else { return append(String(value)) }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Copies `text`, replacing each byte for which `replacement` returns bytes; runs between
    /// replacements are copied in one go.
    private mutating func appendEscaping(_ text: String, _ replacement: (UInt8) -> [UInt8]?) {
        var text = text
        text.withUTF8 { source in
            var start = 0
            for index in 0..<source.count {
                guard let replaced = replacement(source[index]) else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[start..<index]))
                bytes.append(contentsOf: replaced)
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[start...]))
        }
    }

    private static let ampersand = Array("&amp;".utf8)
    private static let lessThan = Array("&lt;".utf8)
    private static let greaterThan = Array("&gt;".utf8)
    private static let quote = Array("&quot;".utf8)
    private static let apostrophe = Array("&#39;".utf8)
    private static let doubledQuote = Array("\"\"".utf8)
    private static let escapedQuote = Array("\\\"".utf8)
    private static let escapedBackslash = Array("\\\\".utf8)
    private static let escapedNewline = Array("\\n".utf8)
    private static let escapedReturn = Array("\\r".utf8)
    private static let escapedTab = Array("\\t".utf8)
    private static let escapedBackspace = Array("\\b".utf8)
    private static let escapedFormFeed = Array("\\f".utf8)
    private static let escapedSolidus = Array("\\/".utf8)
    private static let hex = Array("0123456789abcdef".utf8)
}
