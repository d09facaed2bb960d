import Foundation

/// What allows one marketing message to one person (issue 28 §1; C17).
public enum MarketingGround: String, Codable, Sendable, Equatable {
    /// Their consent to this sender's messages on this channel is in the ledger (PECR reg 22(2), reg 21(1)).
    case consent
    /// The soft opt-in (PECR reg 22(3); charities reg 22(3A)).
    case softOptIn = "soft_opt_in"
    /// A company's address on legitimate interests, objection honoured (PECR reg 22 covers individual subscribers only).
    case corporateSubscriber = "corporate_subscriber"
    /// Post on legitimate interests: outside PECR, objection honoured (UK GDPR Art 6(1)(f), Art 21(3)).
    case legitimateInterests = "legitimate_interests"
    /// A live call to a number screened against TPS, CTPS and the do-not-call list (PECR reg 21).
    case screenedCall = "screened_call"
    /// A service message on its purpose's own basis, not direct marketing (UK GDPR Art 6(1)(b), (c), (f); C16).
    case service
}

/// Why one marketing message may not go to one person: a stable code, and the rule that says so.
public enum MarketingRefusal: Sendable, Equatable, Error {
    /// The purpose is not a declared direct-marketing purpose.
    case notMarketing(purpose: String)
    /// No marketing channel of this medium is declared for the purpose.
    case channelNotDeclared(MarketingMedium)
    /// The address or number is on the suppression list.
    case suppressed(SuppressionReason)
    /// The vault holds no address or number of theirs for the medium.
    case noAddress
    /// They objected to direct marketing (absolute).
    case objected(at: Date)
    /// They paused marketing until then (preference centre).
    case paused(until: Date)
    case restricted
    case child
    /// Not in the channel's audience.
    case notInAudience
    case consentAbsent
    case consentWithdrawn(at: Date)
    /// The channel relies on the soft opt-in, and it does not apply to them (the reason says why).
    case softOptInNotApplicable(String)
    /// From a bought-in list: email and SMS need consent given directly to this organisation.
    case boughtInList
    /// Marketing a partner's products needs consent that names the partner.
    case partnerConsentAbsent(partner: String)
    /// The channel relies on the corporate-subscriber rule, and they are an individual subscriber.
    case individualSubscriber(SubscriberKind)
    /// The rule needs how their details were obtained, and the vault does not say.
    case provenanceUnknown
    /// The number is on a call-barring list.
    case callBarred(CallBarring)
    /// The channel declares no PECR permission that covers this medium.
    case noPermission
    /// Tailoring (OEX-24): they objected to the profiling purpose, or to direct marketing, then.
    case profilingObjected(at: Date)
    /// Tailoring on consent, and they have not given it.
    case profilingConsentAbsent
    /// Tailoring: none of the campaign's topics is among their interests.
    case notInterested
    /// An inbox campaign (CAM-22), and they have no account, so no inbox.
    case noInbox

    /// The stable code, for APIs and the campaign preview.
    public var code: String {
        switch self {
        case .notMarketing: "not_marketing"
        case .channelNotDeclared: "channel_not_declared"
        case .suppressed: "suppressed"
        case .noAddress: "no_address"
        case .objected: "objected"
        case .paused: "paused"
        case .restricted: "restricted"
        case .child: "child"
        case .notInAudience: "not_in_audience"
        case .consentAbsent: "no_consent"
        case .consentWithdrawn: "consent_withdrawn"
        case .softOptInNotApplicable: "soft_opt_in_not_applicable"
        case .boughtInList: "bought_in_list"
        case .partnerConsentAbsent: "no_partner_consent"
        case .individualSubscriber: "individual_subscriber"
        case .provenanceUnknown: "provenance_unknown"
        case .callBarred: "call_barred"
        case .noPermission: "no_permission"
        case .profilingObjected: "profiling_objected"
        case .profilingConsentAbsent: "no_profiling_consent"
        case .notInterested: "not_interested"
        case .noInbox: "no_inbox"
        }
    }

    /// One refusal of each kind, for reading a stored code back as its rule.
    public static let representatives: [MarketingRefusal] = [
        .notMarketing(purpose: ""), .channelNotDeclared(.email), .suppressed(.unsubscribed), .noAddress,
        .objected(at: Date(timeIntervalSince1970: 0)), .paused(until: Date(timeIntervalSince1970: 0)),
        .restricted, .child, .notInAudience, .consentAbsent, .consentWithdrawn(at: Date(timeIntervalSince1970: 0)), .softOptInNotApplicable(""),
        .boughtInList, .partnerConsentAbsent(partner: ""), .individualSubscriber(.soleTrader), .provenanceUnknown, .callBarred(.tps), .noPermission,
        .profilingObjected(at: Date(timeIntervalSince1970: 0)), .profilingConsentAbsent, .notInterested, .noInbox,
    ]

    /// The rule of the refusal whose code is `code`, if there is one.
    public static func rule(forCode code: String) -> String? { representatives.first { $0.code == code }?.rule }

    /// The law or guidance the refusal rests on.
    public var rule: String {
        switch self {
        case .notMarketing, .channelNotDeclared: "UK GDPR Art 5(1)(b): only declared purposes and channels"
        case .suppressed(let reason):
            reason == .hardBounce || reason == .complaint
                ? "ICO direct marketing guidance: suppression list" : "UK GDPR Art 21(3); PECR reg 23; ICO suppression list"
        case .noAddress: "Nothing to send to"
        case .objected: "UK GDPR Art 21(3): an objection to direct marketing is absolute"
        case .paused: "The person's own choice in the preference centre: marketing paused"
        case .restricted: "UK GDPR Art 18(2)"
        case .child: "UK GDPR recital 38; ICO direct marketing guidance (children)"
        case .notInAudience: "The declaration's marketing audience"
        case .consentAbsent, .consentWithdrawn: "PECR reg 22(2) (email, SMS), reg 21 (calls); UK GDPR Art 7(3)"
        case .softOptInNotApplicable: "PECR reg 22(3); reg 22(3A) for charities (DUAA 2025 s.114)"
        case .boughtInList: "PECR reg 22(2); ICO direct marketing guidance (bought-in lists)"
        case .partnerConsentAbsent: "PECR reg 22(2); ICO: consent must name the third party"
        case .individualSubscriber: "PECR reg 2, reg 22: sole traders and partnerships are individual subscribers"
        case .provenanceUnknown: "PECR reg 22(3): the permission depends on how the details were obtained"
        case .callBarred: "PECR reg 21(1)(b), 21(1)(c) (TPS/CTPS)"
        case .noPermission: "PECR reg 22(2): a UK GDPR basis is not a PECR permission"
        case .profilingObjected: "UK GDPR Art 21(2)-(3): an objection to profiling for direct marketing is absolute"
        case .profilingConsentAbsent: "UK GDPR Art 6(1)(a): the profiling purpose rests on consent"
        case .notInterested: "The campaign's topics: none is among the person's interests"
        case .noInbox: "CAM-22: an inbox comes with an account, and they have none"
        }
    }
}

/// Allowed, with the ground, or refused, with the rule.
public enum MarketingVerdict: Sendable, Equatable {
    case allowed(MarketingGround)
    case refused(MarketingRefusal)

    public var isAllowed: Bool {
        if case .allowed = self { return true }
        return false
    }
}
