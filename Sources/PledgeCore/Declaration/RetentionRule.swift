/// How long data is kept and what happens then (C36; UK GDPR Art 5(1)(e), Art 13(2)(a)).
public struct RetentionRule: Codable, Sendable, Equatable, SchemaDescribed {
    public var id: String
    public var name: String?
    public var categories: [String]?
    public var period: RetentionPeriod?
    public var from: RetentionTrigger?
    public var then: RetentionAction?
    /// The criteria used when a period cannot be given.
    public var criteria: String?
    public var statute: String?

    public static let schema: Schema = .object(
        description: "A retention rule (C36).",
        properties: [
            .required("id", .identifier("Id purposes use to refer to it.")),
            .optional("name", .text("Plain-English name.")),
            .optional("categories", .list("Data categories it covers.", .text("A data category."))),
            .optional("period", .string(description: "How long, e.g. P12M or P6Y.", format: .period)),
            .optional("from", .oneOf(RetentionTrigger.self, "When the period starts; default collection.")),
            .optional("then", .oneOf(RetentionAction.self, "What happens at the end; default delete.")),
            .optional("criteria", .text("Criteria used to decide the period, where no period is given.")),
            .optional("statute", .text("The law that sets the period, if any.")),
        ])
}

public enum RetentionTrigger: String, Codable, Sendable, CaseIterable {
    case collection
    case lastInteraction = "last_interaction"
    case relationshipEnd = "relationship_end"
    case projectEnd = "project_end"
    case accountClosure = "account_closure"
    case transaction

    public var label: String {
        switch self {
        case .collection: "from when it was collected"
        case .lastInteraction: "from our last contact with you"
        case .relationshipEnd: "from the end of our relationship"
        case .projectEnd: "from the end of the project"
        case .accountClosure: "from when your account is closed"
        case .transaction: "from the transaction"
        }
    }
}

public enum RetentionAction: String, Codable, Sendable, CaseIterable {
    case delete
    case anonymise
}

extension RetentionRule {
    /// How long, as the notice and an access report say it (UK GDPR Art 13(2)(a), Art 15(1)(d)):
    /// "2 years from the end of our relationship, then deleted (required by …)". `clean` screens
    /// declared wording before it is shown.
    public func howLong(cleaning clean: (String?) -> String? = { $0 }) -> String {
        let text: String
        if let period {
            text = "\(period) \((from ?? .collection).label), then \((then ?? .delete) == .delete ? "deleted" : "anonymised")"
        } else if let criteria = clean(criteria) {
            text = criteria
        } else {
            text = "Period still to be set; ask us and we will tell you how long we keep it"
        }
        return text + (statute.map { " (required by \($0))" } ?? "")
    }
}
