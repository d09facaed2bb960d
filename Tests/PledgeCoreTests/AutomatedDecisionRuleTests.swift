import Testing

@testable import PledgeCore

/// Solely automated significant decisions under Arts 22A–22D as the Data (Use and Access) Act 2025
/// s.80 wrote them (issue 26 §2), in L34.
@Suite("Automated decision rules")
struct AutomatedDecisionRuleTests {
    static let safeguarded = AutomatedDecisions(
        solelyAutomated: true, significantEffects: true, logic: "A score from payment history decides the credit limit.",
        safeguards: "We tell you, you can make representations, ask for a person to decide again, and contest the decision.")

    /// L34's findings on compliant.yaml with purpose 0 (`service`, on contract) changed.
    static func l34(_ change: (inout Purpose) -> Void) throws -> [Finding] { try Examples.findings("L34") { change(&$0.purposes[0]) } }

    @Test("L34: a safeguarded, explained automated decision on ordinary data is silent; so is one without significant effects")
    func silent() throws {
        #expect(try Self.l34 { $0.automatedDecisions = Self.safeguarded }.isEmpty)
        #expect(
            try Self.l34 {
                $0.automatedDecisions = AutomatedDecisions(solelyAutomated: true, significantEffects: false, logic: nil, safeguards: nil)
            }.isEmpty)
    }

    @Test("L34 (Art 22C): without the safeguards it is an error, not info")
    func safeguardsMissing() throws {
        let findings = try Self.l34 { $0.automatedDecisions = AutomatedDecisions(solelyAutomated: true, significantEffects: true, logic: "x") }
        #expect(findings.contains { $0.path == "purposes[0].automated_decisions.safeguards" && $0.severity == .error })
    }

    @Test("L34 (Art 22B(1)-(2)): on special category data only with explicit consent or substantial public interest")
    func specialCategory() throws {
        func onHealth(_ condition: SpecialCategoryCondition) throws -> [Finding] {
            try Self.l34 { purpose in
                purpose.automatedDecisions = Self.safeguarded
                purpose.categories.append("user.health_and_medical")
                purpose.specialCondition = condition
            }
        }
        #expect(try onHealth(.consent).contains { $0.severity == .error && $0.message.contains("Art 22B(1)") })
        #expect(try onHealth(.legalClaims).contains { $0.message.contains("Art 22B(1)") })
        #expect(try onHealth(.explicitConsent).isEmpty)
    }

    @Test("L34 (Art 22B(4)): never on recognised legitimate interests")
    func recognisedLegitimateInterests() throws {
        let findings = try Self.l34 { purpose in
            purpose.automatedDecisions = Self.safeguarded
            purpose.basis = .recognisedLegitimateInterest
        }
        #expect(findings.contains { $0.severity == .error && $0.message.contains("Art 22B(4)") })
    }
}
