import Foundation

/// Who may receive a service message, and what one may not say (issue 28 §6; C16). A message whose
/// purpose is not direct marketing (an account notice, an invoice, a digest the person asked for) is
/// sent on that purpose's own basis: PECR reg 22 governs unsolicited marketing only, so an unsubscribe
/// or an objection to marketing does not stop it (OEX-37). It carries no tracking and nothing that
/// promotes: a message that does is direct marketing whatever purpose it names (ICO direct marketing
/// guidance, "service messages"; Privacy and Electronic Communications Regulations reg 22).
/// A message's kind, by its purpose (C16).
public enum MessageKind: String, Sendable, Equatable {
    /// Direct marketing: PECR permission, suppression, unsubscribe, tracking as consented.
    case marketing
    /// On the purpose's own basis: reaches people who opted out of marketing; no tracking, nothing promotional.
    case service
}

public enum ServiceMessageRule {
    /// Decides one service message of `purpose` on `medium` to one person.
    public static func decide(_ medium: MarketingMedium, purpose: Purpose, for contact: MarketingContact) -> MarketingVerdict {
        guard medium == .email else { return .refused(.channelNotDeclared(medium)) }
        // An address that bounced hard cannot be delivered to; an unsubscribe or a complaint about
        // marketing does not stop service messages.
        if contact.suppression == .hardBounce { return .refused(.suppressed(.hardBounce)) }
        guard contact.reachable else { return .refused(.noAddress) }
        let state = contact.state
        // UK GDPR Art 21(1): an objection to this purpose holds unless the controller recorded compelling grounds.
        if purpose.basis?.carriesRightToObject == true, let objection = state.objections[purpose.id], objection.compellingGrounds == nil {
            return .refused(.objected(at: objection.at))
        }
        if state.restricted { return .refused(.restricted) }
        if !state.categories.isEmpty, state.categories.isDisjoint(with: purpose.subjects) { return .refused(.notInAudience) }
        if purpose.basis == .consent {
            let consent = state.consents.status(purpose: purpose.id)
            if case .withdrawn(let at) = consent { return .refused(.consentWithdrawn(at: at)) }
            guard consent.isGranted else { return .refused(.consentAbsent) }
        }
        return .allowed(.service)
    }

    /// Why a service campaign of `purpose` cannot go out as asked; nil when it can.
    public static func refusal(for question: MarketingQuestion, purpose: Purpose, categories: [String]) -> CampaignRefusal? {
        guard question.medium == .email else { return .mediumNotSent(question.medium) }
        if let partner = question.partner { return .partnerNotDeclared(partner) }
        if let outside = categories.first(where: { !purpose.subjects.contains($0) }) {
            return .categoryNotInAudience(outside, audience: purpose.subjects)
        }
        return nil
    }

    /// Wording that promotes: offers, prices cut, calls to buy. Checked over a service message's
    /// templates; its presence makes the message direct marketing (CAM-25).
    static let promotional = [
        "\\d+\\s?% off", "\\bdiscount", "\\bspecial offers?\\b", "\\bexclusive offers?\\b", "\\blimited[- ]time\\b", "\\bbuy now\\b",
        "\\bshop now\\b", "\\bsale ends\\b", "\\bpromo(tional)? codes?\\b", "\\bcoupons?\\b", "\\bfree trial\\b", "\\bupgrade (now|today)\\b",
        "\\bdon.t miss\\b", "\\bnew products?\\b", "\\bsave £?\\d", "\\bbest price",
    ].map(TextPattern.init)

    /// The first promotional phrase in `texts`, as written; nil when they promote nothing.
    public static func promotionalWording(in texts: [String]) -> String? {
        for text in texts {
            for pattern in promotional {
                if let found = pattern.firstMatch(in: text) { return found }
            }
        }
        return nil
    }
}
