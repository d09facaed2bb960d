import Crypto
import Foundation

/// What the consent banner asks and how a visitor's answer becomes consent-ledger events (C10, C11),
/// worked out once from the declared storage-and-access register.
///
/// Law: PECR reg 6(1)-(2) (consent before storing or reading anything not strictly necessary),
/// reg 6(4) and DUAA 2025 Sch A1 (the exemptions and the statistical and appearance exceptions,
/// which run without a choice but can be objected to), UK GDPR Art 7(1) (consent must be provable)
/// and Art 7(3) (withdrawing as easy as giving).
public struct BannerPolicy: Sendable {
    /// A category the banner offers a choice for, with the technologies it covers.
    public struct Choice: Sendable, Equatable {
        public let category: TechnologyCategory
        public let technologies: [StorageTechnology]
        /// True when the category may run before any choice (a Sch A1 exception): the banner then
        /// offers an objection instead of asking for consent.
        public let runsWithoutChoice: Bool
    }

    /// The categories the visitor chooses for, in the order the banner shows them.
    public let choices: [Choice]
    /// Technologies that need no choice (strictly necessary, security).
    public let exempt: [StorageTechnology]
    /// The notice version the banner shows.
    public let noticeVersion: String
    /// SHA-256 of everything the banner shows; a different declaration gives a different version,
    /// and the banner asks again (the choice recorded was made on different wording).
    public let version: String

    /// The ledger purpose of a banner category: banner choices are about storage and access, not
    /// about a declared processing purpose, so they live in their own namespace.
    public static func purpose(of category: TechnologyCategory) -> String { "storage:\(category.rawValue)" }
    /// The channel of every banner event.
    public static let channel = "banner"

    public init(_ declaration: Declaration, noticeVersion: String) {
        let technologies = declaration.technologies ?? []
        var choices: [Choice] = []
        for category in TechnologyCategory.allCases {
            let members = technologies.filter { $0.category == category && $0.effectiveConsent != .exempt }
            guard !members.isEmpty else { continue }
            choices.append(
                Choice(
                    category: category, technologies: members,
                    runsWithoutChoice: members.allSatisfy { $0.effectiveConsent.runsWithoutChoice }))
        }
        self.choices = choices
        exempt = technologies.filter { $0.effectiveConsent == .exempt }
        self.noticeVersion = noticeVersion
        var shown = "notice \(noticeVersion)\n"
        for technology in technologies {
            shown +=
                [
                    technology.id, technology.name, technology.kind.rawValue, technology.party.rawValue, technology.provider ?? "",
                    technology.category.rawValue, technology.effectiveConsent.rawValue, (technology.load ?? .onConsent).rawValue,
                    technology.expiry ?? "",
                    (technology.hosts ?? []).joined(separator: ","), technology.description ?? "",
                ].joined(separator: "\t") + "\n"
        }
        // The declared wording is shown too: rewording the banner asks again.
        for language in (declaration.banner?.languages ?? []).sorted(by: { $0.code < $1.code }) {
            for (key, text) in (language.strings ?? [:]).sorted(by: { $0.key < $1.key }) {
                shown += "text\t\(language.code)\t\(key)\t\(text)\n"
            }
        }
        version = SHA256.hex(shown)
    }

    /// The ledger channel of a choice about one service (technology) rather than its whole category.
    public static func channel(of technology: StorageTechnology) -> String { "\(channel):\(technology.id)" }

    /// Turns a visitor's answer into ledger events: one per offered category, never inferred, and
    /// one per service the visitor answered for separately.
    ///
    /// A category left out of `answers` is recorded as refused, so "Reject all" and closing the
    /// banner leave nothing switched on. `services` holds per-service answers (technology ids); a
    /// service without one follows its category. With Global Privacy Control the advertising and
    /// social categories (sale and sharing) are recorded as withdrawn by `gpc`, whatever was clicked.
    public func events(
        answering answers: [String: Bool], services: [String: Bool] = [:], gpc: Bool, visitor: String, at instant: Date
    ) throws(BannerAnswerError) -> [ConsentEvent] {
        let offered = Set(choices.map(\.category.rawValue))
        if let unknown = answers.keys.sorted().first(where: { !offered.contains($0) }) {
            throw .unknownCategory(unknown, offered: choices.map(\.category.rawValue))
        }
        let offeredServices = choices.flatMap(\.technologies)
        if let unknown = services.keys.sorted().first(where: { id in !offeredServices.contains { $0.id == id } }) {
            throw .unknownService(unknown, offered: offeredServices.map(\.id))
        }
        let event = { (category: TechnologyCategory, channel: String, answer: Bool?) -> ConsentEvent in
            let optedOutByGPC = gpc && Self.gpcCategories.contains(category)
            let granted = !optedOutByGPC && answer == true
            return ConsentEvent(
                holder: .visitor(visitor), scope: ConsentScope(purpose: Self.purpose(of: category), channel: channel),
                action: granted ? .granted : .withdrawn, mechanism: optedOutByGPC ? "gpc" : "banner",
                noticeVersion: noticeVersion, wordingHash: version, recordedAt: instant)
        }
        return choices.flatMap { choice in
            [event(choice.category, Self.channel, answers[choice.category.rawValue])]
                + choice.technologies.compactMap { technology in
                    services[technology.id].map { event(choice.category, Self.channel(of: technology), $0) }
                }
        }
    }

    /// What GPC opts out of: advertising and sharing with social networks (the "sale or sharing"
    /// the signal was made for), honoured here as an Art 21(2)-style objection.
    public static let gpcCategories: Set<TechnologyCategory> = [.advertising, .social]

    /// Where each offered category stands for a visitor, from their ledger: on only when granted.
    public func state(of events: [ConsentEvent]) -> [String: Bool] {
        let projection = ConsentState(events: events)
        return Dictionary(
            uniqueKeysWithValues: choices.map { choice in
                (choice.category.rawValue, Self.allows(projection.status(purpose: Self.purpose(of: choice.category), channel: Self.channel), choice))
            })
    }

    /// Where each offered service (technology id) stands: its own answer if the visitor gave one
    /// since their last answer for its category, otherwise its category's.
    public func serviceState(of events: [ConsentEvent]) -> [String: Bool] {
        let projection = ConsentState(events: events)
        var state: [String: Bool] = [:]
        for choice in choices {
            let purpose = Self.purpose(of: choice.category)
            let category = projection.status(purpose: purpose, channel: Self.channel)
            for technology in choice.technologies {
                let own = projection.status(purpose: purpose, channel: Self.channel(of: technology))
                // A later answer for the whole category replaces an earlier one for the service alone
                // ("Accept all" after switching one service off turns it on again).
                let latest =
                    switch (own.at, category.at) {
                    case (nil, _): category
                    case (let ownAt?, let categoryAt?) where categoryAt > ownAt: category
                    default: own
                    }
                state[technology.id] = Self.allows(latest, choice)
            }
        }
        return state
    }

    private static func allows(_ status: ConsentStatus, _ choice: Choice) -> Bool {
        // A Sch A1 exception runs until objected to; everything else only once granted.
        if choice.runsWithoutChoice, case .absent = status { return true }
        return status.isGranted
    }
}

/// Why a banner answer was refused.
public enum BannerAnswerError: Error, Equatable, CustomStringConvertible {
    case unknownCategory(String, offered: [String])
    case unknownService(String, offered: [String])

    public var code: String {
        switch self {
        case .unknownCategory: "consent.category-unknown"
        case .unknownService: "consent.service-unknown"
        }
    }

    public var description: String {
        switch self {
        case .unknownCategory(let category, let offered):
            "The banner offers no choice '\(category)'; it offers: \(offered.isEmpty ? "none" : offered.joined(separator: ", "))."
        case .unknownService(let service, let offered):
            "The banner offers no service '\(service)'; it offers: \(offered.isEmpty ? "none" : offered.joined(separator: ", "))."
        }
    }
}
