/// What a rule sees: the declaration, its free text, and the day the check runs.
public struct LintContext: Sendable {
    public let declaration: Declaration
    public let today: CalendarDate
    public let passages: [TextPassage]

    public init(declaration: Declaration, today: CalendarDate) {
        self.declaration = declaration
        self.today = today
        self.passages = declaration.passages
    }

    /// Passages that match any of `patterns`, each once, with the matching excerpt.
    func passages(matching patterns: [TextPattern]) -> [(passage: TextPassage, excerpt: String)] {
        passages.compactMap { passage in
            for pattern in patterns {
                if let excerpt = pattern.firstMatch(in: passage.text) { return (passage, excerpt) }
            }
            return nil
        }
    }

    /// Violations for passages matching `patterns`, quoting the excerpt.
    func wordingViolations(_ patterns: [TextPattern], _ explanation: String) -> [Violation] {
        passages(matching: patterns).map {
            Violation($0.passage.path, "The wording “\($0.excerpt)” \(explanation)")
        }
    }

    static let root = DeclarationPath.root
}
