import Foundation
import Testing

@testable import PledgeCore

/// The breach register's rules (C39; UK GDPR Arts 33, 34): the ICO clock from awareness, the
/// assessment that decides who is told, and what each record needs.
@Suite("Breach clock")
struct BreachClockTests {
    static let aware = Date(timeIntervalSince1970: 1_800_000_000)
    static func hours(_ hours: Double) -> Date { aware.addingTimeInterval(hours * 3600) }

    static func breach() throws -> Breach {
        try Breach.recorded(
            awareAt: aware, facts: "A laptop with the customer list was stolen", categories: ["user.contact.email"], reportedBy: "key:dpo",
            at: hours(1))
    }

    @Test(
        "APX-50/C39 (Art 33(1)): a breach logged at T runs until T+48h, escalates then, and is overdue at T+72h unless notified or assessed unlikely to be a risk"
    )
    func clock() throws {
        let breach = try Self.breach()
        #expect(breach.standing(at: Self.hours(1)) == .running(due: Self.hours(72)))
        #expect(breach.standing(at: Self.hours(47.9)) == .running(due: Self.hours(72)))
        #expect(breach.standing(at: Self.hours(48)) == .escalated(due: Self.hours(72)))
        #expect(breach.standing(at: Self.hours(72)) == .overdue(since: Self.hours(72)))
        let unlikely = try breach.assessed(.unlikely, reasoning: "The disk was encrypted and the key was not with it")
        #expect(unlikely.standing(at: Self.hours(100)) == .notRequired && !unlikely.individualsToBeTold)
        let onTime = try breach.notifiedToICO(at: Self.hours(30), reference: "ICO-1", latenessReason: nil, checkedAt: Self.hours(31))
        #expect(onTime.standing(at: Self.hours(100)) == .notified(at: Self.hours(30), late: false) && onTime.latenessReason == nil)
    }

    @Test(
        "APX-50 (Art 33(1)): after 72 hours the ICO notification needs the reasons for the delay; it is recorded once, never before awareness or in the future"
    )
    func lateNotification() throws {
        let breach = try Self.breach()
        #expect(throws: BreachRefusal.latenessReasonMissing) {
            try breach.notifiedToICO(at: Self.hours(80), reference: nil, latenessReason: "  ", checkedAt: Self.hours(81))
        }
        let late = try breach.notifiedToICO(
            at: Self.hours(80), reference: nil, latenessReason: "The theft was reported to us by the police only on day 3", checkedAt: Self.hours(81))
        #expect(late.standing(at: Self.hours(81)) == .notified(at: Self.hours(80), late: true) && late.latenessReason != nil)
        #expect(throws: BreachRefusal.alreadyNotified) {
            try late.notifiedToICO(at: Self.hours(81), reference: nil, latenessReason: "again", checkedAt: Self.hours(82))
        }
        #expect(throws: BreachRefusal.notificationTimeInvalid) {
            try breach.notifiedToICO(at: Self.hours(-1), reference: nil, latenessReason: nil, checkedAt: Self.hours(2))
        }
        #expect(throws: BreachRefusal.notificationTimeInvalid) {
            try breach.notifiedToICO(at: Self.hours(5), reference: nil, latenessReason: nil, checkedAt: Self.hours(2))
        }
    }

    @Test(
        "APX-49/APX-50 (Art 34(1)): the people concerned are told after a high-risk assessment, which needs its reasoning; a breach needs its awareness time and facts"
    )
    func individualsAndBadInput() throws {
        let breach = try Self.breach()
        #expect(throws: BreachRefusal.individualsNotRequired) { try breach.notifiedToIndividuals(at: Self.hours(2), checkedAt: Self.hours(3)) }
        #expect(throws: BreachRefusal.reasoningMissing) { try breach.assessed(.high, reasoning: "") }
        let high = try breach.assessed(.high, reasoning: "Names, addresses and bank details of 300 customers")
        #expect(high.individualsToBeTold)
        let told = try high.notifiedToIndividuals(at: Self.hours(10), checkedAt: Self.hours(11))
        #expect(!told.individualsToBeTold && told.standing(at: Self.hours(11)) == .running(due: Self.hours(72)), "the ICO is still to be told")
        #expect(throws: BreachRefusal.awarenessMissing) {
            try Breach.recorded(awareAt: nil, facts: "x", categories: [], reportedBy: "key:dpo", at: Self.aware)
        }
        #expect(throws: BreachRefusal.awarenessInFuture) {
            try Breach.recorded(awareAt: Self.hours(2), facts: "x", categories: [], reportedBy: "key:dpo", at: Self.aware)
        }
        #expect(throws: BreachRefusal.factsMissing) {
            try Breach.recorded(awareAt: Self.aware, facts: " \n", categories: [], reportedBy: "key:dpo", at: Self.aware)
        }
    }

    @Test(
        "APX-50 (Art 34(2)): the notice to the people concerned says what happened, the likely consequences, the measures and whom to contact, in plain words; it is refused until the breach is high risk and complete, and after it went"
    )
    func noticeToIndividuals() throws {
        var organisation = try Examples.declaration("compliant").organisation
        let recorded = try Self.breach()
        #expect(throws: BreachRefusal.individualsNotRequired) { try BreachNotice(for: recorded, organisation: organisation) }
        let high = try recorded.assessed(.high, reasoning: "Emails can be phished")
        #expect(
            throws: BreachRefusal.noticeIncomplete([
                "its likely consequences (Art 33(3)(c))", "the measures taken or proposed (Art 33(3)(d))",
            ])
        ) { try BreachNotice(for: high, organisation: organisation) }
        let complete = try high.assessed(
            .high, reasoning: "Emails can be phished", consequences: "Phishing emails in our name",
            measures: "Passwords reset; the laptop wiped remotely")
        #expect(complete.riskReasoning == "Emails can be phished" && complete.measures == "Passwords reset; the laptop wiped remotely")
        let notice = try BreachNotice(for: complete, organisation: organisation)
        #expect(notice.subject == "\(organisation.name): a personal data breach that affects you")
        for part in [
            "A laptop with the customer list was stolen", "Phishing emails in our name", "Passwords reset; the laptop wiped remotely",
            "Data protection officer: Priya Shah", "Email: dpo@northwind.example", "https://ico.org.uk/make-a-complaint/",
        ] {
            #expect(notice.text.contains(part), "\(part)")
        }
        // Without a DPO, the privacy contact point (Art 33(3)(b)); with neither, refused.
        organisation.dpo = nil
        let contactOnly = try BreachNotice(for: complete, organisation: organisation).text
        #expect(contactOnly.contains("Email: privacy@northwind.example") && contactOnly.contains("Post: Privacy Team"))
        organisation.contact = ContactPoint()
        #expect(throws: BreachRefusal.noticeIncomplete(["a contact point: organisation.dpo or organisation.contact (Art 33(3)(b))"])) {
            try BreachNotice(for: complete, organisation: organisation)
        }
        let told = try complete.notifiedToIndividuals(at: Self.hours(5), checkedAt: Self.hours(5))
        #expect(throws: BreachRefusal.individualsAlreadyNotified) { try BreachNotice(for: told, organisation: organisation) }
        #expect(throws: BreachRefusal.individualsAlreadyNotified) { try told.notifiedToIndividuals(at: Self.hours(6), checkedAt: Self.hours(6)) }
    }
}
