/// How the consent banner speaks (C10): its default language and the wording per language.
public struct BannerSettings: Codable, Sendable, Equatable, SchemaDescribed {
    public var defaultLanguage: String?
    public var languages: [BannerLanguage]?

    public static let schema: Schema = .object(
        description: "The consent banner's languages and wording (C10).",
        properties: [
            .optional("default_language", .text("Language shown when the visitor's browser asks for none the banner has; default en.")),
            .optional("languages", .list("Languages to add, or built-in ones (en, cy) to reword.", BannerLanguage.schema)),
        ])
}

/// The banner's wording in one language; strings left out fall back to the built-in text.
public struct BannerLanguage: Codable, Sendable, Equatable, SchemaDescribed {
    public var code: String
    public var strings: [String: String]?

    public static let schema: Schema = .object(
        description: "The banner in one language.",
        properties: [
            .required("code", .text("BCP 47 primary language tag, e.g. cy or fr.")),
            .optional(
                "strings",
                .object(
                    description: "The wording; each key defaults to the built-in text.",
                    properties: BannerText.english.map { .optional(DeclarationLoader.snakeCased($0.key), .text("English: \($0.text)")) })),
        ])
}
