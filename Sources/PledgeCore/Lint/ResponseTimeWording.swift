import Foundation

/// Whether a stated response time is the law's: one month (UK GDPR Art 12(3)), which may be
/// extended by two further months for complex or numerous requests (Art 12(3), 12A). Said many
/// ways in real policies: "within one month", "one calendar month", "without undue delay and in any
/// event within a month of receipt", "one month, extendable by two further months" (issue 26 §7).
enum ResponseTimeWording {
    private static let oneMonth = TextPattern("\\b(one|1|a) (calendar )?month\\b")
    /// A period in days: a month is not a number of days (and 40 days was DPA 1998's).
    private static let days = TextPattern("\\b\\d+\\s*(working |business |calendar |clear )?days?\\b")
    /// Two or three months, allowed only as the extension for complex requests.
    private static let longer = TextPattern("\\b(two|three|2|3) (further |more |additional |calendar )?months\\b")
    private static let extensionClause = TextPattern(
        "\\b(extend\\w*|further|additional|more|complex\\w*|numerous|up to)\\b[^.;]{0,40}\\b(two|three|2|3) (further |more |additional |calendar )?months\\b"
    )

    /// True when `text` states one month, with at most the two-month extension beside it.
    static func statesOneMonth(_ text: String) -> Bool {
        let stated = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if stated.caseInsensitiveCompare("P1M") == .orderedSame { return true }  // ISO 8601
        guard oneMonth.firstMatch(in: stated) != nil, days.firstMatch(in: stated) == nil else { return false }
        guard longer.firstMatch(in: stated) != nil else { return true }
        return extensionClause.firstMatch(in: stated) != nil
    }
}
