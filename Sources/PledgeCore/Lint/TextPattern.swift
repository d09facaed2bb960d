import Foundation

/// A case-insensitive regular expression over policy wording (ICU syntax, so look-behind works).
public struct TextPattern: @unchecked Sendable {
    // NSRegularExpression is immutable and documented as thread-safe.
    public let source: String
    private let expression: NSRegularExpression

    public init(_ source: String) {
        self.source = source
        // The patterns are literals in this module; a bad one is a programming error caught by tests.
        self.expression = try! NSRegularExpression(pattern: source, options: [.caseInsensitive])
    }

    /// The first matching excerpt of `text`, if any.
    public func firstMatch(in text: String) -> String? {
        let range = NSRange(text.startIndex..., in: text)
        guard let match = expression.firstMatch(in: text, range: range), let found = Range(match.range, in: text) else { return nil }
        return String(text[found])
    }
}
