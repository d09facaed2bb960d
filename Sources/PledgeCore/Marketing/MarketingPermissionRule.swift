import Foundation

/// One marketing message in question: its purpose, medium and, when it markets a partner's
/// products, the partner (`recipients[].id`).
public struct MarketingQuestion: Sendable, Equatable {
    public var purpose: String
    public var medium: MarketingMedium
    public var partner: String?

    public init(purpose: String, medium: MarketingMedium, partner: String? = nil) {
        self.purpose = purpose
        self.medium = medium
        self.partner = partner
    }
}

/// What the rule needs to know about one person, all from the vault and the suppression list.
public struct MarketingContact: Sendable, Equatable {
    public var state: SubjectState
    /// How their details were obtained; nil when nobody recorded it.
    public var provenance: ContactProvenance?
    /// Why their address or number is suppressed, if it is.
    public var suppression: SuppressionReason?
    /// The call-barring list their number is on, if any (phone only).
    public var barring: CallBarring?
    /// Whether the vault holds an address or number for the medium (post: always).
    public var reachable: Bool
    /// Until when they paused marketing, if they did (issue 28 §5).
    public var pausedUntil: Date?

    public init(
        state: SubjectState, provenance: ContactProvenance? = nil, suppression: SuppressionReason? = nil, barring: CallBarring? = nil,
        reachable: Bool = true, pausedUntil: Date? = nil
    ) {
        self.pausedUntil = pausedUntil
        self.state = state
        self.provenance = provenance
        self.suppression = suppression
        self.barring = barring
        self.reachable = reachable
    }
}

/// Decides whether one direct-marketing message may go to one person (issue 28 §1; C17, C18, C24),
/// from the declaration's marketing channels and what the vault holds about them; the answer names
/// the ground that allows it or the rule that refuses it. PECR regs 21, 22 and 23 as amended by the
/// Data (Use and Access) Act 2025; UK GDPR Art 18, 21(3); ICO direct marketing guidance.
///
/// Built once per declaration; a decision is a dictionary look-up and a few comparisons.
public struct MarketingPermissionRule: Sendable {
    private let purposes: Set<String>
    private let marketingPurposes: Set<String>
    /// Declared purposes that are not direct marketing: their messages are service messages (C16).
    private let servicePurposes: [String: Purpose]
    /// Digest purposes and their default frequency (CAM-23).
    private let digests: [String: DigestFrequency]
    /// Channels by medium, in declaration order.
    private let channels: [MarketingMedium: [MarketingChannel]]
    private let isCharity: Bool
    private let listSources: Set<String>
    /// Selecting people by interest (OEX-24): the declared profiling purpose and its rules.
    public let tailoring: TailoringRule

    public init(_ declaration: Declaration) {
        purposes = Set(declaration.purposes.map(\.id))
        marketingPurposes = Set(declaration.purposes.filter(\.isDirectMarketing).map(\.id))
        digests = Dictionary(declaration.purposes.compactMap { purpose in purpose.digest.map { (purpose.id, $0) } }) { first, _ in first }
        servicePurposes = Dictionary(declaration.purposes.filter { !$0.isDirectMarketing }.map { ($0.id, $0) }) { first, _ in first }
        channels = Dictionary(grouping: declaration.marketing ?? [], by: \.channel)
        isCharity = declaration.organisation.charity == true
        tailoring = TailoringRule(declaration)
        // Details from these did not come from the person to this organisation.
        listSources = Set(declaration.sources.filter { $0.kind == .listVendor || $0.kind == .thirdParty }.map(\.id))
    }

    /// Whether `purpose` is declared.
    public func knows(purpose: String) -> Bool { purposes.contains(purpose) }

    /// Whether `purpose` is declared as direct marketing.
    public func isMarketing(purpose: String) -> Bool { marketingPurposes.contains(purpose) }

    /// The channel that carries `question`'s messages, if one is declared.
    public func channel(for question: MarketingQuestion) -> MarketingChannel? {
        (channels[question.medium] ?? []).first { $0.purposes?.contains(question.purpose) ?? true }
    }

    /// The frequency a digest purpose's messages go at until people choose; nil when `purpose` is not a digest purpose.
    public func digest(of purpose: String) -> DigestFrequency? { digests[purpose] }

    /// Whether `purpose`'s messages are marketing or service messages (C16).
    public func kind(of purpose: String) -> MessageKind { servicePurpose(purpose) == nil ? .marketing : .service }

    /// The declared purpose `id` when it is not direct marketing: its messages are service messages.
    public func servicePurpose(_ id: String) -> Purpose? { servicePurposes[id] }

    /// Decides one message to one person: a service purpose's by `ServiceMessageRule`, a marketing one's by PECR.
    public func decide(_ question: MarketingQuestion, for contact: MarketingContact, at instant: Date) -> MarketingVerdict {
        asking(question).decide(for: contact, at: instant)
    }

    /// The rule for one question, its kind and channel found once: what a campaign's audience asks of each person.
    public func asking(_ question: MarketingQuestion) -> Asked {
        Asked(rule: self, question: question, isMarketing: marketingPurposes.contains(question.purpose), channel: channel(for: question))
    }

    /// One question asked of many people (`asking(_:)`).
    public struct Asked: Sendable {
        let rule: MarketingPermissionRule
        public let question: MarketingQuestion
        let isMarketing: Bool
        let channel: MarketingChannel?

        /// Decides the message to one person.
        public func decide(for contact: MarketingContact, at instant: Date) -> MarketingVerdict {
            guard isMarketing else {
                guard let purpose = rule.servicePurposes[question.purpose] else { return .refused(.notMarketing(purpose: question.purpose)) }
                return ServiceMessageRule.decide(question.medium, purpose: purpose, for: contact)
            }
            guard let channel else { return .refused(.channelNotDeclared(question.medium)) }
            return rule.decide(question, on: channel, for: contact, at: instant)
        }
    }

    /// PECR's decision for a marketing message on its declared `channel`.
    private func decide(
        _ question: MarketingQuestion, on channel: MarketingChannel, for contact: MarketingContact, at instant: Date
    )
        -> MarketingVerdict
    {
        let state = contact.state
        // The suppression list and an objection hold whatever the permission (Art 21(3); PECR reg 23).
        if let suppression = contact.suppression { return .refused(.suppressed(suppression)) }
        guard contact.reachable else { return .refused(.noAddress) }
        if let objected = state.marketingObjection ?? state.objections[question.purpose]?.at { return .refused(.objected(at: objected)) }
        if let until = contact.pausedUntil, instant < until { return .refused(.paused(until: until)) }
        if state.restricted { return .refused(.restricted) }
        if state.isChild { return .refused(.child) }
        if !state.categories.isEmpty, state.categories.isDisjoint(with: channel.audience) { return .refused(.notInAudience) }

        let medium = question.medium.rawValue
        let consent = state.consents.status(purpose: question.purpose, channel: medium)
        if let partner = question.partner {
            // C24: a partner's products only with consent naming the partner, on a channel that declares it.
            guard channel.products == .ownAndPartners, channel.partners?.contains(partner) ?? false,
                state.consents.status(purpose: question.purpose, recipient: partner, channel: medium).isGranted
            else { return .refused(.partnerConsentAbsent(partner: partner)) }
            return .allowed(.consent)
        }
        if case .withdrawn(let at) = consent { return .refused(.consentWithdrawn(at: at)) }
        let electronic = question.medium == .email || question.medium == .sms
        let boughtIn = contact.provenance.map { $0.obtained == .boughtIn || $0.source.map(listSources.contains) == true } ?? false

        switch channel.effectivePermission {
        case .consent?:
            return consent.isGranted ? .allowed(.consent) : .refused(.consentAbsent)
        case _ where consent.isGranted:
            // Consent given to this organisation allows any channel that could rely on less.
            return .allowed(.consent)
        case _ where electronic && boughtIn:
            return .refused(.boughtInList)
        case .softOptIn?:
            return softOptIn(channel, contact.provenance, electronic: electronic)
        case .corporateSubscriber?:
            guard electronic else { return .refused(.noPermission) }
            guard let provenance = contact.provenance else { return .refused(.provenanceUnknown) }
            return provenance.subscriber.isIndividualSubscriber
                ? .refused(.individualSubscriber(provenance.subscriber)) : .allowed(.corporateSubscriber)
        case .notRequired?:
            switch question.medium {
            case .post: return .allowed(.legitimateInterests)
            case .phone:
                if let barring = contact.barring { return .refused(.callBarred(barring)) }
                return channel.tpsScreening == true ? .allowed(.screenedCall) : .refused(.noPermission)
            case .email, .sms:
                // PECR reg 22(2): only a company's address needs no permission of its own.
                guard let provenance = contact.provenance else { return .refused(.provenanceUnknown) }
                return provenance.subscriber.isIndividualSubscriber
                    ? .refused(.individualSubscriber(provenance.subscriber)) : .allowed(.corporateSubscriber)
            }
        case nil:
            return .refused(electronic ? .consentAbsent : .noPermission)
        }
    }

    /// PECR reg 22(3): details obtained from the person in a sale or negotiations for one, own similar
    /// products only, a simple way to refuse given at collection (and in every message, which the
    /// sender adds); reg 22(3A) (DUAA 2025 s.114): a charity's supporters, for its charitable purposes.
    private func softOptIn(_ channel: MarketingChannel, _ provenance: ContactProvenance?, electronic: Bool) -> MarketingVerdict {
        guard electronic else { return .refused(.softOptInNotApplicable("the soft opt-in covers email and SMS only")) }
        guard let provenance else { return .refused(.provenanceUnknown) }
        guard channel.products != .ownAndPartners else {
            return .refused(.softOptInNotApplicable("it covers the sender's own similar products only, not partners'"))
        }
        switch provenance.obtained {
        case .sale, .negotiation: break
        case .supporter where isCharity: break
        default:
            return .refused(.softOptInNotApplicable("their details were not obtained in a sale or negotiations for one"))
        }
        guard provenance.refusalOffered else {
            return .refused(.softOptInNotApplicable("they were not given a simple way to refuse when their details were collected"))
        }
        return .allowed(.softOptIn)
    }
}
