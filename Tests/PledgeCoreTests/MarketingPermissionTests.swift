import Foundation
import Testing

@testable import PledgeCore

/// The marketing permission (issue 28 §1; C17, C18, C24): per person, channel and purpose, allowed on
/// a ground or refused by a rule, from the declaration's channels and what the vault holds.
@Suite("Marketing permission")
struct MarketingPermissionTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let newsletter = MarketingQuestion(purpose: "newsletter", medium: .email)

    /// compliant.yaml with its newsletter channel changed by `change`, and more channels from `more`.
    static func rule(_ change: (inout MarketingChannel) -> Void = { _ in }, more: [MarketingChannel] = []) throws -> MarketingPermissionRule {
        var declaration = try Examples.declaration("compliant")
        change(&declaration.marketing![0])
        declaration.marketing! += more
        return MarketingPermissionRule(declaration)
    }

    /// A customer, with consent events for `newsletter` (channel, recipient) given as `granted` or withdrawn.
    static func contact(
        consents: [(ConsentAction, String?, String?)] = [], provenance: ContactProvenance? = nil, suppression: SuppressionReason? = nil,
        barring: CallBarring? = nil, change: (inout SubjectState) -> Void = { _ in }
    ) -> MarketingContact {
        let events = consents.enumerated().map { offset, consent in
            ConsentEvent(
                holder: .subject(UUID()), scope: ConsentScope(purpose: "newsletter", recipient: consent.2, channel: consent.1), action: consent.0,
                mechanism: "opt_in_checkbox", noticeVersion: "2026-10", wordingHash: "", recordedAt: now.addingTimeInterval(Double(offset)))
        }
        var state = SubjectState(categories: ["customer"], consents: ConsentState(events: events))
        change(&state)
        return MarketingContact(state: state, provenance: provenance, suppression: suppression, barring: barring)
    }

    @Test(
        "C17/APX-23/APX-27/CAM-26/CLQ-44/CLQ-37/ECR-20 (PECR reg 22(2)): a consent channel sends to people whose consent is in the ledger, and no one else"
    )
    func consentChannel() throws {
        let rule = try Self.rule()
        #expect(rule.decide(Self.newsletter, for: Self.contact(consents: [(.granted, nil, nil)]), at: Self.now) == .allowed(.consent))
        #expect(rule.decide(Self.newsletter, for: Self.contact(consents: [(.granted, "email", nil)]), at: Self.now) == .allowed(.consent))
        #expect(rule.decide(Self.newsletter, for: Self.contact(), at: Self.now) == .refused(.consentAbsent))
        #expect(rule.decide(Self.newsletter, for: Self.contact(consents: [(.granted, "sms", nil)]), at: Self.now) == .refused(.consentAbsent))
        let withdrawn = Self.contact(consents: [(.granted, nil, nil), (.withdrawn, "email", nil)])
        #expect(rule.decide(Self.newsletter, for: withdrawn, at: Self.now) == .refused(.consentWithdrawn(at: Self.now.addingTimeInterval(1))))
    }

    @Test("C18/OEX-69/OEX-76/OEX-02/OEX-59 (Art 21(3), PECR reg 23): suppression and objection refuse whatever the permission")
    func suppressionAndObjection() throws {
        let rule = try Self.rule()
        let consented: [(ConsentAction, String?, String?)] = [(.granted, nil, nil)]
        for reason in SuppressionReason.allCases {
            #expect(
                rule.decide(Self.newsletter, for: Self.contact(consents: consented, suppression: reason), at: Self.now)
                    == .refused(.suppressed(reason)))
        }
        var unreachable = Self.contact(consents: consented)
        unreachable.reachable = false
        #expect(rule.decide(Self.newsletter, for: unreachable, at: Self.now) == .refused(.noAddress))
        let objected = Self.contact(consents: consented) { $0.marketingObjection = Self.now }
        #expect(rule.decide(Self.newsletter, for: objected, at: Self.now) == .refused(.objected(at: Self.now)))
        #expect(rule.decide(Self.newsletter, for: Self.contact(consents: consented) { $0.restricted = true }, at: Self.now) == .refused(.restricted))
        #expect(rule.decide(Self.newsletter, for: Self.contact(consents: consented) { $0.isChild = true }, at: Self.now) == .refused(.child))
        let visitor = Self.contact(consents: consented) { $0.categories = ["visitor"] }
        #expect(rule.decide(Self.newsletter, for: visitor, at: Self.now) == .refused(.notInAudience))
    }

    @Test(
        "C16/APX-28/OEX-18: only a declared direct-marketing purpose on a declared channel can be a marketing message; another declared purpose's is a service message, an undeclared one's nothing"
    )
    func declaredPurposeAndChannel() throws {
        let rule = try Self.rule()
        let consented = Self.contact(consents: [(.granted, nil, nil)])
        #expect(rule.decide(MarketingQuestion(purpose: "billing", medium: .email), for: consented, at: Self.now) == .allowed(.service))
        #expect(
            rule.decide(MarketingQuestion(purpose: "raffle", medium: .email), for: consented, at: Self.now)
                == .refused(.notMarketing(purpose: "raffle")))
        #expect(
            rule.decide(MarketingQuestion(purpose: "newsletter", medium: .sms), for: consented, at: Self.now) == .refused(.channelNotDeclared(.sms)))
        let other = try Self.rule { $0.purposes = ["testimonials"] }
        #expect(other.decide(Self.newsletter, for: consented, at: Self.now) == .refused(.channelNotDeclared(.email)))
    }

    @Test("C17/OEX-36/OEX-58 (PECR reg 22(3)): the soft opt-in needs a sale or negotiations, own products, and a refusal offered at collection")
    func softOptIn() throws {
        let rule = try Self.rule { $0.basis = .softOptIn }
        func verdict(_ provenance: ContactProvenance?) -> MarketingVerdict {
            rule.decide(Self.newsletter, for: Self.contact(provenance: provenance), at: Self.now)
        }
        #expect(verdict(ContactProvenance(obtained: .sale, refusalOffered: true)) == .allowed(.softOptIn))
        #expect(verdict(ContactProvenance(obtained: .negotiation, refusalOffered: true)) == .allowed(.softOptIn))
        #expect(verdict(ContactProvenance(obtained: .sale, refusalOffered: false)).refusalCode == "soft_opt_in_not_applicable")
        #expect(verdict(ContactProvenance(obtained: .enquiry, refusalOffered: true)).refusalCode == "soft_opt_in_not_applicable")
        #expect(verdict(ContactProvenance(obtained: .supporter, refusalOffered: true)).refusalCode == "soft_opt_in_not_applicable")
        #expect(verdict(nil) == .refused(.provenanceUnknown))
        // Refused once, refused for good: a withdrawal in the ledger ends the soft opt-in too.
        let refused = Self.contact(consents: [(.withdrawn, nil, nil)], provenance: ContactProvenance(obtained: .sale, refusalOffered: true))
        #expect(rule.decide(Self.newsletter, for: refused, at: Self.now) == .refused(.consentWithdrawn(at: Self.now)))
        let partners = try Self.rule {
            $0.basis = .softOptIn
            $0.products = .ownAndPartners
        }
        #expect(
            partners.decide(Self.newsletter, for: Self.contact(provenance: ContactProvenance(obtained: .sale, refusalOffered: true)), at: Self.now)
                .refusalCode == "soft_opt_in_not_applicable")
    }

    @Test("C17 (PECR reg 22(3A), DUAA 2025 s.114): a charity's supporters on the soft opt-in")
    func charitySupporters() throws {
        var declaration = try Examples.declaration("compliant")
        declaration.organisation.charity = true
        declaration.marketing![0].basis = .softOptIn
        let rule = MarketingPermissionRule(declaration)
        let supporter = Self.contact(provenance: ContactProvenance(obtained: .supporter, refusalOffered: true))
        #expect(rule.decide(Self.newsletter, for: supporter, at: Self.now) == .allowed(.softOptIn))
    }

    @Test("C17/OEX-44/OEX-57: a bought-in list's contact gets no email or SMS without consent given to this organisation; post is allowed")
    func boughtInList() throws {
        let rule = try Self.rule({ $0.basis = .softOptIn }, more: [Self.channel("post", .post, basis: .legitimateInterests)])
        let listed = ContactProvenance(obtained: .boughtIn, refusalOffered: true)
        #expect(rule.decide(Self.newsletter, for: Self.contact(provenance: listed), at: Self.now) == .refused(.boughtInList))
        let fromVendor = ContactProvenance(obtained: .sale, source: "vendor", refusalOffered: true)
        var declaration = try Examples.declaration("compliant")
        declaration.sources.append(DataSource(id: "vendor", name: "A list vendor", kind: .listVendor))
        declaration.marketing![0].basis = .softOptIn
        #expect(
            MarketingPermissionRule(declaration).decide(Self.newsletter, for: Self.contact(provenance: fromVendor), at: Self.now)
                == .refused(.boughtInList))
        #expect(
            rule.decide(Self.newsletter, for: Self.contact(consents: [(.granted, nil, nil)], provenance: listed), at: Self.now) == .allowed(.consent))
        let post = MarketingQuestion(purpose: "newsletter", medium: .post)
        #expect(rule.decide(post, for: Self.contact(provenance: listed), at: Self.now) == .allowed(.legitimateInterests))
    }

    @Test("C17 (PECR reg 2, 22): corporate-subscriber email to a company's address, never to sole traders or partnerships")
    func corporateSubscribers() throws {
        let rule = try Self.rule {
            $0.basis = .legitimateInterests
            $0.subscribers = .corporate
        }
        func verdict(_ kind: SubscriberKind?) -> MarketingVerdict {
            rule.decide(
                Self.newsletter, for: Self.contact(provenance: kind.map { ContactProvenance(obtained: .enquiry, subscriber: $0) }), at: Self.now)
        }
        #expect(verdict(.corporate) == .allowed(.corporateSubscriber))
        #expect(verdict(.soleTrader) == .refused(.individualSubscriber(.soleTrader)))
        #expect(verdict(.partnership) == .refused(.individualSubscriber(.partnership)))
        #expect(verdict(.individual) == .refused(.individualSubscriber(.individual)))
        #expect(verdict(nil) == .refused(.provenanceUnknown))
        let objected = Self.contact(provenance: ContactProvenance(obtained: .enquiry, subscriber: .corporate)) { $0.marketingObjection = Self.now }
        #expect(rule.decide(Self.newsletter, for: objected, at: Self.now) == .refused(.objected(at: Self.now)))
    }

    @Test("C17/OEX-57 (PECR reg 21): live calls screened against TPS, CTPS and the do-not-call list")
    func liveCalls() throws {
        let screened = try Self.rule(more: [Self.channel("calls", .phone, basis: .legitimateInterests, tps: true)])
        let call = MarketingQuestion(purpose: "newsletter", medium: .phone)
        #expect(screened.decide(call, for: Self.contact(), at: Self.now) == .allowed(.screenedCall))
        for list in CallBarring.allCases {
            #expect(screened.decide(call, for: Self.contact(barring: list), at: Self.now) == .refused(.callBarred(list)))
        }
        let unscreened = try Self.rule(more: [Self.channel("calls", .phone, basis: .legitimateInterests, tps: false)])
        #expect(unscreened.decide(call, for: Self.contact(), at: Self.now) == .refused(.noPermission))
    }

    @Test("C24/OEX-57/OEX-49/CLQ-45 (PECR reg 22(2)): a partner's products only with consent that names the partner, on a channel that declares them")
    func partnerMarketing() throws {
        let rule = try Self.rule {
            $0.products = .ownAndPartners
            $0.partners = ["mailer"]
        }
        let question = MarketingQuestion(purpose: "newsletter", medium: .email, partner: "mailer")
        #expect(
            rule.decide(question, for: Self.contact(consents: [(.granted, nil, nil)]), at: Self.now)
                == .refused(.partnerConsentAbsent(partner: "mailer")))
        #expect(rule.decide(question, for: Self.contact(consents: [(.granted, nil, "mailer")]), at: Self.now) == .allowed(.consent))
        let other = MarketingQuestion(purpose: "newsletter", medium: .email, partner: "payments")
        #expect(
            rule.decide(other, for: Self.contact(consents: [(.granted, nil, "payments")]), at: Self.now)
                == .refused(.partnerConsentAbsent(partner: "payments")))
        #expect(
            try Self.rule().decide(question, for: Self.contact(consents: [(.granted, nil, "mailer")]), at: Self.now)
                == .refused(.partnerConsentAbsent(partner: "mailer")), "a channel for own products only")
    }

    @Test("every refusal has a stable code and names its rule")
    func refusalCodes() {
        let refusals = MarketingRefusal.representatives
        #expect(Set(refusals.map(\.code)).count == refusals.count)
        #expect(refusals.allSatisfy { !$0.rule.isEmpty })
    }

    static func channel(_ id: String, _ medium: MarketingMedium, basis: MarketingBasis, tps: Bool? = nil) -> MarketingChannel {
        MarketingChannel(
            id: id, channel: medium, basis: basis, permission: nil, audience: ["customer", "enquirer"], purposes: nil, products: nil, partners: nil,
            sources: nil, optOut: [.email], tracking: nil, trackingConsent: nil, trackingPurpose: nil, tpsScreening: tps, subscribers: nil)
    }
}

extension MarketingVerdict {
    var refusalCode: String? {
        if case .refused(let refusal) = self { return refusal.code }
        return nil
    }
}

extension MarketingPermissionTests {
    @Test("C17 (PECR reg 21; ICO: screen within 28 days): screened calls can be decided only while the TPS and CTPS imports are fresh")
    func callListsFresh() throws {
        let rule = try Self.rule(more: [Self.channel("calls", .phone, basis: .legitimateInterests, tps: true)])
        let call = MarketingQuestion(purpose: "newsletter", medium: .phone)
        #expect(rule.screeningRefusal(for: call, imports: [:], at: Self.now) == .callListsStale([.tps, .ctps]))
        let fresh = Self.now.addingTimeInterval(-27 * 86_400), stale = Self.now.addingTimeInterval(-29 * 86_400)
        #expect(rule.screeningRefusal(for: call, imports: [.tps: fresh, .ctps: fresh], at: Self.now) == nil)
        #expect(rule.screeningRefusal(for: call, imports: [.tps: stale, .ctps: fresh], at: Self.now) == .callListsStale([.tps]))
        #expect(rule.screeningRefusal(for: Self.newsletter, imports: [:], at: Self.now) == nil, "email is not screened against call lists")
        #expect(CampaignRefusal.callListsStale([.tps]).code == "marketing.call-lists-stale")
    }

    @Test("C18/OEX-69/OEX-76 (Art 21(3)): a suppression renewed keeps an objection; an unsubscribe or a bounce written later never narrows it")
    func objectionIsNeverNarrowed() {
        for old in SuppressionReason.allCases {
            for new in SuppressionReason.allCases {
                let kept = old.renewed(by: new)
                #expect(kept == (old.isObjection && !new.isObjection ? old : new), "\(old) then \(new)")
                #expect(kept.isObjection == (old.isObjection || new.isObjection), "\(old) then \(new)")
            }
        }
    }
}
