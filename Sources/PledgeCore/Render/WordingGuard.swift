/// Keeps wording the linter flags out of generated text: an organisation's own sentence is used
/// only when no rule's wording pattern matches it.
public struct WordingGuard: Sendable {
    public let rules: [LegalRule]

    public init(rules: [LegalRule] = LegalRules.all) { self.rules = rules }

    /// The first rule whose wording appears in `text`, with the excerpt.
    public func violation(in text: String) -> (rule: String, excerpt: String)? {
        for rule in rules {
            for pattern in rule.wording {
                if let excerpt = pattern.firstMatch(in: text) { return (rule.id, excerpt) }
            }
        }
        return nil
    }

    /// `text` when it is clean, otherwise the generated `fallback`.
    public func say(_ text: String, otherwise fallback: @autoclosure () -> String) -> String {
        clean(text) ?? fallback()
    }

    /// `text` when it is clean and not empty, otherwise nil.
    public func clean(_ text: String?) -> String? {
        guard let text, !text.isEmpty, violation(in: text) == nil else { return nil }
        return text
    }
}
