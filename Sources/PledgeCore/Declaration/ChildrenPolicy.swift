/// Age limits and children's protections (C35; UK GDPR Art 8, DPA 2018 s.9 and s.123).
public struct ChildrenPolicy: Codable, Sendable, Equatable, SchemaDescribed {
    public var minimumAge: Int
    public var issConsentAge: Int?
    public var likelyToBeAccessed: Bool?
    public var ageAssurance: String?
    public var childrensCodeAssessment: CalendarDate?

    public static let schema: Schema = .object(
        description: "Age limits (C35).",
        properties: [
            .required("minimum_age", .integer(description: "Youngest age served; below it collection is refused.", minimum: 0, maximum: 120)),
            .optional(
                "iss_consent_age",
                .integer(description: "Age from which a child can consent to an online service; 13 in the UK.", minimum: 0, maximum: 120)),
            .optional("likely_to_be_accessed", .flag("True if children are likely to access the service (Children's code).")),
            .optional("age_assurance", .text("How age is checked.")),
            .optional("childrens_code_assessment", .date("When the Children's code assessment was recorded.")),
        ])
}
