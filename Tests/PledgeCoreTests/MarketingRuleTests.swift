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

    @Test("L24/OEX-44 (PECR reg 22(2)): a declared permission of not_required for email or SMS to individuals is an error")
    func notRequiredForElectronicMail() throws {
        for medium in [MarketingMedium.email, .sms] {
            let findings = try Self.l24 { d in
                d.marketing![0].channel = medium
                d.marketing![0].basis = .legitimateInterests
                d.marketing![0].permission = .notRequired
            }
            #expect(findings.contains { $0.path == "marketing[0].permission" && $0.severity == .error }, "\(medium)")
        }
    }

    @Test("L24: permission and basis declared apart stay silent where PECR allows them (post, screened calls, corporate, consent)")
    func permissionWhereAllowed() throws {
        let allowed: [(MarketingMedium, MarketingBasis, MarketingPermission, SubscriberType?, Bool?)] = [
            (.post, .legitimateInterests, .notRequired, nil, nil),
            (.phone, .legitimateInterests, .notRequired, nil, true),
            (.email, .legitimateInterests, .corporateSubscriber, .corporate, nil),
            (.sms, .consent, .consent, nil, nil),
        ]
        for (medium, basis, permission, subscribers, screened) in allowed {
            let findings = try Self.l24 { d in
                d.marketing![0].channel = medium
                d.marketing![0].basis = basis
                d.marketing![0].permission = permission
                d.marketing![0].subscribers = subscribers
                d.marketing![0].tpsScreening = screened
            }
            #expect(findings.isEmpty, "\(medium) \(permission): \(findings.map(\.message))")
        }
    }

    @Test("L24 (PECR reg 21): live calls declared as needing no permission fire unless screened against TPS/CTPS")
    func unscreenedCalls() throws {
        let findings = try Self.l24 { d in
            d.marketing![0].channel = .phone
            d.marketing![0].basis = .legitimateInterests
            d.marketing![0].permission = .notRequired
        }
        #expect(findings.contains { $0.path == "marketing[0].permission" && $0.message.contains("reg 21") })
    }

    @Test("L24: the corporate-subscriber permission fires for individual subscribers")
    func corporateSubscriberToIndividuals() throws {
        let findings = try Self.l24 { d in
            d.marketing![0].basis = .legitimateInterests
            d.marketing![0].permission = .corporateSubscriber
        }
        #expect(findings.contains { $0.path == "marketing[0].permission" && $0.severity == .error })
    }

    @Test("L24 (PECR reg 2): corporate-subscriber email to a category including sole traders or partnerships is an error")
    func soleTraders() throws {
        func corporate(_ d: inout Declaration) {
            d.marketing![0].basis = .legitimateInterests
            d.marketing![0].subscribers = .corporate
            d.marketing![0].audience = ["customer"]
        }
        #expect(try Self.l24 { corporate(&$0) }.isEmpty)
        let findings = try Self.l24 { d in
            corporate(&d)
            d.subjects[d.subjects.firstIndex { $0.id == "customer" }!].includesSoleTraders = true
        }
        #expect(findings.contains { $0.path == "marketing[0].audience" && $0.message.contains("sole traders") })
        #expect(
            try Self.l24 { d in
                corporate(&d)
                d.subjects[d.subjects.firstIndex { $0.id == "customer" }!].includesSoleTraders = true
                d.marketing![0].basis = .consent
                d.marketing![0].permission = .consent
            }.isEmpty, "consent reaches sole traders too")
    }

    @Test("L24 (ICO direct marketing guidance): PECR consent on a legitimate-interests basis is a warning")
    func consentPermissionOnLegitimateInterests() throws {
        let findings = try Self.l24 { d in
            d.marketing![0].basis = .legitimateInterests
            d.marketing![0].permission = .consent
        }
        #expect(findings.map(\.path) == ["marketing[0].basis"])
        #expect(findings.first?.severity == .warning)
    }

    @Test("Notice (issue 26 §1, §10): each channel is described by the permission declared, never as business-to-business by default")
    func noticeDescribesPermission() throws {
        func marketing(_ change: (inout Declaration) -> Void) throws -> String {
            var d = try Examples.declaration("compliant")
            change(&d)
            return NoticeWriter.markdown(NoticeComposer(declaration: d).compose())
        }
        let post = try marketing { d in
            d.marketing![0].channel = .post
            d.marketing![0].basis = .legitimateInterests
        }
        #expect(post.contains("on our legitimate interests"))
        #expect(!post.contains("business-to-business"))
        let corporate = try marketing { d in
            d.marketing![0].basis = .legitimateInterests
            d.marketing![0].subscribers = .corporate
        }
        #expect(corporate.contains("business-to-business"))
        let calls = try marketing { d in
            d.marketing![0].channel = .phone
            d.marketing![0].basis = .legitimateInterests
            d.marketing![0].tpsScreening = true
        }
        #expect(calls.contains("Telephone or Corporate Telephone Preference Service"))
    }

    @Test("L24/C24/OEX-57/OEX-49: partner marketing without named partners, or partners named for own products only, is a warning")
    func partnersNamed() throws {
        let unnamed = try Self.l24 { $0.marketing![0].products = .ownAndPartners }
        #expect(unnamed.contains { $0.path == "marketing[0].products" && $0.severity == .warning && $0.message.contains("no partners are named") })
        let named = try Self.l24 { d in
            d.marketing![0].products = .ownAndPartners
            d.marketing![0].partners = ["mailer"]
        }
        #expect(named.isEmpty, "\(named.map(\.message))")
        let stray = try Self.l24 { $0.marketing![0].partners = ["mailer"] }
        #expect(stray.contains { $0.path == "marketing[0].partners" && $0.severity == .warning })
    }
}
