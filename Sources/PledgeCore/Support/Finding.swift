/// One thing the loader or the linter has to say about a declaration.
///
/// Structural findings (the file cannot be used as it is) have a `rule` that starts with `P`
/// (`P001` YAML syntax ...); legal findings carry the PROMISES.md rule id (`L01` ... `L35`).
public struct Finding: Hashable, Sendable, Codable {
    /// Stable rule id: `P0xx` for structure, `L01`–`L35` for the law.
    public var rule: String
    /// A short, stable, machine-readable code (`unknown-key`, `implied-cookie-consent` ...).
    public var code: String
    public var severity: Severity
    public var message: String
    /// The legal source of the rule, for legal findings.
    public var reference: String?
    /// Where in the declaration, as a path (`purposes[1].basis`).
    public var path: String
    /// Where in the file, when the path can be traced to it.
    public var location: SourceLocation?
    /// A likely intended value, for misspellings.
    public var suggestion: String?

    public init(
        rule: String, code: String, severity: Severity, message: String, reference: String? = nil,
        path: DeclarationPath, location: SourceLocation? = nil, suggestion: String? = nil
    ) {
        self.rule = rule
        self.code = code
        self.severity = severity
        self.message = message
        self.reference = reference
        self.path = path.description
        self.location = location
        self.suggestion = suggestion
    }

    /// True for findings about the file's structure rather than the law.
    public var isStructural: Bool { rule.hasPrefix("P") }
}
