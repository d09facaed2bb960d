/// A category of people whose data is processed, with relationship stages (C04).
public struct SubjectCategory: Codable, Sendable, Equatable, SchemaDescribed {
    public var id: String
    public var name: String
    public var fides: String?
    public var description: String?
    public var stages: [String]?
    /// True if the category includes sole traders or partnerships: individual subscribers under PECR reg 2.
    public var includesSoleTraders: Bool?

    public static let schema: Schema = .object(
        description: "A subject category (C04).",
        properties: [
            .required("id", .identifier("Id used to refer to this category.")),
            .required("name", .text("Plain-English name: customers, website visitors ...")),
            .optional("fides", .text("The fideslang data subject it maps to (customer, prospect, visitor ...).")),
            .optional("description", .text("Who they are.")),
            .optional("stages", .list("Relationship stages, default prospect, active, ended.", .identifier("A stage."))),
            .optional(
                "includes_sole_traders",
                .flag(
                    "True if it includes sole traders or partnerships, who are individual subscribers under PECR (no corporate-subscriber marketing)."
                )),
        ])
}
