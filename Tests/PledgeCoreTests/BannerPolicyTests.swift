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
        declaration.technologies?.append(StorageTechnology(
            id: "ads_pixel", name: "_ads", kind: .pixel, party: .third, provider: "AdNetwork", purpose: nil, category: .advertising,
            expiry: "P3M", hosts: ["ads.example.net"], consent: nil, load: nil, description: "Measures adverts."))
        return declaration
    }

    @Test("C11: strictly necessary technologies are exempt; each other category is a choice; Sch A1 exceptions run until objected to")
    func choices() throws {
        let banner = BannerPolicy(try Self.declaration(), noticeVersion: "2026-10")
        #expect(banner.exempt.map(\.id) == ["pledge_consent", "session"])
        #expect(banner.choices.map(\.category) == [.preference, .advertising, .embeddedContent])
        #expect(banner.choices.first { $0.category == .preference }?.runsWithoutChoice == true)
        #expect(banner.choices.first { $0.category == .advertising }?.runsWithoutChoice == false)
        // Before any answer: only the appearance exception runs.
        #expect(banner.state(of: []) == ["preference": true, "advertising": false, "embedded_content": false])
    }

    @Test("C10: an answer records every offered category, refusing what was left out; consent is never inferred")
    func answers() throws {
        let banner = BannerPolicy(try Self.declaration(), noticeVersion: "2026-10")
        let events = try banner.events(answering: ["embedded_content": true], gpc: false, visitor: "v1", at: Self.now)
        #expect(events.count == 3)
        #expect(events.allSatisfy { $0.holder == .visitor("v1") && $0.wordingHash == banner.version && $0.noticeVersion == "2026-10" && $0.scope.channel == "banner" })
        #expect(banner.state(of: events) == ["preference": false, "advertising": false, "embedded_content": true])
        #expect(throws: BannerAnswerError.unknownCategory("strictly_necessary", offered: ["preference", "advertising", "embedded_content"])) {
            try banner.events(answering: ["strictly_necessary": false], gpc: false, visitor: "v1", at: Self.now)
        }
    }

    @Test("GPC: advertising stays off whatever was clicked, and the ledger says the signal did it")
    func globalPrivacyControl() throws {
        let banner = BannerPolicy(try Self.declaration(), noticeVersion: "2026-10")
        let events = try banner.events(answering: ["preference": true, "advertising": true, "embedded_content": true], gpc: true, visitor: "v2", at: Self.now)
        let advertising = try #require(events.first { $0.scope.purpose == "storage:advertising" })
        #expect(advertising.action == .withdrawn && advertising.mechanism == "gpc")
        #expect(banner.state(of: events) == ["preference": true, "advertising": false, "embedded_content": true])
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
        changed.technologies?[3].description = "Product videos, now with captions."
        #expect(banner.version != BannerPolicy(changed, noticeVersion: "2026-10").version)
        var loadsAtOnce = declaration
        loadsAtOnce.technologies?[3].load = .immediate
        #expect(banner.version != BannerPolicy(loadsAtOnce, noticeVersion: "2026-10").version)
    }
}
