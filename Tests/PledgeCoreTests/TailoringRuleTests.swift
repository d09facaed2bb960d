import Foundation
import PledgeTestSupport
import Testing

@testable import PledgeCore

/// Marketing tailored to a person's interests (OEX-16, OEX-24; C45, C17): profiling under a declared
/// purpose that reads no payment data, stopped by an objection.
@Suite("Tailoring")
struct TailoringRuleTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// compliant.yaml with a profiling purpose for marketing, changed by `change`.
    static func declaration(_ change: (inout Purpose) -> Void = { _ in }) throws -> Declaration {
        try Examples.declaration("compliant").addingInterestsPurpose(change)
    }

    @Test(
        "OEX-24/OEX-35/C42: selecting by interest needs a declared profiling purpose on consent or an assessed legitimate interest, reading no payment data"
    )
    func declared() throws {
        #expect(TailoringRule(try Examples.declaration("compliant")).refusal() == .tailoringUndeclared)
        #expect(TailoringRule(try Self.declaration()).refusal() == nil)
        #expect(TailoringRule(try Self.declaration()).purpose?.id == "interests")
        #expect(
            TailoringRule(try Self.declaration { $0.categories.append("user.financial.account_number") }).refusal()
                == .tailoringReadsPaymentData("user.financial.account_number"))
        #expect(TailoringRule(try Self.declaration { $0.lia = nil }).refusal() == .tailoringBasis("interests"))
        #expect(TailoringRule(try Self.declaration { $0.basis = .contract }).refusal() == .tailoringBasis("interests"))
        #expect(TailoringRule(try Self.declaration { $0.basis = .consent }).refusal() == nil)
    }

    @Test(
        "OEX-16/OEX-24 (Art 21(2)-(3)): a person is chosen only for a topic among their interests, never after objecting to the profiling or to marketing, and on consent only with it"
    )
    func perPerson() throws {
        let rule = TailoringRule(try Self.declaration())
        let boats: Set<String> = ["boats"]
        #expect(rule.refusal(for: SubjectState(), interests: ["boats", "cars"], asked: boats) == nil)
        #expect(rule.refusal(for: SubjectState(), interests: ["cars"], asked: boats) == .notInterested)
        #expect(
            rule.refusal(for: SubjectState(objections: ["interests": Objection(at: Self.now)]), interests: ["boats"], asked: boats)
                == .profilingObjected(at: Self.now))
        #expect(rule.refusal(for: SubjectState(marketingObjection: Self.now), interests: ["boats"], asked: boats) == .profilingObjected(at: Self.now))
        // Compelling grounds never override an objection to direct marketing (Art 21(3)).
        let overridden = SubjectState(objections: ["interests": Objection(at: Self.now, compellingGrounds: "we want to")])
        #expect(rule.refusal(for: overridden, interests: ["boats"], asked: boats) == .profilingObjected(at: Self.now))

        let onConsent = TailoringRule(try Self.declaration { $0.basis = .consent })
        #expect(onConsent.refusal(for: SubjectState(), interests: ["boats"], asked: boats) == .profilingConsentAbsent)
        let granted = ConsentEvent(
            holder: .subject(UUID()), scope: ConsentScope(purpose: "interests"), action: .granted, mechanism: "opt_in_checkbox",
            noticeVersion: "1", wordingHash: "h", recordedAt: Self.now)
        #expect(onConsent.refusal(for: SubjectState(consents: ConsentState(events: [granted])), interests: ["boats"], asked: boats) == nil)
        #expect(TailoringRule.topics(" Boats, cars\nboats ,, ") == ["boats", "cars"])
        #expect(MarketingRefusal.rule(forCode: "profiling_objected")?.contains("Art 21") == true)
    }
}
