import Foundation

/// A personal data breach as the register keeps it (UK GDPR Art 33(5): "the facts relating to the
/// personal data breach, its effects and the remedial action taken"; C39; APX-49, APX-50).
public struct Breach: Sendable, Equatable {
    public var id: UUID
    /// When the organisation became aware of it: the ICO clock starts here (Art 33(1)).
    public var awareAt: Date
    /// Who recorded it: a staff key, or a processor's reporting under Art 33(2).
    public var reportedBy: String
    public var recordedAt: Date
    /// What happened (Art 33(3)(a)).
    public var facts: String
    /// The data categories concerned.
    public var categories: [String]
    /// Approximate numbers of people and of records concerned (Art 33(3)(a)); nil while unknown.
    public var approximateSubjects: Int?
    public var approximateRecords: Int?
    /// Its likely consequences (Art 33(3)(c)).
    public var consequences: String?
    /// Measures taken or proposed, to address it and mitigate its effects (Art 33(3)(d); APX-49).
    public var measures: String?
    /// The risk it is assessed to pose to people's rights and freedoms; nil until assessed.
    public var risk: BreachRisk?
    /// Why, when the risk is assessed.
    public var riskReasoning: String?
    public var icoNotifiedAt: Date?
    public var icoReference: String?
    /// Why the ICO was told after 72 hours (Art 33(1): "accompanied by reasons for the delay").
    public var latenessReason: String?
    /// When the people concerned were told (Art 34(1)).
    public var individualsNotifiedAt: Date?

    public init(
        id: UUID = UUID(), awareAt: Date, reportedBy: String, recordedAt: Date, facts: String, categories: [String], approximateSubjects: Int? = nil,
        approximateRecords: Int? = nil, consequences: String? = nil, measures: String? = nil
    ) {
        self.id = id
        self.awareAt = awareAt
        self.reportedBy = reportedBy
        self.recordedAt = recordedAt
        self.facts = facts
        self.categories = categories
        self.approximateSubjects = approximateSubjects
        self.approximateRecords = approximateRecords
        self.consequences = consequences
        self.measures = measures
    }
}

/// The risk a breach poses to people's rights and freedoms, which decides who must be told.
public enum BreachRisk: String, Sendable, Equatable, CaseIterable, Codable {
    /// Unlikely to result in a risk: recorded in the register, the ICO need not be told (Art 33(1)).
    case unlikely
    /// A risk: the ICO is told within 72 hours (Art 33(1)).
    case risk
    /// A high risk: the ICO, and the people concerned without undue delay (Art 34(1)).
    case high
}
