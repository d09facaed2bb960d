/// A declaration (`pledge.yaml`): the single source of truth of one organisation's privacy policy.
/// The notice, the records of processing, the banner, processing decisions, retention and request
/// fulfilment are all derived from it.
public struct Declaration: Codable, Sendable, Equatable, SchemaDescribed {
    /// The format version; this build reads version 1.
    public var pledge: Int
    public var organisation: Organisation
    public var notice: NoticePolicy
    public var taxonomy: TaxonomyExtensions?
    public var subjects: [SubjectCategory]
    public var sources: [DataSource]
    public var forms: [CollectionForm]?
    public var purposes: [Purpose]
    public var legitimateInterests: [LegitimateInterestAssessment]?
    public var technologies: [StorageTechnology]?
    public var recipients: [Recipient]?
    public var retention: [RetentionRule]
    /// How long claims can be brought after processing ends; consent proof is kept this long after
    /// the person is gone (default six years, Limitation Act 1980 ss2, 5).
    public var limitationPeriod: RetentionPeriod?
    public var children: ChildrenPolicy?
    public var rights: RightsPolicy
    public var marketing: [MarketingChannel]?
    public var security: SecurityMeasures
    public var breach: BreachPolicy?
    public var publicContent: PublicContentPolicy?
    public var banner: BannerSettings?
    public var analytics: AnalyticsSettings?
    /// The organisation's own systems that hold personal data, which requests reach (issue 30).
    public var systems: [DataSystem]?
    /// The organisation's own wording, as published in its current policy. The linter reads it;
    /// the generated notice never repeats wording that the linter flags.
    public var statements: [Statement]?

    /// The format versions this build can read.
    public static let supportedFormats = 1...1

    public static let schema: Schema = .object(
        description: "A Pledge declaration: one organisation's privacy policy as data.",
        properties: [
            .required("pledge", .integer(description: "Format version of this file. Always 1 for now.", minimum: 1, maximum: 1)),
            .required("organisation", Organisation.schema),
            .required("notice", NoticePolicy.schema),
            .optional("taxonomy", TaxonomyExtensions.schema),
            .required("subjects", .list("Categories of people whose data is processed (C04).", SubjectCategory.schema)),
            .required("sources", .list("Where personal data comes from (C05).", DataSource.schema)),
            .optional("forms", .list("Collection forms and their fields (C06).", CollectionForm.schema)),
            .required("purposes", .list("Purposes of processing, each with its lawful basis (C07).", Purpose.schema)),
            .optional("legitimate_interests", .list("Legitimate-interests assessments (C08).", LegitimateInterestAssessment.schema)),
            .optional("technologies", .list("Cookies and other storage-and-access technologies (C11).", StorageTechnology.schema)),
            .optional("recipients", .list("Recipients, processors and international transfers (C22, C23, C27).", Recipient.schema)),
            .required("retention", .list("Retention rules (C36).", RetentionRule.schema)),
            .optional(
                "limitation_period",
                .string(
                    description:
                        "How long claims can be brought after processing ends, e.g. P6Y; consent proof is kept this long after the person is gone. Default P6Y (Limitation Act 1980).",
                    format: .period)),
            .optional("children", ChildrenPolicy.schema),
            .required("rights", RightsPolicy.schema),
            .optional("marketing", .list("Marketing channels and the basis for each (C17).", MarketingChannel.schema)),
            .required("security", SecurityMeasures.schema),
            .optional("breach", BreachPolicy.schema),
            .optional("public_content", PublicContentPolicy.schema),
            .optional("banner", BannerSettings.schema),
            .optional("analytics", AnalyticsSettings.schema),
            .optional("systems", .list("The organisation's own databases holding personal data, which requests reach (C30-C33).", DataSystem.schema)),
            .optional("statements", .list("The organisation's own policy wording, checked by the linter.", Statement.schema)),
        ])
}

/// Categories an organisation adds to the fideslang data categories.
public struct TaxonomyExtensions: Codable, Sendable, Equatable, SchemaDescribed {
    public var categories: [CustomCategory]

    public static let schema: Schema = .object(
        description: "Additions to the fideslang taxonomy.",
        properties: [
            .required("categories", .list("Extra data categories.", CustomCategory.schema))
        ])
}

/// A data category of the organisation's own, placed under a fideslang parent.
public struct CustomCategory: Codable, Sendable, Equatable, SchemaDescribed {
    public var key: String
    public var name: String
    public var special: Bool?

    public static let schema: Schema = .object(
        description: "A custom data category.",
        properties: [
            .required("key", .text("Dotted key under a fideslang category, e.g. user.contact.fax_number.")),
            .required("name", .text("Plain-English name shown in notices.")),
            .optional("special", .flag("True for special category data (UK GDPR Art 9(1)).")),
        ])
}

/// A piece of the organisation's own policy wording.
public struct Statement: Codable, Sendable, Equatable, SchemaDescribed {
    public var topic: String
    public var text: String

    public static let schema: Schema = .object(
        description: "Policy wording as published.",
        properties: [
            .required("topic", .text("What the wording is about: cookies, rights, transfers ...")),
            .required("text", .text("The wording, verbatim.")),
        ])
}
