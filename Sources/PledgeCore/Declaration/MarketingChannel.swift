/// A direct-marketing channel and what permits it (C17; PECR regs 21–23).
public struct MarketingChannel: Codable, Sendable, Equatable, SchemaDescribed {
    public var id: String
    public var channel: MarketingMedium
    /// The UK GDPR Art 6 basis. The legacy value `soft_opt_in` reads as the soft opt-in permission on legitimate interests.
    public var basis: MarketingBasis
    /// What PECR permits messages on (regs 21–22), declared apart from the Art 6 basis; when absent it is read from `basis`.
    public var permission: MarketingPermission?
    public var audience: [String]
    /// The direct-marketing purposes (`purposes[].id`) whose messages go out on this channel; nil: every one.
    public var purposes: [String]?
    public var products: MarketedProducts?
    /// Partners (`recipients[].id`) whose products the channel may market, each only with consent naming them (C24).
    public var partners: [String]?
    public var sources: [String]?
    public var optOut: [OptOutRoute]
    public var tracking: EmailTracking?
    public var trackingConsent: Bool?
    /// The consent purpose (`purposes[].id`) whose grant allows individual tracking (C19): separate from
    /// the marketing permission and withdrawable on its own.
    public var trackingPurpose: String?
    public var tpsScreening: Bool?
    public var subscribers: SubscriberType?

    public static let schema: Schema = .object(
        description: "A marketing channel (C17).",
        properties: [
            .required("id", .identifier("Id of the channel.")),
            .required("channel", .oneOf(MarketingMedium.self, "The medium.")),
            .required(
                "basis", .oneOf(MarketingBasis.self, "The UK GDPR Art 6 basis (soft_opt_in is read as the soft opt-in on legitimate interests).")),
            .optional(
                "permission",
                .oneOf(
                    MarketingPermission.self,
                    "What PECR permits messages on: consent, soft_opt_in, corporate_subscriber, or not_required (post, screened live calls); default read from basis."
                )),
            .required("audience", .list("Subject categories (subjects[].id) who receive it.", .identifier("A subject id."))),
            .optional(
                "purposes",
                .list(
                    "Direct-marketing purposes (purposes[].id) whose messages go out on this channel; default every one.",
                    .identifier("A purpose id."))),
            .optional("products", .oneOf(MarketedProducts.self, "Whose products are marketed; default own.")),
            .optional(
                "partners",
                .list(
                    "Partners (recipients[].id) whose products may be marketed, each only to people whose consent names them (C24).",
                    .identifier("A recipient id."))),
            .optional("sources", .list("Sources (sources[].id) of the contact details used.", .identifier("A source id."))),
            .required("opt_out", .list("How people can opt out.", .oneOf(OptOutRoute.self, "A route."))),
            .optional("tracking", .oneOf(EmailTracking.self, "Email tracking level (C19); default none.")),
            .optional("tracking_consent", .flag("True if individual tracking is only for people who consented to it.")),
            .optional(
                "tracking_purpose",
                .identifier(
                    "The consent purpose (purposes[].id) whose grant allows individual open and click tracking; without it nobody is tracked individually."
                )),
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

extension MarketingMedium {
    /// How a person reads it: "email", "SMS", "phone", "post".
    public var label: String {
        switch self {
        case .email: "email"
        case .sms: "SMS"
        case .phone: "phone"
        case .post: "post"
        }
    }
}

public enum MarketingBasis: String, Codable, Sendable, CaseIterable {
    case consent
    case softOptIn = "soft_opt_in"
    case legitimateInterests = "legitimate_interests"
}

/// What PECR permits a marketing channel on, as distinct from the UK GDPR basis (issue 26 §1).
public enum MarketingPermission: String, Codable, Sendable, CaseIterable {
    /// PECR reg 22(2) (email, SMS), reg 21(1) (calls): the person agreed to this sender's messages.
    case consent
    /// PECR reg 22(3): details obtained in a sale or negotiations, own similar products; reg 22(3A) (DUAA 2025 s.114) for charities.
    case softOptIn = "soft_opt_in"
    /// PECR reg 22 protects individual subscribers only: a company's employee at a company address (never sole traders or partnerships).
    case corporateSubscriber = "corporate_subscriber"
    /// Post is outside PECR; live calls need no consent when screened against TPS/CTPS (reg 21).
    case notRequired = "not_required"
}

extension MarketingChannel {
    /// The PECR permission this channel relies on: the declared one, or the one its `basis` implies; nil when there is none.
    public var effectivePermission: MarketingPermission? {
        if let permission { return permission }
        switch basis {
        case .consent: return .consent
        case .softOptIn: return .softOptIn
        case .legitimateInterests:
            switch channel {
            case .post: return .notRequired
            case .phone: return tpsScreening == true ? .notRequired : nil
            case .email, .sms: return subscribers == .corporate ? .corporateSubscriber : nil
            }
        }
    }
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

/// Email tracking tiers (C19), least first.
public enum EmailTracking: String, Codable, Sendable, CaseIterable, Comparable {
    /// No pixel, no rewritten link (service messages).
    case none
    /// Campaign-level link tags, no recipient token: nobody can tell who clicked.
    case aggregate
    /// An open pixel and click redirects per recipient, only with their tracking consent.
    case individual

    private var rank: Int {
        switch self {
        case .none: 0
        case .aggregate: 1
        case .individual: 2
        }
    }

    public static func < (a: EmailTracking, b: EmailTracking) -> Bool { a.rank < b.rank }
}

public enum SubscriberType: String, Codable, Sendable, CaseIterable {
    case individual
    case corporate
}
