import Foundation

/// Turns what a tracker sent into a `PageView` that identifies nobody (C13): the user agent to
/// a class, the referrer to its host, the screen to a size class, the path without its query.
public enum PageViewReduction {
    /// Why a report was not counted.
    public enum Refusal: Error, Equatable {
        case bot
        case siteNotDeclared(String)
        case invalid(String)

        public var code: String {
            switch self {
            case .bot: "collect.bot"
            case .siteNotDeclared: "collect.site-not-declared"
            case .invalid: "collect.invalid"
            }
        }
    }

    /// The page view to count, or why not. `sites` limits which hosts may be counted (nil: any).
    public static func reduce(_ report: PageViewReport, userAgent: String, sites: [String]?) throws(Refusal) -> PageView {
        let agent = UserAgentClass(userAgent)
        if agent.isBot { throw .bot }
        let site = report.site.lowercased()
        guard !site.isEmpty, site.count <= 253, site.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":" }) else {
            throw .invalid("'s' must be the page's host name.")
        }
        if let sites, !sites.contains(where: { $0.lowercased() == site }) { throw .siteNotDeclared(site) }
        guard report.path.hasPrefix("/") else { throw .invalid("'p' must be the page's path, starting with '/'.") }
        // Only the path: a query string can carry email addresses and tokens.
        let path = String(report.path.prefix { $0 != "?" && $0 != "#" }.prefix(200))
        let section = "/" + (path.split(separator: "/").first.map(String.init) ?? "")
        return PageView(
            site: site, path: path, section: section, referrer: referrerHost(report.referrer, site: site),
            campaign: label(report.utmCampaign), source: label(report.utmSource), medium: label(report.utmMedium),
            browser: agent.browser, os: agent.os, device: agent.device, screen: screenClass(report.screenWidth)
        )
    }

    /// The referring host, without `www.`; nil when there is none or it is the site itself.
    static func referrerHost(_ referrer: String?, site: String) -> String? {
        guard let referrer, let scheme = referrer.range(of: "://") else { return nil }
        // scheme://[userinfo@]host[:port][/path]: the host, lower case, without `www.`.
        var authority = referrer[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        let host = authority.prefix { $0 != ":" }.lowercased()
        guard !host.isEmpty, host.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) else { return nil }
        let bare = host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
        let own = site.hasPrefix("www.") ? String(site.dropFirst(4)) : site
        return bare == own.split(separator: ":").first.map(String.init) ? nil : bare
    }

    /// Screen width in CSS pixels to a class (W3C/Bootstrap breakpoints), never the exact size.
    static func screenClass(_ width: Int?) -> String {
        switch width ?? 0 {
        case ..<1: "unknown"
        case ..<576: "xs"
        case ..<768: "s"
        case ..<992: "m"
        case ..<1400: "l"
        default: "xl"
        }
    }

    /// A campaign label: short, lower case, and nothing that looks like an email address.
    static func label(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespaces).lowercased(), !text.isEmpty, !text.contains("@") else { return nil }
        return String(text.prefix(64))
    }
}
