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
        // Browsers send host names in ASCII (IDNA), so anything else is not one.
        guard let site = host(report.site, allowingPort: true) else {
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
        guard let referrer else { return nil }
        // scheme://[userinfo@]host[:port][/path]: the host, lower case, without `www.`.
        let bytes = Array(referrer.utf8.prefix(2048))
        guard let scheme = UserAgentClass.Needle.schemeSeparator.end(in: bytes) else { return nil }
        var authority = bytes[scheme...].prefix { $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) { authority = authority[(at + 1)...] }
        let hostBytes = authority.prefix { $0 != UInt8(ascii: ":") }
        guard let host = host(String(decoding: hostBytes, as: UTF8.self), allowingPort: false) else { return nil }
        let bare = host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
        let own = site.hasPrefix("www.") ? String(site.dropFirst(4)) : site
        return bare == own.split(separator: ":").first.map(String.init) ? nil : bare
    }

    /// `text` in lower case if it is an ASCII host name (letters, digits, `.`, `-`, and `:` for a
    /// port where allowed) of 1-253 bytes; nil otherwise. Works on bytes: Character tests cost a
    /// Unicode property lookup per letter.
    static func host(_ text: some StringProtocol, allowingPort: Bool) -> String? {
        let bytes = text.utf8
        guard !bytes.isEmpty, bytes.count <= 253 else { return nil }
        var lower = [UInt8]()
        lower.reserveCapacity(bytes.count)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"):
                lower.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): lower.append(byte + 32)
            case UInt8(ascii: ":") where allowingPort: lower.append(byte)
            default: return nil
            }
        }
        return String(decoding: lower, as: UTF8.self)
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
