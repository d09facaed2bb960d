import Foundation

/// An unsubscribe sent by email (PECR reg 23; RFC 2369 §3.2): every marketing message's
/// `List-Unsubscribe` names a `mailto:` address whose subject carries the message's unsubscribe
/// token, so a mailbox provider's "unsubscribe" (or a person replying as the link says) sends a message
/// Pledge can act on without anyone reading it: the organisation's mail system hands it to Pledge as
/// it came (`POST /v1/unsubscribes/mail`).
public enum UnsubscribeMail {
    /// The word before the token in the subject.
    static let keyword = "unsubscribe"

    /// What follows `mailto:` for `address` with a subject naming `token` (RFC 6068: the space as %20).
    public static func mailto(_ address: String, token: String) -> String {
        "\(address)?subject=\(keyword)%20\(token)"
    }

    /// The token in `message`'s Subject header (RFC 5322, folded lines unfolded): the word after
    /// "unsubscribe", whatever its case and whatever came before it ("Re: "); nil when there is none.
    /// Only the header section is read, and only its first 64 KiB.
    public static func token(in message: some Collection<UInt8>) -> String? {
        guard let subject = header("subject", in: message) else { return nil }
        let words = subject.split { $0 == " " || $0 == "\t" || $0 == ":" }
        guard let index = words.firstIndex(where: { $0.lowercased() == keyword }), index + 1 < words.count else { return nil }
        let token = words[index + 1]
        guard token.utf8.allSatisfy({ isBase64URL($0) }) else { return nil }
        return String(token)
    }

    /// The first header field called `name` (lower case), unfolded; nil when there is none.
    static func header(_ name: String, in message: some Collection<UInt8>) -> String? {
        var lines: [String] = []
        var line: [UInt8] = []
        for byte in message.prefix(64 * 1024) {
            if byte == UInt8(ascii: "\n") {
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                if line.isEmpty { break }  // the end of the header section
                let text = String(decoding: line, as: UTF8.self)
                if let first = line.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t"), !lines.isEmpty {
                    lines[lines.count - 1] += text  // a folded line continues the field before it
                } else {
                    lines.append(text)
                }
                line = []
            } else {
                line.append(byte)
            }
        }
        for field in lines {
            guard let colon = field.firstIndex(of: ":"), field[..<colon].lowercased() == name else { continue }
            return decodingEncodedWords(String(field[field.index(after: colon)...])).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// `value` with its RFC 2047 encoded words (`=?utf-8?q?...?=`, `=?utf-8?b?...?=`) decoded as UTF-8,
    /// the white space between two adjacent ones dropped (RFC 2047 §6.2): mail clients encode a word
    /// too long for one line, as the 91-character token is.
    static func decodingEncodedWords(_ value: String) -> String {
        var result = "", pending = "", rest = Substring(value), lastWasEncoded = false
        while let start = rest.range(of: "=?") {
            let before = rest[..<start.lowerBound]
            let parts = rest[start.upperBound...].split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
            guard parts.count == 4, parts[3].hasPrefix("="), let decoded = decode(word: parts[2], encoding: parts[1].lowercased()) else {
                result += pending + before + "=?"
                pending = ""
                rest = rest[start.upperBound...]
                lastWasEncoded = false
                continue
            }
            // Only white space between two encoded words: dropped.
            if !(lastWasEncoded && before.allSatisfy(\.isWhitespace)) { result += pending + before }
            pending = ""
            result += decoded
            lastWasEncoded = true
            rest = parts[3].dropFirst()
        }
        return result + pending + rest
    }

    /// One encoded word's text: Q (underscores are spaces, `=XX` a byte) or B (base64).
    static func decode(word: Substring, encoding: String) -> String? {
        switch encoding {
        case "b": return Data(base64Encoded: String(word)).map { String(decoding: $0, as: UTF8.self) }
        case "q":
            var bytes: [UInt8] = [], index = word.utf8.startIndex
            let utf8 = word.utf8
            while index < utf8.endIndex {
                let byte = utf8[index]
                if byte == UInt8(ascii: "="), let end = utf8.index(index, offsetBy: 3, limitedBy: utf8.endIndex),
                    let value = UInt8(String(decoding: utf8[utf8.index(after: index)..<end], as: UTF8.self), radix: 16)
                {
                    bytes.append(value)
                    index = end
                    continue
                }
                bytes.append(byte == UInt8(ascii: "_") ? UInt8(ascii: " ") : byte)
                index = utf8.index(after: index)
            }
            return String(decoding: bytes, as: UTF8.self)
        default: return nil
        }
    }

    static func isBase64URL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "_"): true
        default: false
        }
    }
}
