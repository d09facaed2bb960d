/// A legitimate-interests assessment (C08): purpose, necessity and balancing tests (ICO LIA guidance;
/// UK GDPR Art 6(1)(f)).
public struct LegitimateInterestAssessment: Codable, Sendable, Equatable, SchemaDescribed {
    public var id: String
    public var interest: String
    public var necessity: String?
    public var balancing: String?
    public var safeguards: String?
    public var outcome: LIAOutcome
    public var reviewer: String?
    public var reviewed: CalendarDate?

    public static let schema: Schema = .object(
        description: "A legitimate-interests assessment (C08).",
        properties: [
            .required("id", .identifier("Id purposes use to refer to it.")),
            .required("interest", .text("The interest pursued.")),
            .optional("necessity", .text("Why the processing is necessary for it.")),
            .optional("balancing", .text("Impact on people and their reasonable expectations.")),
            .optional("safeguards", .text("Safeguards that reduce the impact.")),
            .required("outcome", .oneOf(LIAOutcome.self, "Result of the balancing test.")),
            .optional("reviewer", .text("Who approved it.")),
            .optional("reviewed", .date("When it was last reviewed.")),
        ])
}

public enum LIAOutcome: String, Codable, Sendable, CaseIterable {
    case approved
    case overridden
    case pending
}

extension LegitimateInterestAssessment {
    /// Whether the necessity and balancing tests are written down (the purpose test is `interest`):
    /// an approval rests on them (UK GDPR Art 6(1)(f); ICO LIA guidance; OEX-25).
    public var recordsTheTest: Bool {
        [necessity, balancing].allSatisfy { !($0 ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    }
}
