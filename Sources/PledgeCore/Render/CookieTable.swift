/// The register of cookies and similar technologies as a table (C11).
public struct CookieTable: Sendable {
    public let declaration: Declaration
    private let guardrail = WordingGuard()

    public init(declaration: Declaration) { self.declaration = declaration }

    public static let header = ["Name", "Type", "Set by", "Category", "Purpose", "Expires", "Needs your consent"]

    public var rows: [[String]] {
        let purposes = Dictionary(declaration.purposes.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        return (declaration.technologies ?? []).map { t in
            [
                guardrail.say(t.name, otherwise: kindLabel(t.kind)), kindLabel(t.kind),
                t.party == .first ? "Us" : guardrail.say(t.provider ?? "Third party", otherwise: "Third party"), t.category.label,
                t.purpose.flatMap { purposes[$0] }.map { guardrail.say($0, otherwise: "—") } ?? "—", t.expiry.map(expiryLabel) ?? "—",
                consentLabel(t),
            ]
        }
    }

    var block: NoticeBlock { .table(header: Self.header, rows: rows) }

    private func kindLabel(_ kind: TechnologyKind) -> String {
        switch kind {
        case .cookie: "Cookie"
        case .localStorage: "Local storage"
        case .sessionStorage: "Session storage"
        case .pixel: "Tracking pixel"
        case .script: "Script"
        case .embed: "Embedded content"
        case .socialButton: "Sharing button"
        case .applet: "Embedded program"
        case .fingerprint: "Device fingerprint"
        }
    }

    private func expiryLabel(_ text: String) -> String {
        if text == "session" { return "When you close the page" }
        return RetentionPeriod(text)?.description ?? text
    }

    private func consentLabel(_ technology: StorageTechnology) -> String {
        switch technology.effectiveConsent {
        case .exempt: "No: strictly necessary"
        case .statisticalException where technology.party == .first: "No: site statistics; you can object"
        case .appearanceException where technology.party == .first: "No: remembers your display choices; you can object"
        case .emergencyAssistanceException: "No: only when you ask us for emergency help, to locate or reach you"
        default: "Yes"
        }
    }
}
