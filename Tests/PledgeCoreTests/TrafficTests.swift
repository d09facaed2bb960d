import Foundation
import Testing

@testable import PledgeCore

/// Cookieless statistics in the core (issue 4 §5; C12, C13, C37): reduction, the daily key, the
/// tally and k-suppression.
@Suite("Cookieless statistics")
struct TrafficTests {
    static let noon = Date(timeIntervalSince1970: 1_794_960_000 + 43_200)
    static let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.86 Safari/537.36"
    static let iPhone =
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"

    @Test("C13/CAM-11: a user agent becomes browser family and major version, OS and device class; bots are recognised")
    func userAgents() {
        #expect(UserAgentClass(Self.chrome) == UserAgentClass(browser: "Chrome 131", os: "Windows", device: "desktop", isBot: false))
        #expect(UserAgentClass(Self.iPhone) == UserAgentClass(browser: "Safari 17", os: "iOS", device: "mobile", isBot: false))
        let edge = UserAgentClass(Self.chrome + " Edg/131.0.2903.70")
        #expect(edge.browser == "Edge 131")
        let tablet = UserAgentClass("Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36")
        #expect(tablet.os == "Android" && tablet.device == "tablet")
        for bot in [
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "curl/8.5.0", "",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0 Safari/537.36",
        ] {
            #expect(UserAgentClass(bot).isBot, "\(bot)")
        }
    }

    @Test(
        "C13/CLQ-04: only the path is kept (no query), the referrer's host (not the site's own), screen classes, campaign labels without email addresses"
    )
    func reduction() throws {
        let view = try PageViewReduction.reduce(
            PageViewReport(
                site: "WWW.Example.org", path: "/blog/2026/launch?token=abc#top", referrer: "https://www.news.example/a?b=c",
                screenWidth: 390, utmSource: " Newsletter ", utmMedium: "a@b.example", utmCampaign: "Autumn"),
            userAgent: Self.iPhone, sites: nil)
        #expect(view.site == "www.example.org" && view.path == "/blog/2026/launch" && view.section == "/blog")
        #expect(
            view.referrer == "news.example" && view.screen == "xs" && view.source == "newsletter" && view.medium == nil && view.campaign == "autumn")
        let ownSite = try PageViewReduction.reduce(
            PageViewReport(site: "www.example.org", path: "/", referrer: "https://example.org/about"), userAgent: Self.chrome, sites: nil)
        #expect(ownSite.referrer == nil && ownSite.screen == "unknown" && ownSite.section == "/")
        #expect(throws: PageViewReduction.Refusal.bot) {
            try PageViewReduction.reduce(PageViewReport(site: "example.org", path: "/"), userAgent: "bingbot", sites: nil)
        }
        #expect(throws: PageViewReduction.Refusal.siteNotDeclared("other.example")) {
            try PageViewReduction.reduce(PageViewReport(site: "other.example", path: "/"), userAgent: Self.chrome, sites: ["example.org"])
        }
        #expect(throws: PageViewReduction.Refusal.self) {
            try PageViewReduction.reduce(PageViewReport(site: "<script>", path: "/"), userAgent: Self.chrome, sites: nil)
        }
    }

    @Test("C12: the visitor key is stable within a day, differs by site, address and agent, and cannot be recomputed the next day")
    func dailyKey() {
        var key = DailyVisitorKey(at: Self.noon)
        let first = key.key(site: "a.example", address: "203.0.113.9", userAgent: Self.chrome, at: Self.noon)
        #expect(first == key.key(site: "a.example", address: "203.0.113.9", userAgent: Self.chrome, at: Self.noon.addingTimeInterval(3_600)))
        #expect(first != key.key(site: "b.example", address: "203.0.113.9", userAgent: Self.chrome, at: Self.noon))
        #expect(first != key.key(site: "a.example", address: "203.0.113.10", userAgent: Self.chrome, at: Self.noon))
        // Another process (another salt) on the same day gives another key: the salt is random.
        var other = DailyVisitorKey(at: Self.noon)
        #expect(first != other.key(site: "a.example", address: "203.0.113.9", userAgent: Self.chrome, at: Self.noon))
        let tomorrow = key.key(site: "a.example", address: "203.0.113.9", userAgent: Self.chrome, at: Self.noon.addingTimeInterval(86_400))
        #expect(tomorrow != first && key.day == DailyVisitorKey.day(of: Self.noon) + 1)
    }

    @Test(
        "C37: the tally counts views, visits (30 minutes apart) and unique visitors per hour and day; drained views are not counted twice; keys new to a bucket are drained once"
    )
    func tally() throws {
        var tally = TrafficTally()
        let view = try PageViewReduction.reduce(PageViewReport(site: "example.org", path: "/a"), userAgent: Self.chrome, sites: nil)
        tally.count(view, visitor: 1, at: Self.noon)
        tally.count(view, visitor: 1, at: Self.noon.addingTimeInterval(600))  // same visit
        tally.count(view, visitor: 1, at: Self.noon.addingTimeInterval(2_700))  // 35 min later: a new visit
        tally.count(view, visitor: 2, at: Self.noon.addingTimeInterval(2_800))
        let drained = tally.drain(at: Self.noon.addingTimeInterval(2_900))
        let dayTotal = try #require(drained.first { $0.0.granularity == .day && $0.0.dimension.isEmpty }?.1)
        #expect(dayTotal == TrafficTally.Counts(views: 4, visits: 3, visitors: 2, newVisitors: [1, 2]))
        let page = try #require(drained.first { $0.0.granularity == .hour && $0.0.dimension == "page" }?.1)
        #expect(page.views == 4 && page.visitors == 2)
        #expect(tally.isEmpty)
        // The next drain carries only new views, but visitors stay counted for the bucket.
        tally.count(view, visitor: 1, at: Self.noon.addingTimeInterval(3_000))
        let again = try #require(tally.drain(at: Self.noon.addingTimeInterval(3_100)).first { $0.0.granularity == .day && $0.0.dimension.isEmpty }?.1)
        // Visitor 1 is not new to the bucket: nothing for other nodes to pool (issue 27 §4).
        #expect(again == TrafficTally.Counts(views: 1, visits: 0, visitors: 2, newVisitors: []))
    }
}

extension UserAgentClass {
    init(browser: String, os: String, device: String, isBot: Bool) {
        self.init("")
        self.browser = browser
        self.os = os
        self.device = device
        self.isBot = isBot
    }
}
