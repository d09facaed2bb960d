import Testing

@testable import PledgeCore

/// PECR reg 22 in the linter (issue 26 §1): a UK GDPR basis is not a PECR permission; the soft
/// opt-in for enquirers in negotiations for a sale and for charities' supporters.
@Suite("Marketing rules")
struct MarketingRuleTests {
    static func l24(_ change: (inout Declaration) -> Void) throws -> [Finding] { try Examples.findings("L24", after: change) }

    @Test("L24/OEX-36/OEX-44 (PECR reg 22(2)): email or SMS marketing to individuals on legitimate interests is an error")
    func legitimateInterestsIsNoPermission() throws {
        for medium in [MarketingMedium.email, .sms] {
            let findings = try Self.l24 { d in
                d.marketing![0].channel = medium
                d.marketing![0].basis = .legitimateInterests
            }
            #expect(findings.contains { $0.path == "marketing[0].basis" && $0.severity == .error && $0.message.contains("reg 22(2)") }, "\(medium)")
        }
    }

    @Test("L24: legitimate interests stays silent for corporate subscribers, post, and screened live calls")
    func legitimateInterestsWhereAllowed() throws {
        #expect(
            try Self.l24 { d in
                d.marketing![0].basis = .legitimateInterests
                d.marketing![0].subscribers = .corporate
            }.isEmpty)
        #expect(
            try Self.l24 { d in
                d.marketing![0].basis = .legitimateInterests
                d.marketing![0].channel = .post
            }.isEmpty)
        #expect(
            try Self.l24 { d in
                d.marketing![0].basis = .legitimateInterests
                d.marketing![0].channel = .phone
                d.marketing![0].tpsScreening = true
            }.isEmpty)
    }

    @Test(
        "L24: saying marketing needs no consent is flagged",
        arguments: [
            "We do not need your consent to send you marketing emails.",
            "We don't need your permission to send you our newsletter.",
            "We never need consent to tell you about our offers.",
        ])
    func noConsentStatementFires(_ text: String) throws {
        #expect(!(try Examples.findings("L24", statement: text)).isEmpty, "\(text)")
    }

    @Test(
        "L24: correct statements about consent stay silent",
        arguments: [
            "We need your consent before we send you marketing emails.",
            "We do not need your consent to send you service messages about your account.",
            "You do not need to consent to our newsletter to use the service.",
        ])
    func consentStatementSilent(_ text: String) throws {
        #expect(try Examples.findings("L24", statement: text).isEmpty, "\(text)")
    }

    @Test("L24 (reg 22(3)(a), 22(3A)): the soft opt-in to prospects fires unless they enquired directly, or the sender is a charity")
    func softOptInProspects() throws {
        func softOptIn(_ d: inout Declaration) {
            d.marketing![0].basis = .softOptIn
            d.marketing![0].audience = ["enquirer"]
        }
        #expect(try Self.l24 { softOptIn(&$0) }.contains { $0.path == "marketing[0].audience" })
        #expect(
            try Self.l24 { d in
                softOptIn(&d)
                d.marketing![0].sources = ["contact-form"]
            }.isEmpty, "an enquiry through the contact form is a negotiation for a sale")
        #expect(
            try Self.l24 { d in
                softOptIn(&d)
                d.organisation.charity = true
            }.isEmpty, "a charity's supporters")
    }
}
