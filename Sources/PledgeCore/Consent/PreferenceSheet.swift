import Crypto
import Foundation

/// The choices one person can make about our use of their data, as the privacy centre shows them
/// (issue 5 §9; C10, C17, C34): consents they can give or withdraw (UK GDPR Art 7(3): withdrawing is as
/// easy as giving), processing on legitimate interests or a public task they can object to (Art 21(1)),
/// and direct marketing they can stop (Art 21(2)-(3); PECR reg 22).
public struct PreferenceSheet: Sendable, Equatable {
    /// A consent-based purpose and whether consent stands.
    public struct Consent: Sendable, Equatable {
        public var purpose: String
        public var name: String
        public var given: Bool
        /// Consent to marketing cannot take effect while all marketing is stopped.
        public var isDirectMarketing: Bool
        /// The exact words beside the box; their SHA-256 goes in the ledger as proof (Art 7(1)).
        public var wording: String { "I agree that you may use my data to: \(name)" }
        /// A marketing purpose sent on more than one channel on consent: a box for each, so the person
        /// can keep the newsletter by email and stop it by SMS (issue 28 §5; PECR reg 22 is per channel).
        public var channels: [Channel] = []

        /// The words beside one channel's box.
        public func wording(on medium: MarketingMedium) -> String { "\(wording), by \(medium.label)" }
    }

    /// One channel's consent to a marketing purpose.
    public struct Channel: Sendable, Equatable {
        public var medium: MarketingMedium
        public var given: Bool
    }

    /// A purpose the person may object to.
    public struct Objectable: Sendable, Equatable {
        public var purpose: String
        public var name: String
        public var basis: LawfulBasis
        public var objected: Bool
    }

    public var consents: [Consent]
    public var objectable: [Objectable]
    /// Whether any declared purpose is direct marketing, so that stopping it means something.
    public var hasMarketing: Bool
    /// When the person stopped all direct marketing, if they did.
    public var marketingStoppedAt: Date?
    /// How often they get digests (chosen, or the declared default), when a digest purpose concerns them (CAM-23).
    public var digestFrequency: DigestFrequency?
    /// Until when their marketing is paused, when it is (issue 28 §5).
    public var pausedUntil: Date?

    /// The sheet for someone in `state` with `choices` under `declaration` at `instant`: only purposes
    /// that concern their categories.
    public init(declaration: Declaration, state: SubjectState, choices: MarketingChoices = MarketingChoices(), at instant: Date = .distantPast) {
        let purposes = declaration.purposes.filter { $0.concerns(state.categories) }
        digestFrequency = purposes.compactMap(\.digest).first.map { choices.digestFrequency ?? $0 }
        pausedUntil = choices.pausedUntil.flatMap { $0 > instant ? $0 : nil }
        consents = purposes.filter { $0.basis == .consent }.map { purpose in
            var consent = Consent(
                purpose: purpose.id, name: purpose.name, given: state.consents.status(purpose: purpose.id).isGranted,
                isDirectMarketing: purpose.isDirectMarketing)
            let media = Self.consentChannels(of: purpose, in: declaration)
            if purpose.isDirectMarketing, media.count > 1 {
                consent.channels = media.map {
                    Channel(medium: $0, given: state.consents.status(purpose: purpose.id, channel: $0.rawValue).isGranted)
                }
                consent.given = consent.channels.contains(where: \.given)
            }
            return consent
        }
        // Direct marketing is covered by the marketing switch, whose objection is absolute (Art 21(3)).
        objectable = purposes.compactMap { purpose in
            guard let basis = purpose.basis, basis.carriesRightToObject, !purpose.isDirectMarketing else { return nil }
            return Objectable(purpose: purpose.id, name: purpose.name, basis: basis, objected: state.objections[purpose.id] != nil)
        }
        hasMarketing = purposes.contains(where: \.isDirectMarketing)
        marketingStoppedAt = state.marketingObjection
    }

    /// The media a marketing purpose goes out on with consent (PECR reg 22), in the declaration's order, each once.
    static func consentChannels(of purpose: Purpose, in declaration: Declaration) -> [MarketingMedium] {
        var media: [MarketingMedium] = []
        for channel in declaration.marketing ?? []
        where channel.effectivePermission == .consent && (channel.purposes?.contains(purpose.id) ?? true) && !media.contains(channel.channel) {
            media.append(channel.channel)
        }
        return media
    }

    /// What a submitted form changes: `consented` holds the purposes ticked, `objectingTo` the purposes
    /// objected to. Unknown purpose ids are ignored; an objection already recorded stays (it is lifted
    /// only by staff, Art 21(1)); marketing once stopped stays stopped. Consent to a marketing purpose
    /// is not recorded while marketing is stopped, since it could not take effect.
    /// A new `digest` frequency is recorded when it differs; a `pause` of an offered length starts
    /// one while marketing runs, and `resume` ends one.
    /// A purpose with a box per channel reads `channels` ("newsletter.sms") instead of `consented`.
    public func changes(
        consented: Set<String>, objectingTo: Set<String>, stopMarketing: Bool, channels: Set<String> = [], digest: DigestFrequency? = nil,
        pause: PauseChoice? = nil, at instant: Date = .distantPast
    ) -> PreferenceChanges {
        let stopping = marketingStoppedAt == nil && hasMarketing && stopMarketing
        let marketingOff = marketingStoppedAt != nil || stopping
        var pauseChange: PreferenceChanges.Pause?
        switch pause {
        case .days(let days)? where hasMarketing && !marketingOff && pausedUntil == nil:
            pauseChange = MarketingPause.until(days: days, from: instant).map { .until($0) }
        case .resume? where pausedUntil != nil: pauseChange = .resume
        default: pauseChange = nil
        }
        let whole = consents.filter(\.channels.isEmpty)
        var channelGrants: [PreferenceChanges.ChannelChoice] = [], channelWithdrawals: [PreferenceChanges.ChannelChoice] = []
        for consent in consents {
            for channel in consent.channels {
                let ticked = channels.contains("\(consent.purpose).\(channel.medium.rawValue)")
                let choice = PreferenceChanges.ChannelChoice(
                    purpose: consent.purpose, medium: channel.medium, wording: consent.wording(on: channel.medium))
                if !channel.given && ticked && !marketingOff { channelGrants.append(choice) }
                if channel.given && !ticked { channelWithdrawals.append(choice) }
            }
        }
        var changes = PreferenceChanges(
            grant: whole.filter { !$0.given && consented.contains($0.purpose) && !($0.isDirectMarketing && marketingOff) },
            withdraw: whole.filter { $0.given && !consented.contains($0.purpose) }.map(\.purpose),
            object: objectable.filter { !$0.objected && objectingTo.contains($0.purpose) }.map(\.purpose),
            stopMarketing: stopping, digestFrequency: digestFrequency != nil && digest != digestFrequency ? digest : nil, pause: pauseChange)
        changes.channelGrants = channelGrants
        changes.channelWithdrawals = channelWithdrawals
        return changes
    }
}

/// A person's choices about marketing besides consents and objections (issue 28 §5), as the vault holds them.
public struct MarketingChoices: Sendable, Equatable {
    public var digestFrequency: DigestFrequency?
    public var pausedUntil: Date?

    public init(digestFrequency: DigestFrequency? = nil, pausedUntil: Date? = nil) {
        self.digestFrequency = digestFrequency
        self.pausedUntil = pausedUntil
    }
}

/// A pause asked for on the preference sheet: for one of the offered lengths, or an end to it.
public enum PauseChoice: Sendable, Equatable {
    case days(Int)
    case resume
}

/// The changes one submission of the preference sheet makes.
public struct PreferenceChanges: Sendable, Equatable {
    /// Consents to give, with the wording the person saw.
    public var grant: [PreferenceSheet.Consent]
    /// Purposes whose consent is withdrawn.
    public var withdraw: [String]
    /// Purposes objected to.
    public var object: [String]
    public var stopMarketing: Bool
    /// A new digest frequency.
    public var digestFrequency: DigestFrequency?
    /// Marketing paused until a day, or resumed.
    public var pause: Pause?
    /// Consents given on one channel of a purpose sent on several, with the words beside the box.
    public var channelGrants: [ChannelChoice] = []
    /// Consents withdrawn on one channel.
    public var channelWithdrawals: [ChannelChoice] = []

    /// One channel of one marketing purpose, as its box reads.
    public struct ChannelChoice: Sendable, Equatable {
        public var purpose: String
        public var medium: MarketingMedium
        public var wording: String
    }

    public enum Pause: Sendable, Equatable {
        case until(Date)
        case resume
    }

    public init(
        grant: [PreferenceSheet.Consent], withdraw: [String], object: [String], stopMarketing: Bool, digestFrequency: DigestFrequency? = nil,
        pause: Pause? = nil
    ) {
        self.grant = grant
        self.withdraw = withdraw
        self.object = object
        self.stopMarketing = stopMarketing
        self.digestFrequency = digestFrequency
        self.pause = pause
    }

    public var isEmpty: Bool {
        grant.isEmpty && withdraw.isEmpty && object.isEmpty && !stopMarketing && digestFrequency == nil && pause == nil && channelGrants.isEmpty
            && channelWithdrawals.isEmpty
    }
}

extension PreferenceChanges {
    /// The ledger events and subject changes these changes are for `subject`: a grant keeps the hash
    /// of the words ticked (UK GDPR Art 7(1)); a withdrawal names what it came through (`reference`);
    /// objections are Art 21(1), stopping marketing Art 21(3).
    public func recorded(
        for subject: UUID, mechanism: String, reference: String, noticeVersion: String, at instant: Date
    ) -> (events: [ConsentEvent], changes: [SubjectChange]) {
        let events =
            grant.map {
                ConsentEvent(
                    holder: .subject(subject), scope: ConsentScope(purpose: $0.purpose), action: .granted, mechanism: mechanism,
                    noticeVersion: noticeVersion, wordingHash: SHA256.hex($0.wording), recordedAt: instant)
            }
            + withdraw.map {
                ConsentEvent.withdrawal(of: $0, by: subject, reference: reference, mechanism: mechanism, noticeVersion: noticeVersion, at: instant)
            }
            + channelGrants.map {
                ConsentEvent(
                    holder: .subject(subject), scope: ConsentScope(purpose: $0.purpose, channel: $0.medium.rawValue), action: .granted,
                    mechanism: mechanism, noticeVersion: noticeVersion, wordingHash: SHA256.hex($0.wording), recordedAt: instant)
            }
            + channelWithdrawals.map {
                ConsentEvent.withdrawal(
                    of: $0.purpose, channel: $0.medium.rawValue, by: subject, reference: reference, mechanism: mechanism,
                    noticeVersion: noticeVersion,
                    at: instant)
            }
        var changes: [SubjectChange] = object.map { .objection(purpose: $0, compellingGrounds: nil) } + (stopMarketing ? [.marketingObjection] : [])
        if let digestFrequency { changes.append(.digestFrequency(digestFrequency)) }
        switch pause {
        case .until(let day)?: changes.append(.marketingPause(until: day))
        case .resume?: changes.append(.marketingPause(until: nil))
        case nil: break
        }
        return (events, changes)
    }
}
