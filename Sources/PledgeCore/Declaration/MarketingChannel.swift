/// A direct-marketing channel and what permits it (C17; PECR regs 21–23).
public struct MarketingChannel: Codable, Sendable, Equatable, SchemaDescribed {
    public var id: String
    public var channel: MarketingMedium
    public var basis: MarketingBasis
    public var audience: [String]
    public var products: MarketedProducts?
    public var sources: [String]?
    public var optOut: [OptOutRoute]
    public var tracking: EmailTracking?
    public var trackingConsent: Bool?
    public var tpsScreening: Bool?
    public var subscribers: SubscriberType?

    public static let schema: Schema = .object(
        description: "A marketing channel (C17).",
        properties: [
            .required("id", .identifier("Id of the channel.")),
            .required("channel", .oneOf(MarketingMedium.self, "The medium.")),
            .required("basis", .oneOf(MarketingBasis.self, "What permits messages on it.")),
            .required("audience", .list("Subject categories (subjects[].id) who receive it.", .identifier("A subject id."))),
            .optional("products", .oneOf(MarketedProducts.self, "Whose products are marketed; default own.")),
            .optional("sources", .list("Sources (sources[].id) of the contact details used.", .identifier("A source id."))),
            .required("opt_out", .list("How people can opt out.", .oneOf(OptOutRoute.self, "A route."))),
            .optional("tracking", .oneOf(EmailTracking.self, "Email tracking level (C19); default none.")),
            .optional("tracking_consent", .flag("True if individual tracking is only for people who consented to it.")),
            .optional("tps_screening", .flag("True if numbers are screened against TPS/CTPS (PECR reg 21).")),
            .optional("subscribers", .oneOf(SubscriberType.self, "Individual or corporate subscribers; default individual.")),
        ])
}

public enum MarketingMedium: String, Codable, Sendable, CaseIterable {
    case email
    case sms
    case phone
    case post
}

public enum MarketingBasis: String, Codable, Sendable, CaseIterable {
    case consent
    case softOptIn = "soft_opt_in"
    case legitimateInterests = "legitimate_interests"
}

public enum MarketedProducts: String, Codable, Sendable, CaseIterable {
    case own
    case ownAndPartners = "own_and_partners"
}

public enum OptOutRoute: String, Codable, Sendable, CaseIterable {
    case unsubscribeLink = "unsubscribe_link"
    case preferenceCentre = "preference_centre"
    case replyStop = "reply_stop"
    case email
    case phone
    case post
}

/// Email tracking tiers (C19).
public enum EmailTracking: String, Codable, Sendable, CaseIterable {
    case none
    case aggregate
    case individual
}

public enum SubscriberType: String, Codable, Sendable, CaseIterable {
    case individual
    case corporate
}
