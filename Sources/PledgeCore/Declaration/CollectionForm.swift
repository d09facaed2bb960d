/// A form that collects personal data: which fields, which are required, and what happens if an
/// optional one is left out (C06; UK GDPR Art 13(2)(e), Art 5(1)(c)).
public struct CollectionForm: Codable, Sendable, Equatable, SchemaDescribed {
    public var id: String
    public var name: String
    public var source: String
    public var purposes: [String]
    public var fields: [FormField]
    public var ifOmitted: String?
    public var ageConfirmation: Bool?

    public static let schema: Schema = .object(
        description: "A collection form (C06).",
        properties: [
            .required("id", .identifier("Id used to refer to this form.")),
            .required("name", .text("Plain-English name.")),
            .required("source", .identifier("The source (sources[].id) this form is.")),
            .required("purposes", .list("Purposes (purposes[].id) the data is collected for.", .identifier("A purpose id."))),
            .required("fields", .list("The fields.", FormField.schema)),
            .optional("if_omitted", .text("What happens if the person does not provide required data.")),
            .optional("age_confirmation", .flag("True if the form asks the person to confirm their age (C35).")),
        ])
}

public struct FormField: Codable, Sendable, Equatable, SchemaDescribed {
    public var name: String
    public var category: String
    public var required: Bool

    public static let schema: Schema = .object(
        description: "A form field.",
        properties: [
            .required("name", .identifier("Field name as submitted.")),
            .required("category", .text("Data category (fideslang) of the value.")),
            .required("required", .flag("True if the form cannot be sent without it.")),
        ])
}
