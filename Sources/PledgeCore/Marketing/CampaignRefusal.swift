/// Why a campaign cannot be previewed or sent as asked (issue 28 "Bad input"); nothing is queued or
/// changed. Each has a stable code.
public enum CampaignRefusal: Error, Sendable, Equatable {
    case purposeUnknown(String)
    /// The purpose reads no email address, so its messages would reach nobody.
    case purposeReadsNoAddress(String)
    /// A service message that promotes is direct marketing (C16; CAM-25): the wording found.
    case servicePromotional(String)
    /// Service messages carry no tracking (C16, C19; CLQ-18).
    case serviceTracked
    /// The campaign asks for more tracking than its channel declares.
    case trackingNotDeclared(asked: EmailTracking, declared: EmailTracking)
    /// Individual tracking needs the channel's tracking consent purpose (PECR reg 6).
    case trackingPurposeMissing
    /// A resend to non-openers names a campaign that tracked nobody individually (C19; CLQ-23).
    case notTrackedIndividually
    /// Calls screened against the TPS and CTPS need both imported within 28 days (PECR reg 21).
    case callListsStale([CallBarring])
    /// No marketing channel of this medium is declared for the purpose, so no permission covers it.
    case channelNotDeclared(purpose: String, medium: MarketingMedium)
    /// The partner is not one the channel declares (C24).
    case partnerNotDeclared(String)
    /// A category the campaign names is not in the channel's audience.
    case categoryNotInAudience(String, audience: [String])
    /// Nobody would receive it.
    case audienceEmpty
    /// A template is not valid Mustache (an unclosed section, a bad tag): what the parser said.
    case templateInvalid(String)
    /// A template names a field the purpose does not cover.
    case undeclaredField(String, purpose: String)
    /// The declaration gives no postal address for the sender (PECR reg 23).
    case senderAddressMissing
    /// Only email campaigns are sent by Pledge itself.
    case mediumNotSent(MarketingMedium)
    case notFound
    /// It was sent already.
    case alreadySent
    /// A campaign selects by interest, and no profiling purpose for marketing is declared (OEX-24).
    case tailoringUndeclared
    /// The profiling purpose reads payment data (C42).
    case tailoringReadsPaymentData(String)
    /// The profiling purpose rests on neither consent nor an assessed legitimate interest.
    case tailoringBasis(String)
    /// An inbox campaign (CAM-22) is a message like an email: channel email only.
    case inboxNotEmail
    /// Only a campaign that is sending can be stopped.
    case notSending
    /// Only a stopped campaign can be resumed.
    case notStopped

    public var code: String {
        switch self {
        case .purposeUnknown: "purpose.unknown"
        case .purposeReadsNoAddress: "campaign.purpose-reads-no-address"
        case .servicePromotional: "campaign.service-promotional"
        case .serviceTracked: "campaign.service-tracked"
        case .trackingNotDeclared: "campaign.tracking-not-declared"
        case .trackingPurposeMissing: "campaign.tracking-purpose-missing"
        case .notTrackedIndividually: "campaign.not-tracked-individually"
        case .callListsStale: "marketing.call-lists-stale"
        case .channelNotDeclared: "marketing.channel-not-declared"
        case .partnerNotDeclared: "marketing.partner-not-declared"
        case .categoryNotInAudience: "marketing.category-not-in-audience"
        case .audienceEmpty: "campaign.audience-empty"
        case .templateInvalid: "campaign.template-invalid"
        case .undeclaredField: "campaign.template-undeclared-field"
        case .senderAddressMissing: "campaign.sender-address-missing"
        case .mediumNotSent: "campaign.medium-not-sent"
        case .notFound: "campaign.not-found"
        case .alreadySent: "campaign.already-sent"
        case .notSending: "campaign.not-sending"
        case .inboxNotEmail: "campaign.inbox-channel"
        case .tailoringUndeclared: "campaign.tailoring-undeclared"
        case .tailoringReadsPaymentData: "campaign.tailoring-payment-data"
        case .tailoringBasis: "campaign.tailoring-basis"
        case .notStopped: "campaign.not-stopped"
        }
    }

    public var message: String {
        switch self {
        case .purposeUnknown(let purpose): "No purpose '\(purpose)' is declared."
        case .purposeReadsNoAddress(let purpose):
            "Purpose '\(purpose)' covers no email address category (e.g. user.contact.email), so Pledge could address nobody."
        case .servicePromotional(let wording):
            "A service message may not promote ('\(wording)'): one that does is direct marketing (ICO direct marketing guidance). Send it on a marketing purpose."
        case .serviceTracked: "Service messages carry no tracking (C16): use tracking none."
        case .trackingNotDeclared(let asked, let declared):
            "The channel declares tracking '\(declared.rawValue)'; this campaign asks for '\(asked.rawValue)'."
        case .trackingPurposeMissing:
            "Individual tracking needs the channel's tracking_purpose: a consent purpose whose grant allows a pixel and personal links (PECR reg 6)."
        case .notTrackedIndividually:
            "That campaign tracked nobody individually, so nobody is known not to have opened it; only people tracked with their consent can be selected."
        case .callListsStale(let lists):
            "Calls must be screened against lists no older than 28 days (PECR reg 21): import \(lists.map(\.rawValue).joined(separator: " and ")) with `pledge marketing import-call-barring`."
        case .channelNotDeclared(let purpose, let medium):
            "No \(medium.rawValue) marketing channel is declared for '\(purpose)', so no PECR permission covers it; declare one under marketing:."
        case .partnerNotDeclared(let partner):
            "'\(partner)' is not a partner of this channel (marketing[].partners with products: own_and_partners)."
        case .categoryNotInAudience(let category, let audience):
            "'\(category)' is not in the channel's audience; it reaches: \(audience.joined(separator: ", "))."
        case .audienceEmpty: "Nobody in this audience may receive the campaign; the preview lists why each person is excluded."
        case .undeclaredField(let field, let purpose):
            "The template names '\(field)', which purpose '\(purpose)' does not cover; use its categories (e.g. {{user.name}}) or unsubscribe_url, organisation."
        case .templateInvalid(let problem): "A template is not valid Mustache: \(problem)."
        case .senderAddressMissing:
            "Marketing must name the sender and a postal address (PECR reg 23); declare organisation.registered_office, addresses or contact.post."
        case .mediumNotSent(let medium): "Pledge sends email campaigns; \(medium.rawValue) campaigns are decided by the preview and sent by you."
        case .notFound: "No such campaign."
        case .alreadySent: "This campaign was sent already; make a new one."
        case .notSending: "Only a campaign that is sending can be stopped."
        case .inboxNotEmail: "An inbox campaign is decided and written as email: use channel email."
        case .tailoringUndeclared:
            "Choosing people by interest is profiling (UK GDPR Art 4(4)); declare a direct-marketing purpose with profiling: true that holds their interests."
        case .tailoringReadsPaymentData(let category):
            "The profiling purpose reads '\(category)'; payment data is never used for marketing or profiling (C42)."
        case .tailoringBasis(let purpose):
            "Profiling purpose '\(purpose)' needs consent, or legitimate interests with an LIA, before it can tailor marketing (Art 6(1))."
        case .notStopped: "Only a stopped campaign can be resumed."
        }
    }
}

extension MarketingPermissionRule {
    /// The subject categories a campaign reaches: those it names, or else its channel's whole audience
    /// (a service purpose's: the subjects it declares).
    public func audience(for question: MarketingQuestion, categories: Set<String>) -> Set<String> {
        guard categories.isEmpty else { return categories }
        if let purpose = servicePurpose(question.purpose) { return Set(purpose.subjects) }
        return Set(channel(for: question)?.audience ?? [])
    }

    /// Why `question` aimed at `categories` cannot go out as a campaign under this declaration; nil
    /// when it can. With no categories it aims at the channel's whole audience.
    public func refusal(for question: MarketingQuestion, categories: [String]) -> CampaignRefusal? {
        guard knows(purpose: question.purpose) else { return .purposeUnknown(question.purpose) }
        if let purpose = servicePurpose(question.purpose) {
            return ServiceMessageRule.refusal(for: question, purpose: purpose, categories: categories)
        }
        guard let channel = channel(for: question) else { return .channelNotDeclared(purpose: question.purpose, medium: question.medium) }
        if let partner = question.partner, channel.products != .ownAndPartners || !(channel.partners ?? []).contains(partner) {
            return .partnerNotDeclared(partner)
        }
        if let outside = categories.first(where: { !channel.audience.contains($0) }) {
            return .categoryNotInAudience(outside, audience: channel.audience)
        }
        return nil
    }
}
