import Foundation
import Testing

@testable import PledgeCore

/// Service messages (issue 28 §6; C16): sent on their purpose's own basis whatever the person's
/// marketing choices, never tracked, never promoting.
@Suite("Service messages")
struct ServiceMessageRuleTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let billing = MarketingQuestion(purpose: "billing", medium: .email)
    static let service = MarketingQuestion(purpose: "service", medium: .email)

    static func contact(suppression: SuppressionReason? = nil, change: (inout SubjectState) -> Void = { _ in }) -> MarketingContact {
        var state = SubjectState(categories: ["customer"])
        change(&state)
        return MarketingContact(state: state, suppression: suppression)
    }

    @Test(
        "C16/OEX-37/CAM-24/CAM-25 (PECR reg 22 covers marketing only): an unsubscribed, complaining or marketing-objecting customer still gets account and invoice messages"
    )
    func marketingOptOutDoesNotStopServiceMessages() throws {
        let rule = MarketingPermissionRule(try Examples.declaration("compliant"))
        for reason in [SuppressionReason.unsubscribed, .objection, .staffOptOut, .complaint, .marketing] {
            #expect(rule.decide(Self.billing, for: Self.contact(suppression: reason), at: Self.now) == .allowed(.service), "\(reason)")
        }
        let objecting = Self.contact { $0.marketingObjection = Self.now }
        #expect(rule.decide(Self.service, for: objecting, at: Self.now) == .allowed(.service))
        let objectingToNewsletter = Self.contact { $0.objections = ["newsletter": Objection(at: Self.now)] }
        #expect(rule.decide(Self.billing, for: objectingToNewsletter, at: Self.now) == .allowed(.service))
    }

    @Test(
        "CLQ-28 (C20): Classeq tells a contest's winners through the contest's own purpose: an entrant who agreed to take part is written to though they unsubscribed from newsletters; one who withdrew is not"
    )
    func contestWinnersAreNotified() throws {
        let rule = MarketingPermissionRule(try Examples.declaration("classeq"))
        let winners = MarketingQuestion(purpose: "surveys", medium: .email)
        func entrant(_ actions: [ConsentAction], suppression: SuppressionReason? = nil) -> MarketingContact {
            let events = actions.enumerated().map { index, action in
                ConsentEvent(
                    holder: .subject(UUID()), scope: ConsentScope(purpose: "surveys"), action: action, mechanism: "opt_in_checkbox",
                    noticeVersion: "1", wordingHash: String(repeating: "a", count: 64), recordedAt: Self.now.addingTimeInterval(Double(index - 10)))
            }
            return MarketingContact(state: SubjectState(categories: ["entrant"], consents: ConsentState(events: events)), suppression: suppression)
        }
        #expect(rule.decide(winners, for: entrant([.granted], suppression: .unsubscribed), at: Self.now) == .allowed(.service))
        #expect(rule.decide(winners, for: entrant([.granted, .withdrawn]), at: Self.now) != .allowed(.service))
        #expect(rule.decide(winners, for: entrant([]), at: Self.now) == .refused(.consentAbsent))
    }

    @Test(
        "C16 (UK GDPR Art 18, Art 21(1)): a hard bounce, no address, a restriction, another audience or an objection to the purpose itself stop one")
    func whatStopsAServiceMessage() throws {
        var declaration = try Examples.declaration("compliant")
        let rule = MarketingPermissionRule(declaration)
        #expect(rule.decide(Self.billing, for: Self.contact(suppression: .hardBounce), at: Self.now) == .refused(.suppressed(.hardBounce)))
        var unreachable = Self.contact()
        unreachable.reachable = false
        #expect(rule.decide(Self.billing, for: unreachable, at: Self.now) == .refused(.noAddress))
        #expect(rule.decide(Self.billing, for: Self.contact { $0.restricted = true }, at: Self.now) == .refused(.restricted))
        #expect(rule.decide(Self.billing, for: Self.contact { $0.categories = ["enquirer"] }, at: Self.now) == .refused(.notInAudience))
        #expect(
            rule.decide(MarketingQuestion(purpose: "billing", medium: .sms), for: Self.contact(), at: Self.now) == .refused(.channelNotDeclared(.sms))
        )
        // Enquiries rest on legitimate interests: an objection to them holds unless compelling grounds are recorded (Art 21(1)).
        let enquiries = MarketingQuestion(purpose: "enquiries", medium: .email)
        let objected = Self.contact {
            $0.categories = ["enquirer"]; $0.objections = ["enquiries": Objection(at: Self.now)]
        }
        #expect(rule.decide(enquiries, for: objected, at: Self.now) == .refused(.objected(at: Self.now)))
        let overridden = Self.contact {
            $0.categories = ["enquirer"]; $0.objections = ["enquiries": Objection(at: Self.now, compellingGrounds: "fraud investigation")]
        }
        #expect(rule.decide(enquiries, for: overridden, at: Self.now) == .allowed(.service))
        // A contract purpose carries no Art 21(1) right: an objection recorded against it does not stop an invoice.
        #expect(
            rule.decide(Self.billing, for: Self.contact { $0.objections = ["billing": Objection(at: Self.now)] }, at: Self.now) == .allowed(.service))
        // A service purpose on consent needs it (a digest the person asked for).
        let index = try #require(declaration.purposes.firstIndex { $0.id == "service" })
        declaration.purposes[index].basis = .consent
        #expect(MarketingPermissionRule(declaration).decide(Self.service, for: Self.contact(), at: Self.now) == .refused(.consentAbsent))
    }

    @Test("C16/CAM-25/CLQ-18 (ICO direct marketing guidance): a service campaign that promotes, or asks for tracking, is refused; a plain one passes")
    func serviceCampaignChecks() throws {
        let declaration = try Examples.declaration("compliant")
        let rule = MarketingPermissionRule(declaration)
        func refusal(_ draft: CampaignTemplate.Draft) -> CampaignRefusal? {
            CampaignTemplate.refusal(draft, question: Self.billing, declaration: declaration, rule: rule)
        }
        #expect(refusal(.init(subject: "Your invoice", text: "Hello {{user.name}}, your invoice for November is attached.")) == nil)
        #expect(refusal(.init(subject: "Your invoice", text: "Get 20% off your next plan!")) == .servicePromotional("20% off"))
        #expect(
            refusal(.init(subject: "Your invoice", text: "Paid.", html: "<p>Use promo code WINTER</p>")) == .servicePromotional("promo code"))
        #expect(refusal(.init(subject: "Upgrade now and save", text: "Paid.")) == .servicePromotional("Upgrade now"))
        #expect(refusal(.init(subject: "Your invoice", text: "Paid.", tracking: .aggregate)) == .serviceTracked)
        #expect(rule.refusal(for: Self.billing, categories: ["enquirer"]) == .categoryNotInAudience("enquirer", audience: ["customer"]))
        #expect(rule.refusal(for: MarketingQuestion(purpose: "billing", medium: .post), categories: []) == .mediumNotSent(.post))
        #expect(rule.audience(for: Self.billing, categories: []) == ["customer"])
        // A purpose that reads no email address could address nobody.
        #expect(
            CampaignTemplate.refusal(
                .init(subject: "Hi", text: "x"), question: MarketingQuestion(purpose: "statistics", medium: .email), declaration: declaration,
                rule: rule) == .purposeReadsNoAddress("statistics"))
    }

    @Test("C16/OEX-37: a service message's footer names the sender and says why it comes; it offers no unsubscribe")
    func serviceFooter() throws {
        let declaration = try Examples.declaration("compliant")
        let footer = try #require(CampaignFooter(for: declaration.organisation, service: true)?.text(unsubscribeURL: ""))
        #expect(footer.contains("Northwind Analytics Ltd, 4 Quay Street, Bristol BS1 4DJ"))
        #expect(footer.contains("whatever your marketing choices") && !footer.contains("unsubscribe"))
        let html = try #require(CampaignFooter(for: declaration.organisation, service: true)).html(unsubscribeURL: "https://x.example/u/T")
        #expect(html.contains("whatever your marketing choices") && !html.contains("unsubscribe") && !html.contains("x.example"))
    }
}
