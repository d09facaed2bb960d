import Crypto
import Foundation
import Testing

@testable import PledgeCore

/// Rules that used to live in the HTTP handlers, now in Core (issue 25 §1), on the compliant example.
@Suite("Rules moved out of the handlers")
struct HandlerRuleTests {
    let declaration: Declaration

    init() throws { declaration = try Examples.declaration("compliant") }

    @Test(
        "C23/ECR-25/ECR-47 (Art 28(3)): a processor's key uses only the purposes it is declared for, and only while its contract is in force; a scoped key only its scope"
    )
    func purposeAccess() {
        #expect(PurposeAccess.refusal(role: .processor("hosting"), scopedTo: nil, keyName: "h", purpose: "service", in: declaration) == nil)
        #expect(
            PurposeAccess.refusal(role: .processor("hosting"), scopedTo: nil, keyName: "h", purpose: "newsletter", in: declaration)
                == .notServedByProcessor(processor: "hosting", purpose: "newsletter"))
        #expect(
            PurposeAccess.refusal(role: .support, scopedTo: ["service"], keyName: "s", purpose: "billing", in: declaration)?.code == "auth.purpose")
        #expect(PurposeAccess.refusal(role: .dpo, scopedTo: nil, keyName: "d", purpose: "billing", in: declaration) == nil)
        #expect(PurposeAccess.contractRefusal(role: .processor("hosting"), in: declaration, on: CalendarDate(year: 2026, month: 12, day: 5)) == nil)
        #expect(
            PurposeAccess.contractRefusal(role: .processor("hosting"), in: declaration, on: CalendarDate(year: 2028, month: 6, day: 1))
                == .contractNotInForce(processor: "hosting"))
        #expect(
            PurposeAccess.contractRefusal(role: .processor("police"), in: declaration, on: CalendarDate(year: 2026, month: 12, day: 5)) != nil,
            "a recipient that is not a processor has no processor key")
        #expect(PurposeAccess.contractRefusal(role: .processor("hosting"), in: nil, on: CalendarDate(year: 2026, month: 12, day: 5)) != nil)
        #expect(PurposeAccess.contractRefusal(role: .admin, in: nil, on: CalendarDate(year: 2026, month: 12, day: 5)) == nil)
    }

    @Test("C10/APX-31 (Art 4(11), 7(1)): a consent is recorded only for a declared purpose and recipient, never inferred, always with its wording")
    func consentSubmission() throws {
        let at = Date(timeIntervalSince1970: 1_795_000_000)
        let subject = UUID()
        func event(_ submission: ConsentSubmission) throws(ConsentRefusal) -> ConsentEvent {
            try submission.event(for: .subject(subject), noticeVersion: "2026-10", in: declaration, at: at)
        }
        let granted = try event(
            ConsentSubmission(purpose: "newsletter", action: .granted, mechanism: "opt_in_checkbox", wording: "Send me the newsletter"))
        #expect(
            granted.wordingHash == SHA256.hex("Send me the newsletter") && granted.holder == .subject(subject) && granted.noticeVersion == "2026-10")
        let hashed = try event(
            ConsentSubmission(purpose: "newsletter", action: .withdrawn, mechanism: "email", wordingSHA256: String(repeating: "AB", count: 32)))
        #expect(hashed.wordingHash == String(repeating: "ab", count: 32))
        #expect(throws: ConsentRefusal.purposeUnknown("raffle")) {
            try event(ConsentSubmission(purpose: "raffle", action: .granted, mechanism: "form", wording: "x"))
        }
        #expect(throws: ConsentRefusal.recipientUnknown("broker")) {
            try event(ConsentSubmission(purpose: "newsletter", recipient: "broker", action: .granted, mechanism: "opt_in_checkbox", wording: "x"))
        }
        let inferred = try #require(ConsentMechanism.allCases.first { $0.isInferred })
        #expect(throws: ConsentRefusal.inferred(inferred.rawValue)) {
            try event(ConsentSubmission(purpose: "newsletter", action: .granted, mechanism: inferred.rawValue, wording: "x"))
        }
        #expect(throws: ConsentRefusal.mechanismInvalid) {
            try event(ConsentSubmission(purpose: "newsletter", action: .granted, mechanism: "", wording: "x"))
        }
        #expect(throws: ConsentRefusal.wordingMissing) {
            try event(ConsentSubmission(purpose: "newsletter", action: .granted, mechanism: "opt_in_checkbox"))
        }
        #expect(throws: ConsentRefusal.wordingMissing) {
            try event(ConsentSubmission(purpose: "newsletter", action: .granted, mechanism: "opt_in_checkbox", wordingSHA256: "not-hex"))
        }
    }

    @Test("C04/C35: categories and stages must be declared; flagging a child erases (DPA 2018 s.9); an empty change is refused")
    func subjects() throws {
        #expect(SubjectClassification.refusal(categories: ["customer"], stage: nil, in: declaration) == nil)
        #expect(SubjectClassification.refusal(categories: ["martian"], stage: nil, in: declaration)?.code == "subject.category-unknown")
        #expect(SubjectClassification.refusal(categories: ["customer"], stage: "abducted", in: declaration)?.code == "subject.stage-unknown")
        #expect(try SubjectFlagUpdate(child: true, restricted: false, legalHold: nil, stage: nil) == .eraseAsChild)
        #expect(
            try SubjectFlagUpdate(child: false, restricted: true, legalHold: true, stage: "ended")
                == .change([.restriction(true), .legalHold(true), .stage("ended")]))
        #expect(throws: SubjectRefusal.nothingToChange) { try SubjectFlagUpdate(child: nil, restricted: nil, legalHold: nil, stage: nil) }
    }

    @Test("C28/C40: confirmed requests run at once except those needing judgement; a complaint is acknowledged on receipt (DPA 2018 s.164A(3)(a))")
    func requestKinds() {
        let waiting = RequestKind.allCases.filter { !$0.runsOnConfirmation }
        #expect(Set(waiting) == [.rectification, .complaint, .parentalDeletion, .question])
        #expect(RequestKind.allCases.filter(\.acknowledgedOnReceipt) == [.complaint])
    }
}
