import Foundation
import Testing

@testable import PledgeCore

/// Transfers to the United States under UK GDPR Art 45A-45B (DUAA 2025 s.85): adequate only for a
/// recipient certified under the UK Extension to the EU-US Data Privacy Framework (issue 26 §5).
@Suite("Transfers to the US")
struct TransferRuleTests {
    /// compliant.yaml with the US mailer on `mechanism`, certified or not.
    static func mailer(_ mechanism: TransferMechanism, certified: Bool?, riskAssessment: CalendarDate? = nil) throws -> Declaration {
        var d = try Examples.declaration("compliant")
        let index = try #require(d.recipients?.firstIndex { $0.id == "mailer" })
        d.recipients?[index].transfer = TransferSafeguard(mechanism: mechanism, riskAssessment: riskAssessment, note: nil, dpfCertified: certified)
        return d
    }

    static func l15(_ declaration: Declaration) -> [Finding] {
        Linter(today: Examples.today).lint(declaration).filter { $0.rule == "L15" }
    }

    @Test(
        "L15/ECR-25/CAM-29: adequacy for a US recipient not declared certified is flagged; certified, or on the IDTA with a risk assessment, it is silent"
    )
    func lint() throws {
        #expect(Self.l15(try Self.mailer(.adequacy, certified: nil)).contains { $0.message.contains("Data Privacy Framework") })
        #expect(Self.l15(try Self.mailer(.adequacy, certified: false)).contains { $0.message.contains("Art 45A-45B") })
        #expect(Self.l15(try Self.mailer(.adequacy, certified: true)).isEmpty)
        #expect(Self.l15(try Self.mailer(.idta, certified: nil, riskAssessment: CalendarDate(year: 2025, month: 8, day: 20))).isEmpty)
    }

    @Test("C27: the gate refuses sending to an uncertified US recipient on 'adequacy', and allows a certified one")
    func gate() throws {
        let subject = UUID()
        let consent = ConsentEvent(
            holder: .subject(subject), scope: ConsentScope(purpose: "newsletter"), action: .granted, mechanism: "opt_in_checkbox",
            noticeVersion: "2026-10", wordingHash: "h", recordedAt: Date(timeIntervalSince1970: 1_795_000_000))
        var state = SubjectState(categories: ["customer"])
        state.consents.apply(consent)
        let request = DecisionRequest(purpose: "newsletter", categories: ["user.name"], recipient: "mailer")
        let uncertified = ProcessingGate(try Self.mailer(.adequacy, certified: nil)).decide(request, for: state, at: Date())
        #expect(uncertified.reasons.contains(.transferWithoutSafeguard(country: "US")))
        let certified = ProcessingGate(try Self.mailer(.adequacy, certified: true)).decide(request, for: state, at: Date())
        #expect(certified.isAllowed, "\(certified.reasons)")
    }

    @Test(
        "ECR-28/ECR-29/C27 (Art 46(1A)): a recipient abroad on the IDTA or the UK Addendum gets nothing until its transfer risk assessment is recorded: the gate refuses with transfer.risk-assessment-missing, the linter says so as an error, and a disclosure to it is refused"
    )
    func riskAssessmentGate() throws {
        let subject = UUID()
        var state = SubjectState(categories: ["customer"])
        state.consents.apply(
            ConsentEvent(
                holder: .subject(subject), scope: ConsentScope(purpose: "newsletter"), action: .granted, mechanism: "opt_in_checkbox",
                noticeVersion: "2026-10", wordingHash: "h", recordedAt: Date(timeIntervalSince1970: 1_795_000_000)))
        let request = DecisionRequest(purpose: "newsletter", categories: ["user.name"], recipient: "mailer")
        let assessed = CalendarDate(year: 2025, month: 8, day: 20)
        for mechanism in [TransferMechanism.idta, .euSccUkAddendum] {
            let unassessed = try Self.mailer(mechanism, certified: nil)
            #expect(unassessed.recipients?.first { $0.id == "mailer" }?.transferGap == .riskUnassessed)
            let refused = ProcessingGate(unassessed).decide(request, for: state, at: Date())
            #expect(refused.reasons.contains(.transferRiskUnassessed(country: "US")), "\(refused.reasons)")
            #expect(refused.reasons.contains { $0.code == "transfer.risk-assessment-missing" })
            #expect(Self.l15(unassessed).contains { $0.severity == .error && $0.message.contains("risk assessment") })
            let allowed = ProcessingGate(try Self.mailer(mechanism, certified: nil, riskAssessment: assessed)).decide(request, for: state, at: Date())
            #expect(allowed.isAllowed, "\(allowed.reasons)")
        }
        #expect(try Self.mailer(.deemedConsent, certified: nil).recipients?.first { $0.id == "mailer" }?.transferGap == .noSafeguard)
        #expect(try Self.mailer(.adequacy, certified: true).recipients?.first { $0.id == "mailer" }?.transferGap == nil)
    }

    @Test("C27: the notice names no safeguard for an uncertified US recipient on adequacy, and adequacy for a certified one")
    func notice() throws {
        let uncertified = NoticeWriter.markdown(NoticeComposer(declaration: try Self.mailer(.adequacy, certified: nil)).compose())
        #expect(uncertified.contains("No safeguard is in place yet"))
        let certified = NoticeWriter.markdown(NoticeComposer(declaration: try Self.mailer(.adequacy, certified: true)).compose())
        #expect(certified.contains("UK adequacy regulations (Art 45A)") && !certified.contains("No safeguard is in place yet"))
    }
}
