import Foundation
import PledgeCore

/// What `/consent.js` is told about the declaration: the choices, the services behind them, the
/// wording in one language, and the consent cookie. Short keys: every byte is sent to every visitor.
struct BannerScriptConfiguration: Encodable {
    struct Service: Encodable {
        let id, name, kind, load: String
        let provider, purpose, expiry, desc: String?
        let hosts: [String]?
        /// True for a DUAA Sch A1 exception: runs until the visitor objects.
        let x: Bool
    }
    struct Category: Encodable {
        let id, key: String
        let x: Bool
        let svc: [Service]
    }
    struct Exempt: Encodable {
        let name: String
        let expiry, desc: String?
    }

    let v, n, lang, cookie, notice: String
    let maxAge: Int
    let t: [String: String]
    let cats: [Category]
    let exempt: [Exempt]

    /// The name of the strictly necessary cookie that holds the visitor's consent id and choices.
    static let cookieName = "pledge_consent"

    init(banner: BannerPolicy, declaration: Declaration, language: String) {
        v = banner.version
        n = banner.noticeVersion
        lang = language
        cookie = Self.cookieName
        notice = "/privacy"
        maxAge = Self.cookieLifetime(declaration)
        t = BannerText.strings(language, settings: declaration.banner)
        cats = banner.choices.map { choice in
            Category(
                id: choice.category.rawValue, key: Self.textKey(choice.category), x: choice.runsWithoutChoice,
                svc: choice.technologies.map { technology in
                    Service(
                        id: technology.id, name: technology.name, kind: technology.kind.rawValue, load: (technology.load ?? .onConsent).rawValue,
                        provider: technology.provider, purpose: technology.purpose, expiry: technology.expiry, desc: technology.description,
                        hosts: technology.hosts, x: technology.effectiveConsent.runsWithoutChoice)
                })
        }
        exempt = banner.exempt.map { Exempt(name: $0.name, expiry: $0.expiry, desc: $0.description) }
    }

    /// The consent cookie lives as long as declared for it, else six months (the ICO's guidance
    /// is to ask again at reasonable intervals; six months is common practice).
    static func cookieLifetime(_ declaration: Declaration) -> Int {
        let declared = declaration.technologies?.first { $0.name == cookieName || $0.id == cookieName }?.expiry.flatMap(RetentionPeriod.init)
        let period = declared ?? RetentionPeriod(months: 6)
        return (period.years * 365 + period.months * 30 + period.days) * 86_400
    }

    /// The wording key of a category: its raw value in camelCase.
    static func textKey(_ category: TechnologyCategory) -> String {
        let parts = category.rawValue.split(separator: "_")
        return (parts.first.map(String.init) ?? "") + parts.dropFirst().map(\.capitalized).joined()
    }
}

/// What `/pledge.js` is told: where the visitor's choice lives and whether it may count without one.
struct TrackerScriptConfiguration: Encodable {
    let cookie: String
    /// The declared technology the tracker is (its objection switches it off); empty if none.
    let svc: String
    /// True when it runs before any choice (the statistical exception).
    let x: Bool
    /// True when Global Privacy Control stops collection.
    let gpc: Bool

    init(declaration: Declaration) {
        let analytics = declaration.analytics
        let technology = analytics.flatMap { settings in
            declaration.technologies?.first { $0.purpose == settings.purpose && $0.party == .first && $0.kind == .script }
        }
        cookie = BannerScriptConfiguration.cookieName
        svc = technology?.id ?? ""
        // No declared statistics, or no technology to tell visitors about: it never counts.
        x = analytics != nil && technology?.effectiveConsent.runsWithoutChoice == true
        gpc = analytics?.honoursGPC ?? true
    }
}
