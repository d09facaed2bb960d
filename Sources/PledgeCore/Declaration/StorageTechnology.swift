/// A cookie, storage key, pixel, script, embed or social button, and what it needs before it may
/// run (C11; PECR reg 6 as amended by DUAA 2025 s.112 and Sch A1).
public struct StorageTechnology: Codable, Sendable, Equatable, SchemaDescribed {
    public var id: String
    public var name: String
    public var kind: TechnologyKind
    public var party: TechnologyParty
    public var provider: String?
    public var purpose: String?
    public var category: TechnologyCategory
    public var expiry: String?
    public var hosts: [String]?
    public var consent: TechnologyConsent?
    public var load: TechnologyLoading?
    public var description: String?

    public static let schema: Schema = .object(
        description: "A storage-and-access technology (C11).",
        properties: [
            .required("id", .identifier("Id, often the cookie name.")),
            .required("name", .text("Name shown in the cookie table.")),
            .required("kind", .oneOf(TechnologyKind.self, "What it is.")),
            .required("party", .oneOf(TechnologyParty.self, "Who sets or reads it.")),
            .optional("provider", .text("The third party that provides it.")),
            .optional("purpose", .identifier("The purpose (purposes[].id) it serves.")),
            .required("category", .oneOf(TechnologyCategory.self, "Its category under PECR reg 6 and Sch A1.")),
            .optional("expiry", .text("'session' or a period such as P13M.")),
            .optional("hosts", .list("Hosts it contacts, blocked until consent.", .text("A host name."))),
            .optional("consent", .oneOf(TechnologyConsent.self, "What the organisation relies on; default follows the category.")),
            .optional("load", .oneOf(TechnologyLoading.self, "When it loads; default on_consent.")),
            .optional("description", .text("What it does, in plain English.")),
        ])

    /// What the law requires before this technology may run: consent unless strictly necessary
    /// (reg 6(4)) or within a DUAA Sch A1 exception.
    public var effectiveConsent: TechnologyConsent {
        if let consent { return consent }
        switch category {
        case .strictlyNecessary, .security: return .exempt
        default: return .optIn
        }
    }
}

public enum TechnologyKind: String, Codable, Sendable, CaseIterable {
    case cookie
    case localStorage = "local_storage"
    case sessionStorage = "session_storage"
    case pixel
    case script
    case embed
    case socialButton = "social_button"
    case applet
    case fingerprint
}

public enum TechnologyParty: String, Codable, Sendable, CaseIterable {
    case first
    case third
}

public enum TechnologyCategory: String, Codable, Sendable, CaseIterable {
    case strictlyNecessary = "strictly_necessary"
    case security
    case preference
    case statistical
    case advertising
    case social
    case embeddedContent = "embedded_content"

    public var label: String {
        switch self {
        case .strictlyNecessary: "Strictly necessary"
        case .security: "Security"
        case .preference: "Preferences and appearance"
        case .statistical: "Statistics"
        case .advertising: "Advertising"
        case .social: "Social media"
        case .embeddedContent: "Embedded content"
        }
    }
}

/// What a technology relies on. `implied`, `browser_settings` and `none` are what some policies
/// say; they are not consent (PECR reg 6, UK GDPR Art 4(11)) and the linter flags them.
public enum TechnologyConsent: String, Codable, Sendable, CaseIterable {
    case optIn = "opt_in"
    case exempt
    case statisticalException = "statistical_exception"
    case appearanceException = "appearance_exception"
    /// PECR Sch A1 (DUAA 2025 s.112): storage or access needed to locate or help a person who has
    /// asked for emergency assistance (issue 26 §6).
    case emergencyAssistanceException = "emergency_assistance_exception"
    case implied
    case browserSettings = "browser_settings"
    case none

    /// True when the technology may run before any choice (with information and a way to object
    /// for the Sch A1 exceptions).
    public var runsWithoutChoice: Bool {
        switch self {
        case .exempt, .statisticalException, .appearanceException, .emergencyAssistanceException: true
        default: false
        }
    }
}

public enum TechnologyLoading: String, Codable, Sendable, CaseIterable {
    case onConsent = "on_consent"
    case clickToLoad = "click_to_load"
    case immediate
}
