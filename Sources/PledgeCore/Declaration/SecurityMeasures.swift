/// Technical and organisational measures (C38; UK GDPR Art 32, Art 30(1)(g)).
public struct SecurityMeasures: Codable, Sendable, Equatable, SchemaDescribed {
    public var tls: Bool
    public var encryptionAtRest: Bool?
    public var firewall: Bool?
    public var mfaForAdmins: Bool?
    public var reviewInterval: RetentionPeriod?
    /// When security was last reviewed; the next review is due `reviewInterval` (default a year) later.
    public var reviewed: CalendarDate?
    public var description: String?

    public static let schema: Schema = .object(
        description: "Security measures (C38).",
        properties: [
            .required("tls", .flag("True if every page and API is served over TLS 1.2 or later.")),
            .optional("encryption_at_rest", .flag("True if stored personal data is encrypted.")),
            .optional("firewall", .flag("True if networks are firewalled.")),
            .optional("mfa_for_admins", .flag("True if administrators use multi-factor authentication.")),
            .optional("review_interval", .string(description: "How often security is reviewed, e.g. P12M.", format: .period)),
            .optional("reviewed", .date("When security was last reviewed.")),
            .optional("description", .text("General description of the measures, for the Art 30 record.")),
        ])
}

/// Personal-data breach handling (C39; UK GDPR Arts 33–34).
public struct BreachPolicy: Codable, Sendable, Equatable, SchemaDescribed {
    public var icoNotificationHours: Int
    public var notifyIndividualsWhenHighRisk: Bool
    public var register: Bool?

    public static let schema: Schema = .object(
        description: "Breach handling (C39).",
        properties: [
            .required("ico_notification_hours", .integer(description: "Hours from awareness to notify the ICO; 72 at most.", minimum: 1)),
            .required("notify_individuals_when_high_risk", .flag("True if people are told without undue delay when the risk is high.")),
            .optional("register", .flag("True if every breach is recorded (Art 33(5)).")),
        ])
}

/// How user-posted content is shown (C21; UK GDPR Art 25(2)).
public struct PublicContentPolicy: Codable, Sendable, Equatable, SchemaDescribed {
    public var defaultDisplay: PublicDisplay
    public var publicWarning: Bool?

    public static let schema: Schema = .object(
        description: "Comments and other public content (C21).",
        properties: [
            .required("default_display", .oneOf(PublicDisplay.self, "What is shown next to a post unless the poster chooses otherwise.")),
            .optional("public_warning", .flag("True if posters are told the content will be public.")),
        ])
}

public enum PublicDisplay: String, Codable, Sendable, CaseIterable {
    case anonymous
    case firstName = "first_name"
    case fullName = "full_name"
    case fullNameAndCountry = "full_name_and_country"
}
