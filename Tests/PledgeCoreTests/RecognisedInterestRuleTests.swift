import Testing

@testable import PledgeCore

/// Recognised legitimate interests, UK GDPR Art 6(1)(ea), 6(5) and Annex 1 (DUAA 2025 s.70), in L21 (issue 26 §3).
@Suite("Recognised legitimate interests")
struct RecognisedInterestRuleTests {
    static func l21(_ change: (inout Declaration) -> Void) throws -> [Finding] { try Examples.findings("L21", after: change) }

    static func index(_ d: Declaration, _ id: String) -> Int { d.purposes.firstIndex { $0.id == id } ?? 0 }

    @Test("L21 (Art 6(5)): a purpose on recognised legitimate interests names its Annex 1 condition; named, it is silent and the notice says which")
    func conditionNamed() throws {
        let missing = try Self.l21 { d in d.purposes[Self.index(d, "security")].basis = .recognisedLegitimateInterest }
        #expect(missing.contains { $0.path.hasSuffix("recognised_interest") && $0.severity == .error })
        var named = try Examples.declaration("compliant")
        named.purposes[Self.index(named, "security")].basis = .recognisedLegitimateInterest
        named.purposes[Self.index(named, "security")].recognisedInterest = .crime
        #expect(!Linter(today: Examples.today).lint(named).contains { $0.rule == "L21" })
        #expect(
            NoticeWriter.markdown(NoticeComposer(declaration: named).compose()).contains(
                "detecting, investigating or preventing crime (Annex 1 para 4)"))
    }

    @Test("L21 (Annex 1): a newsletter meets no Annex 1 condition, whatever it names")
    func newsletterFitsNone() throws {
        let findings = try Self.l21 { d in
            d.purposes[Self.index(d, "newsletter")].basis = .recognisedLegitimateInterest
            d.purposes[Self.index(d, "newsletter")].recognisedInterest = .crime
        }
        #expect(findings.contains { $0.message.contains("direct marketing") && $0.severity == .error })
    }

    @Test("L21 (Art 6(1), last subparagraph): a public authority cannot rely on (ea) or (f) for its tasks; a company can")
    func publicAuthority() throws {
        let authority = try Self.l21 { d in d.organisation.publicAuthority = true }
        #expect(authority.contains { $0.path == "purposes[\(Self.index(try! Examples.declaration("compliant"), "enquiries"))].basis" })
        #expect(try Self.l21 { d in d.organisation.publicAuthority = false }.isEmpty)
    }
}
