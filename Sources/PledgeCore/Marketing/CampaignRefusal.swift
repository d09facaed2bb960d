/// Why a campaign cannot be previewed or sent as asked (issue 28 "Bad input"); nothing is queued or
/// changed. Each has a stable code.
public enum CampaignRefusal: Error, Sendable, Equatable {
    case purposeUnknown(String)
    /// The purpose is declared but is not direct marketing: service messages have rules of their own (C16).
    case notMarketing(String)
    /// No marketing channel of this medium is declared for the purpose, so no permission covers it.
    case channelNotDeclared(purpose: String, medium: MarketingMedium)
    /// The partner is not one the channel declares (C24).
    case partnerNotDeclared(String)
    /// A category the campaign names is not in the channel's audience.
    case categoryNotInAudience(String, audience: [String])
    /// Nobody would receive it.
    case audienceEmpty

    public var code: String {
        switch self {
        case .purposeUnknown: "purpose.unknown"
        case .notMarketing: "marketing.purpose-not-marketing"
        case .channelNotDeclared: "marketing.channel-not-declared"
        case .partnerNotDeclared: "marketing.partner-not-declared"
        case .categoryNotInAudience: "marketing.category-not-in-audience"
        case .audienceEmpty: "campaign.audience-empty"
        }
    }

    public var message: String {
        switch self {
        case .purposeUnknown(let purpose): "No purpose '\(purpose)' is declared."
        case .notMarketing(let purpose):
            "Purpose '\(purpose)' is not direct marketing (its data_use is not under marketing); service messages are sent as such, never as a campaign."
        case .channelNotDeclared(let purpose, let medium):
            "No \(medium.rawValue) marketing channel is declared for '\(purpose)', so no PECR permission covers it; declare one under marketing:."
        case .partnerNotDeclared(let partner):
            "'\(partner)' is not a partner of this channel (marketing[].partners with products: own_and_partners)."
        case .categoryNotInAudience(let category, let audience):
            "'\(category)' is not in the channel's audience; it reaches: \(audience.joined(separator: ", "))."
        case .audienceEmpty: "Nobody in this audience may receive the campaign; the preview lists why each person is excluded."
        }
    }
}

extension MarketingPermissionRule {
    /// Why `question` aimed at `categories` cannot go out as a campaign under this declaration; nil
    /// when it can. With no categories it aims at the channel's whole audience.
    public func refusal(for question: MarketingQuestion, categories: [String]) -> CampaignRefusal? {
        guard knows(purpose: question.purpose) else { return .purposeUnknown(question.purpose) }
        guard isMarketing(purpose: question.purpose) else { return .notMarketing(question.purpose) }
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
