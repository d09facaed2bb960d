/// Checks a declaration against the law: the L01–L35 findings of PROMISES.md §4, and L36, the review
/// dates of issue 29 §6.
public struct Linter: Sendable {
    public let rules: [LegalRule]
    public let today: CalendarDate

    public init(rules: [LegalRule] = LegalRules.all, today: CalendarDate) {
        self.rules = rules
        self.today = today
    }

    /// Every legal finding, most severe first, then in rule order.
    public func lint(_ declaration: Declaration, document: DeclarationDocument? = nil) -> [Finding] {
        let context = LintContext(declaration: declaration, today: today)
        var findings: [Finding] = []
        for rule in rules {
            var violations = context.wordingViolations(rule.wording, "— \(rule.title.lowercased()).")
            violations += rule.check(context)
            var seen = Set<String>()
            for violation in violations where seen.insert("\(violation.path)|\(violation.message)").inserted {
                findings.append(
                    Finding(
                        rule: rule.id, code: rule.code, severity: violation.severity ?? rule.severity,
                        message: violation.message, reference: rule.reference, path: violation.path,
                        location: document?.location(of: violation.path)
                    ))
            }
        }
        return findings.sorted { ($0.severity, $0.rule) < ($1.severity, $1.rule) }
    }
}

/// The catalogue of legal rules.
public enum LegalRules {
    public static let all: [LegalRule] =
        CookieRules.all + ConsentRules.all + RightsRules.all + TransferRules.all + SecurityRules.all
        + ControllerRules.all + ProcessingRules.all + MarketingRules.all + SystemRules.all

    /// The rule with `id`, e.g. `L01`.
    public static func rule(_ id: String) -> LegalRule? { all.first { $0.id == id } }
}
