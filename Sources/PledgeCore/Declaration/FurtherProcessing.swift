/// A purpose that uses data first collected for another purpose, and why that is compatible
/// (UK GDPR Art 8A and Annex 2, inserted by DUAA 2025 s.71; Art 5(1)(b)).
public struct FurtherProcessing: Codable, Sendable, Equatable, SchemaDescribed {
    /// The purpose (purposes[].id) the data was collected for.
    public var of: String
    public var ground: CompatibilityGround
    /// The Annex 2 condition, when `ground` is `annex_2`.
    public var annex2Condition: Annex2Condition?
    /// The Art 8A(2) assessment, when `ground` is `assessment`: the link between the purposes, the
    /// context, the nature of the data, the consequences and the safeguards.
    public var assessment: String?

    public static let schema: Schema = .object(
        description: "Further processing of data collected for another purpose (Art 8A).",
        properties: [
            .required("of", .identifier("The purpose (purposes[].id) the data was collected for.")),
            .required("ground", .oneOf(CompatibilityGround.self, "Why the new purpose is compatible (Art 8A(3)).")),
            .optional("annex_2_condition", .oneOf(Annex2Condition.self, "The UK GDPR Annex 2 condition, for ground annex_2.")),
            .optional("assessment", .text("The Art 8A(2) compatibility assessment, for ground assessment.")),
        ])
}

/// Why further processing is compatible with the original purpose (Art 8A(3)).
public enum CompatibilityGround: String, Codable, Sendable, CaseIterable {
    /// The person consented to the new purpose (Art 8A(3)(a)).
    case consent
    /// A condition of Annex 2 is met (Art 8A(3)(b)).
    case annex2 = "annex_2"
    /// Research, archiving or statistics with the Art 84B safeguards (Art 8A(3)(c)).
    case researchArchivingStatistics = "research_archiving_statistics"
    /// The Art 8A(2) assessment finds it compatible.
    case assessment

    /// Its words, for the notice.
    public var label: String {
        switch self {
        case .consent: "you agreed to it"
        case .annex2: "a condition of UK GDPR Annex 2"
        case .researchArchivingStatistics: "it is research, archiving or statistics with safeguards (Art 8A(3)(c))"
        case .assessment: "we assessed it as compatible (Art 8A(2))"
        }
    }
}

/// The conditions of UK GDPR Annex 2 (DUAA 2025 Sch 5) under which further processing is compatible (Art 8A(3)(b)).
public enum Annex2Condition: String, Codable, Sendable, CaseIterable {
    case publicTaskDisclosure = "public_task_disclosure"
    /// Para 2: a disclosure for archiving in the public interest, of data collected on consent.
    case archivingDisclosure = "archiving_disclosure"
    case publicSecurity = "public_security"
    case emergencies
    case crime
    case vitalInterests = "vital_interests"
    case safeguarding
    case taxation
    case legalObligation = "legal_obligation"

    /// Its words, for the notice.
    public var label: String {
        switch self {
        case .publicTaskDisclosure: "disclosure to a body that needs it for its public task"
        case .archivingDisclosure: "disclosure for archiving in the public interest"
        case .publicSecurity: "public security"
        case .emergencies: "responding to an emergency"
        case .crime: "detecting, investigating or preventing crime"
        case .vitalInterests: "protecting someone's vital interests"
        case .safeguarding: "safeguarding vulnerable individuals"
        case .taxation: "assessing or collecting tax"
        case .legalObligation: "complying with a legal obligation"
        }
    }
}
