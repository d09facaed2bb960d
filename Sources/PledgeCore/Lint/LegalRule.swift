/// One linter rule from PROMISES.md §4: a legal finding that a declaration can show.
public struct LegalRule: Sendable {
    /// `L01` ... `L35`.
    public let id: String
    /// Short stable code, e.g. `implied-cookie-consent`.
    public let code: String
    public let title: String
    /// The rule's usual severity; a violation may state its own.
    public let severity: Severity
    /// The legal source.
    public let reference: String
    /// Wording that is itself the problem wherever it appears; the generated notice never contains it.
    public let wording: [TextPattern]
    /// Structural checks, and wording checks that depend on what the declaration says elsewhere.
    let check: @Sendable (LintContext) -> [Violation]

    init(
        _ id: String, _ code: String, _ title: String, severity: Severity, reference: String,
        wording: [String] = [], check: @escaping @Sendable (LintContext) -> [Violation] = { _ in [] }
    ) {
        self.id = id
        self.code = code
        self.title = title
        self.severity = severity
        self.reference = reference
        self.wording = wording.map(TextPattern.init)
        self.check = check
    }
}

/// Where and why a rule fired.
struct Violation {
    var path: DeclarationPath
    var message: String
    var severity: Severity?

    init(_ path: DeclarationPath, _ message: String, severity: Severity? = nil) {
        self.path = path
        self.message = message
        self.severity = severity
    }
}
