import Foundation

/// Escaping and light linking for generated HTML.
public enum HTMLText {
    /// `text` with `& < > " '` escaped.
    public static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { TextBuffer.htmlEscape($0) != nil }) else { return text }
        var buffer = TextBuffer(capacity: text.utf8.count + 16)
        buffer.append(html: text)
        return buffer.string
    }

    private static let linkPattern = try! NSRegularExpression(
        pattern: "(https?://[^\\s<>\"]+[^\\s<>\".,;:)])|([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,})")

    /// Escaped `text` with web addresses and email addresses turned into links.
    public static func linked(_ text: String) -> String {
        let range = NSRange(text.startIndex..., in: text)
        var result = ""
        var cursor = text.startIndex
        for match in linkPattern.matches(in: text, range: range) {
            guard let found = Range(match.range, in: text) else { continue }
            result += escape(String(text[cursor..<found.lowerBound]))
            let target = String(text[found])
            let href = target.contains("@") && !target.hasPrefix("http") ? "mailto:\(target)" : target
            result += "<a href=\"\(escape(href))\">\(escape(target))</a>"
            cursor = found.upperBound
        }
        return result + escape(String(text[cursor...]))
    }
}
