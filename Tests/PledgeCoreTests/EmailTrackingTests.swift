import Foundation
import Testing

@testable import PledgeCore

/// Email tracking tiers (issue 28 §7; C19; PECR reg 6): what each tier does to a message's links,
/// and who gets which.
@Suite("Email tracking")
struct EmailTrackingTests {
    static let campaign = UUID(uuidString: "6F9619FF-8B86-D011-B42D-00C04FC964FF") ?? UUID()
    static let newsletter = MarketingQuestion(purpose: "newsletter", medium: .email)

    /// compliant.yaml whose newsletter channel tracks up to `tracking`, with `purpose` as its tracking purpose.
    static func rule(tracking: EmailTracking, purpose: String? = "email-tracking") throws -> MarketingPermissionRule {
        var declaration = try Examples.declaration("compliant")
        declaration.marketing?[0].tracking = tracking
        declaration.marketing?[0].trackingPurpose = purpose
        return MarketingPermissionRule(declaration)
    }

    static func consents(_ actions: [(String, ConsentAction)]) -> ConsentState {
        ConsentState(
            events: actions.enumerated().map { offset, consent in
                ConsentEvent(
                    holder: .subject(UUID()), scope: ConsentScope(purpose: consent.0), action: consent.1, mechanism: "opt_in_checkbox",
                    noticeVersion: "2026-10", wordingHash: "", recordedAt: Date(timeIntervalSince1970: Double(offset)))
            })
    }

    @Test("C19: the links a template writes out are found, in order; a personal link (with a tag inside) and trailing punctuation are not")
    func links() {
        let text = "Read https://example.org/news. Or (see http://example.org/a?b=1) and https://example.org/u/{{user.id}} today"
        #expect(EmailLinks.trackable(in: text) == ["https://example.org/news", "http://example.org/a?b=1"])
        let rewritten = EmailLinks.rewriting(text, first: 3) { number, link in "[\(number):\(link.count)]" }
        #expect(rewritten == "Read [3:24]. Or (see [4:24]) and https://example.org/u/{{user.id}} today")
        #expect(EmailLinks.trackable(in: "<a href=\"https://example.org/x?a=1&amp;b=2\">go</a>") == ["https://example.org/x?a=1&amp;b=2"])
    }

    @Test("C19/CLQ-19/CLQ-20: the aggregate tier tags a link with the campaign and nothing that names the person")
    func aggregateTags() {
        let id = Self.campaign.uuidString.lowercased()
        #expect(
            EmailLinks.tagged("https://example.org/n", campaign: Self.campaign, html: false)
                == "https://example.org/n?utm_source=pledge&utm_medium=email&utm_campaign=\(id)")
        #expect(
            EmailLinks.tagged("https://example.org/n?a=1#top", campaign: Self.campaign, html: true)
                == "https://example.org/n?a=1&amp;utm_source=pledge&amp;utm_medium=email&amp;utm_campaign=\(id)#top")
    }

    @Test("C19: a click redirect's number names one of the campaign's own links, over the text then the HTML; any other number names none")
    func linkByNumber() {
        let text = "See https://example.org/a", html = "<a href=\"https://example.org/b?x=1&amp;y=2\">b</a>"
        #expect(EmailLinks.link(0, text: text, html: html) == "https://example.org/a")
        #expect(EmailLinks.link(1, text: text, html: html) == "https://example.org/b?x=1&y=2")
        #expect(EmailLinks.link(2, text: text, html: html) == nil)
        #expect(EmailLinks.link(-1, text: text, html: nil) == nil)
    }

    @Test(
        "C19/CLQ-21/ECR-14 (PECR reg 6): individual tracking only while the person's tracking consent stands; the others get the aggregate tier; a withdrawal of it leaves the marketing permission alone"
    )
    func individualOnlyWithConsent() throws {
        let rule = try Self.rule(tracking: .individual)
        #expect(rule.tracking(.individual, for: Self.newsletter, consents: Self.consents([("email-tracking", .granted)])) == .individual)
        #expect(rule.tracking(.individual, for: Self.newsletter, consents: Self.consents([])) == .aggregate)
        #expect(
            rule.tracking(.individual, for: Self.newsletter, consents: Self.consents([("newsletter", .granted)])) == .aggregate,
            "consent to the newsletter is not consent to tracking")
        let withdrawn = Self.consents([("newsletter", .granted), ("email-tracking", .granted), ("email-tracking", .withdrawn)])
        #expect(rule.tracking(.individual, for: Self.newsletter, consents: withdrawn) == .aggregate)
        #expect(withdrawn.status(purpose: "newsletter").isGranted, "still on the newsletter")
        #expect(rule.tracking(.aggregate, for: Self.newsletter, consents: Self.consents([("email-tracking", .granted)])) == .aggregate)
        #expect(
            rule.tracking(
                .individual, for: MarketingQuestion(purpose: "billing", medium: .email), consents: Self.consents([("email-tracking", .granted)]))
                == .none, "CLQ-18: a service message is never tracked")
        // No tracking purpose declared: nobody can have consented, so nobody is tracked individually.
        let undeclared = try Self.rule(tracking: .individual, purpose: nil)
        #expect(undeclared.tracking(.individual, for: Self.newsletter, consents: Self.consents([("email-tracking", .granted)])) == .aggregate)
    }

    @Test("C19/CLQ-21/L07: individual tracking is flagged until the channel names a tracking purpose on consent")
    func lintNamesTheTrackingPurpose() throws {
        var declaration = try Examples.declaration("compliant")
        let linter = Linter(today: Examples.today)
        #expect(!linter.lint(declaration).contains { $0.rule == "L07" }, "compliant.yaml tracks individually on a consent purpose")
        declaration.marketing?[0].trackingPurpose = nil
        #expect(linter.lint(declaration).contains { $0.rule == "L07" && $0.message.contains("names no tracking_purpose") })
        declaration.marketing?[0].trackingPurpose = "enquiries"
        #expect(linter.lint(declaration).contains { $0.rule == "L07" && $0.message.contains("not a declared purpose on consent") })
        declaration.marketing?[0].trackingPurpose = "testimonials"
        #expect(!linter.lint(declaration).contains { $0.rule == "L07" }, "any consent purpose: tracked only with consent")
    }

    @Test("C19 (issue 28 bad input): a campaign asks for no more tracking than its channel declares, and individual needs the tracking purpose")
    func trackingRefusals() throws {
        #expect(
            try Self.rule(tracking: .aggregate).trackingRefusal(.individual, for: Self.newsletter)
                == .trackingNotDeclared(asked: .individual, declared: .aggregate))
        #expect(
            try Self.rule(tracking: .none).trackingRefusal(.aggregate, for: Self.newsletter)
                == .trackingNotDeclared(asked: .aggregate, declared: .none))
        #expect(try Self.rule(tracking: .individual, purpose: nil).trackingRefusal(.individual, for: Self.newsletter) == .trackingPurposeMissing)
        #expect(try Self.rule(tracking: .individual).trackingRefusal(.individual, for: Self.newsletter) == nil)
        #expect(try Self.rule(tracking: .individual).trackingRefusal(.none, for: Self.newsletter) == nil)
        #expect(EmailTracking.none < .aggregate && EmailTracking.aggregate < .individual)
    }
}
