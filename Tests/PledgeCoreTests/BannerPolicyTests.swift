import Foundation
import Testing

@testable import PledgeCore

/// The banner's questions and how answers become ledger events (issue 4; C10, C11).
@Suite("Banner policy")
struct BannerPolicyTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    /// The compliant example plus an advertising pixel.
    static func declaration() throws -> Declaration {
        var declaration = try Examples.declaration("compliant")
        declaration.technologies?.append(
            StorageTechnology(
                id: "ads_pixel", name: "_ads", kind: .pixel, party: .third, provider: "AdNetwork", purpose: nil, category: .advertising,
                expiry: "P3M", hosts: ["ads.example.net"], consent: nil, load: nil, description: "Measures adverts."))
        return declaration
    }

    @Test("C11: strictly necessary technologies are exempt; each other category is a choice; Sch A1 exceptions run until objected to")
    func choices() throws {
        let banner = BannerPolicy(try Self.declaration(), noticeVersion: "2026-10")
        #expect(banner.exempt.map(\.id) == ["pledge_consent", "session"])
        #expect(banner.choices.map(\.category) == [.preference, .statistical, .advertising, .embeddedContent])
        #expect(banner.choices.first { $0.category == .preference }?.runsWithoutChoice == true)
        #expect(banner.choices.first { $0.category == .statistical }?.runsWithoutChoice == true)
        #expect(banner.choices.first { $0.category == .advertising }?.runsWithoutChoice == false)
        // Before any answer: only the appearance and statistical exceptions run.
        #expect(banner.state(of: []) == ["preference": true, "statistical": true, "advertising": false, "embedded_content": false])
    }

    @Test("C10: an answer records every offered category, refusing what was left out; consent is never inferred")
    func answers() throws {
        let banner = BannerPolicy(try Self.declaration(), noticeVersion: "2026-10")
        let events = try banner.events(answering: ["embedded_content": true], gpc: false, visitor: "v1", at: Self.now)
        #expect(events.count == 4)
        #expect(
            events.allSatisfy {
                $0.holder == .visitor("v1") && $0.wordingHash == banner.version && $0.noticeVersion == "2026-10" && $0.scope.channel == "banner"
            })
        #expect(banner.state(of: events) == ["preference": false, "statistical": false, "advertising": false, "embedded_content": true])
        #expect(
            throws: BannerAnswerError.unknownCategory(
                "strictly_necessary", offered: ["preference", "statistical", "advertising", "embedded_content"])
        ) {
            try banner.events(answering: ["strictly_necessary": false], gpc: false, visitor: "v1", at: Self.now)
        }
    }

    @Test("GPC: advertising stays off whatever was clicked, and the ledger says the signal did it")
    func globalPrivacyControl() throws {
        let banner = BannerPolicy(try Self.declaration(), noticeVersion: "2026-10")
        let events = try banner.events(
            answering: ["preference": true, "statistical": true, "advertising": true, "embedded_content": true],
            services: ["ads_pixel": true], gpc: true, visitor: "v2", at: Self.now)
        let advertising = events.filter { $0.scope.purpose == "storage:advertising" }
        #expect(advertising.count == 2 && advertising.allSatisfy { $0.action == .withdrawn && $0.mechanism == "gpc" })
        #expect(banner.state(of: events) == ["preference": true, "statistical": true, "advertising": false, "embedded_content": true])
        #expect(banner.serviceState(of: events)["ads_pixel"] == false)
    }

    @Test("withdrawal: a later answer wins, so turning a category off is one more answer")
    func withdrawal() throws {
        let banner = BannerPolicy(try Self.declaration(), noticeVersion: "2026-10")
        let first = try banner.events(answering: ["advertising": true, "embedded_content": true], gpc: false, visitor: "v3", at: Self.now)
        let second = try banner.events(answering: ["embedded_content": true], gpc: false, visitor: "v3", at: Self.now.addingTimeInterval(60))
        #expect(banner.state(of: first)["advertising"] == true)
        #expect(banner.state(of: first + second)["advertising"] == false)
    }

    @Test("the banner version changes with the technologies and the notice version, so the banner asks again")
    func version() throws {
        let declaration = try Self.declaration()
        let banner = BannerPolicy(declaration, noticeVersion: "2026-10")
        #expect(banner.version == BannerPolicy(declaration, noticeVersion: "2026-10").version)
        #expect(banner.version != BannerPolicy(declaration, noticeVersion: "2026-12").version)
        var changed = declaration
        changed.technologies?[4].description = "Product videos, now with captions."
        #expect(banner.version != BannerPolicy(changed, noticeVersion: "2026-10").version)
        var loadsAtOnce = declaration
        loadsAtOnce.technologies?[4].load = .immediate
        #expect(banner.version != BannerPolicy(loadsAtOnce, noticeVersion: "2026-10").version)
    }

    @Test("per-service choices: a service answered on its own overrides its category; others follow the category")
    func services() throws {
        var declaration = try Self.declaration()
        declaration.technologies?.append(
            StorageTechnology(
                id: "maps", name: "Maps", kind: .embed, party: .third, provider: "MapCo", purpose: nil, category: .embeddedContent,
                expiry: nil, hosts: ["maps.example.com"], consent: nil, load: .clickToLoad, description: nil))
        let banner = BannerPolicy(declaration, noticeVersion: "2026-10")
        let events = try banner.events(answering: ["embedded_content": true], services: ["maps": false], gpc: false, visitor: "v4", at: Self.now)
        #expect(events.contains { $0.scope.channel == "banner:maps" && $0.action == .withdrawn })
        let services = banner.serviceState(of: events)
        #expect(services["video"] == true && services["maps"] == false)
        #expect(services["statistics"] == false && services["ads_pixel"] == false)
        // A later answer for the whole category ("Accept all") replaces the earlier one for maps alone;
        // a later one for maps alone (an objection) wins over the category's.
        let acceptAll = try banner.events(answering: ["embedded_content": true], gpc: false, visitor: "v4", at: Self.now.addingTimeInterval(60))
        #expect(banner.serviceState(of: events + acceptAll)["maps"] == true)
        let objection = try banner.events(
            answering: ["embedded_content": true], services: ["maps": false], gpc: false, visitor: "v4", at: Self.now.addingTimeInterval(120))
        #expect(banner.serviceState(of: events + acceptAll + objection)["maps"] == false)
        // Untouched by any answer, a Sch A1 exception service runs.
        #expect(banner.serviceState(of: [])["statistics"] == true && banner.serviceState(of: [])["video"] == false)
        #expect(throws: BannerAnswerError.unknownService("session", offered: ["theme", "statistics", "ads_pixel", "video", "maps"])) {
            try banner.events(answering: [:], services: ["session": true], gpc: false, visitor: "v4", at: Self.now)
        }
    }

    @Test("C10 wording: English and Welsh built in, the declaration rewords or adds a language, Accept-Language picks")
    func languages() throws {
        let settings = BannerSettings(
            defaultLanguage: "en",
            languages: [
                BannerLanguage(code: "fr", strings: ["acceptAll": "Tout accepter", "rejectAll": "Tout refuser"]),
                BannerLanguage(code: "en", strings: ["title": "Your privacy"]),
            ])
        #expect(BannerText.language(requested: nil, acceptLanguage: "cy-GB,cy;q=0.9,en;q=0.5", settings: settings) == "cy")
        #expect(BannerText.language(requested: nil, acceptLanguage: "de;q=1, fr;q=0.8, en;q=0.9", settings: settings) == "en")
        #expect(BannerText.language(requested: "fr-CA", acceptLanguage: "cy", settings: settings) == "fr")
        #expect(BannerText.language(requested: "xx", acceptLanguage: nil, settings: nil) == "en")
        let french = BannerText.strings("fr", settings: settings)
        #expect(french["acceptAll"] == "Tout accepter" && french["save"] == "Save my choices")
        #expect(BannerText.strings("en", settings: settings)["title"] == "Your privacy")
        #expect(BannerText.strings("cy", settings: nil)["rejectAll"] == "Gwrthod y cyfan")
        // Every built-in language has every key, so nothing shows blank or in the wrong language by accident.
        #expect(Set(BannerText.welsh.keys) == Set(BannerText.english.map(\.key)))
    }

    @Test(
        "C11/ECR-17 (PECR reg 6, Sch A1): Expert CRM's session, preference and security cookies are three register entries: session and security cookies are set without a choice; preference cookies, declared with no exception, wait for consent like analytics"
    )
    func expertCRMCookieRegister() throws {
        let declaration = try Examples.declaration("expert-crm")
        let categories = Dictionary(uniqueKeysWithValues: (declaration.technologies ?? []).map { ($0.id, $0.category) })
        #expect(categories["session"] == .strictlyNecessary && categories["preferences"] == .preference && categories["security"] == .security)
        let banner = BannerPolicy(declaration, noticeVersion: "2019-01")
        #expect(Set(banner.exempt.map(\.id)).isSuperset(of: ["session", "security"]))
        #expect(!banner.exempt.map(\.id).contains("preferences"))
        let preference = try #require(banner.choices.first { $0.category == .preference })
        #expect(!preference.runsWithoutChoice && preference.technologies.map(\.id) == ["preferences"])
        #expect(banner.state(of: [])["preference"] == false)
        let answered = try banner.events(answering: ["preference": true], gpc: false, visitor: "v1", at: Self.now)
        #expect(banner.state(of: answered)["preference"] == true)
        #expect(banner.choices.contains { $0.category == .statistical })
    }
}
