import Foundation

/// One page view as Pledge keeps it: reduced so that nothing in it identifies a person
/// (C12, C13; UK GDPR Recital 26, ICO anonymisation guidance). No IP address, no visitor id, no
/// full user agent, no full referrer, no exact screen size.
public struct PageView: Sendable, Equatable, Codable {
    public var site: String
    public var path: String
    /// The first path segment, e.g. `/blog` for `/blog/2026/launch`.
    public var section: String
    /// The referring site's host, or nil for direct visits and the site's own pages.
    public var referrer: String?
    public var campaign: String?
    public var source: String?
    public var medium: String?
    public var browser: String
    public var os: String
    public var device: String
    public var screen: String

    /// The dimensions a report can break views down by, with this view's value for each.
    public var dimensions: [(Dimension, String)] {
        var values: [(Dimension, String)] = [
            (.page, path), (.section, section), (.browser, browser), (.os, os), (.device, device), (.screen, screen),
        ]
        if let referrer { values.append((.referrer, referrer)) }
        if let campaign { values.append((.campaign, campaign)) }
        if let source { values.append((.source, source)) }
        if let medium { values.append((.medium, medium)) }
        return values
    }

    /// What a report breaks views down by.
    public enum Dimension: String, Sendable, CaseIterable, Codable {
        case page, section, referrer, campaign, source, medium, browser, os, device, screen
    }
}

/// What a tracker sends, before reduction.
public struct PageViewReport: Sendable, Equatable {
    public var site: String
    public var path: String
    public var referrer: String?
    public var screenWidth: Int?
    public var utmSource: String?
    public var utmMedium: String?
    public var utmCampaign: String?

    public init(
        site: String, path: String, referrer: String? = nil, screenWidth: Int? = nil, utmSource: String? = nil, utmMedium: String? = nil,
        utmCampaign: String? = nil
    ) {
        self.site = site
        self.path = path
        self.referrer = referrer
        self.screenWidth = screenWidth
        self.utmSource = utmSource
        self.utmMedium = utmMedium
        self.utmCampaign = utmCampaign
    }
}
