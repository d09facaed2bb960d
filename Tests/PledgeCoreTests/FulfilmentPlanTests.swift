import Foundation
import Testing

@testable import PledgeCore

/// What fulfilling a verified request does (issue 25 §1: the rule in Core; C30-C34, UK GDPR Arts 7(3), 15-21).
@Suite("Fulfilment plans")
struct FulfilmentPlanTests {
    let declaration: Declaration
    let received = StatutoryClockTests.at("2026-03-03")

    init() throws { declaration = try Examples.declaration("compliant") }

    func request(_ kind: RequestKind) -> RequestCase {
        RequestCase(kind: kind, channel: .email, receivedAt: received, verifiedBy: .knownContact)
    }

    func customer(_ change: (inout SubjectState) -> Void = { _ in }) -> SubjectState {
        var state = SubjectState(categories: ["customer"])
        change(&state)
        return state
    }

    @Test("C32/APX-43/OEX-71: erasure erases, keeping what a statute requires, and names the recipients to tell (Art 19)")
    func erasure() throws {
        let plan = try FulfilmentPlan(for: request(.erasure), subject: customer(), declaration: declaration)
        #expect(plan.steps == [.erase(keeping: StatutoryRetention(declaration))])
        #expect(StatutoryRetention(declaration).purposes.keys.sorted() == ["billing"])
        #expect(plan.notify == ["Cloud hosting provider", "Email delivery service", "Payment service provider"])
        guard
            case .complete(let outcome, let withheld) = plan.completion(
                erasure: ErasureReceipt(
                    values: 3, identifiers: 1, interactions: 2,
                    kept: [KeptData(purpose: "billing", values: 1, reason: "6 years")]))
        else {
            Issue.record("an erasure closes with completion")
            return
        }
        #expect(outcome.contains("erased 3 items and 2 records") && outcome.contains("The law requires us to keep some records"))
        #expect(
            withheld.map(\.ground) == [.legalObligation] && withheld[0].detail.contains("billing: 6 years"))
    }

    @Test("C32: under a legal hold an erasure becomes a restriction with the Art 17(3)(e) ground")
    func legalHold() throws {
        let plan = try FulfilmentPlan(for: request(.erasure), subject: customer { $0.legalHold = true }, declaration: declaration)
        #expect(plan.steps == [.restrict] && plan.notify.isEmpty)
        guard case .complete(let outcome, let withheld) = plan.completion() else { Issue.record("completes"); return }
        #expect(outcome.contains("needed for legal claims") && withheld.map(\.ground.label) == ["Legal claims (UK GDPR Art 17(3)(e))"])
    }

    @Test(
        "C34/OEX-23: an objection stops every legitimate-interests purpose and names them; a marketing opt-out with nobody on file suppresses the contact"
    )
    func objection() throws {
        let plan = try FulfilmentPlan(for: request(.objection), subject: customer(), declaration: declaration)
        let legitimate = declaration.purposes.filter { $0.basis == .legitimateInterests }.map(\.id)
        #expect(!legitimate.isEmpty && plan.steps == [.object(purposes: legitimate)])
        #expect(try FulfilmentPlan(for: request(.marketingOptOut), subject: nil, declaration: declaration).steps == [.suppressContact])
        #expect(try FulfilmentPlan(for: request(.marketingOptOut), subject: customer(), declaration: declaration).steps == [.objectToMarketing])
    }

    @Test("C10/Art 7(3): a consent withdrawal withdraws exactly what is granted; with nothing granted it does nothing and says so")
    func withdrawal() throws {
        let granted = customer {
            $0.consents.apply(
                ConsentEvent(
                    holder: .subject(UUID()), scope: ConsentScope(purpose: "newsletter"), action: .granted, mechanism: "form",
                    noticeVersion: "1", wordingHash: "h", recordedAt: received))
        }
        #expect(
            try FulfilmentPlan(for: request(.consentWithdrawal), subject: granted, declaration: declaration).steps == [
                .withdrawConsent(purposes: ["newsletter"])
            ])
        let none = try FulfilmentPlan(for: request(.consentWithdrawal), subject: customer(), declaration: declaration)
        #expect(none.steps.isEmpty && none.completion() == .complete(outcome: "You had no consents in force.", withheld: []))
    }

    @Test(
        "C30/ECR-39: access with nobody on file builds nothing and says no data is held; rectification needs a person; only a case in progress is fulfilled"
    )
    func refusals() throws {
        let nobody = try FulfilmentPlan(for: request(.access), subject: nil, declaration: declaration)
        #expect(nobody.steps.isEmpty)
        #expect(nobody.completion() == .complete(outcome: "We have searched our records and hold no personal data about you.", withheld: []))
        #expect(try FulfilmentPlan(for: request(.access), subject: customer(), declaration: declaration).steps == [.export])
        #expect(throws: CaseRefusal.notForKind(action: "fulfil", kind: .rectification)) {
            try FulfilmentPlan(for: request(.rectification), subject: customer(), declaration: declaration)
        }
        let unverified = RequestCase(kind: .access, channel: .privacyCentre, receivedAt: received)
        #expect(throws: CaseRefusal.transition(action: "fulfil", state: .awaitingVerification)) {
            try FulfilmentPlan(for: unverified, subject: customer(), declaration: declaration)
        }
    }
}
