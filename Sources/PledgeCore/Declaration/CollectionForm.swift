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
    /// The recipient (a survey provider) that runs the form for us, when one does.
    public var runBy: String?

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
            .optional(
                "run_by",
                .identifier(
                    "Recipient (recipients[].id) that runs this form for us, a survey provider say: the notice names it beside the form, and every field is optional (CLQ-55, CLQ-56)."
                )),
        ])

    /// Whether the form may not be sent without `field`: never on a form a provider runs for us,
    /// whose every answer is optional (CLQ-56; UK GDPR Art 7(4), Art 5(1)(c)); L41 flags a field it declares required.
    public func requires(_ field: FormField) -> Bool { runBy == nil && field.required }
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
