import Foundation
import Testing

@testable import PledgeCore

/// The request state machine (issue 5 §1-3, §8; C28, C29, C40): every transition and refusal path.
@Suite("Request cases")
struct RequestCaseTests {
    let clock = StatutoryClockTests.london
    let received = StatutoryClockTests.at("2025-03-03")

    func day(_ text: String, _ hour: Int = 10) -> Date { StatutoryClockTests.at(text, hour) }

    @Test("C28/C29/ECR-44: a privacy-centre access request waits for identity; verifying starts the month again and opens the work")
    func verification() throws {
        let opened = RequestCase(kind: .access, channel: .privacyCentre, receivedAt: received)
        #expect(opened.state == .awaitingVerification)
        #expect(throws: CaseRefusal.transition(action: "complete", state: .awaitingVerification)) {
            try opened.applying(.complete(outcome: "Sent", withheld: []), at: day("2025-03-04"), clock: clock)
        }
        let verified = try opened.applying(.verify(.emailLink, note: nil), at: day("2025-03-20"), clock: clock)
        #expect(verified.state == .inProgress && verified.verifiedBy == .emailLink)
        #expect(verified.dueOn(clock: clock, at: day("2025-03-20")) == CalendarDate("2025-04-22"))
        #expect(throws: CaseRefusal.transition(action: "verify", state: .inProgress)) {
            try verified.applying(.verify(.emailLink, note: nil), at: day("2025-03-21"), clock: clock)
        }
    }

    @Test("C29/OEX-74: a signed-in request proceeds without documents; documents need a recorded doubt and their deletion is recorded")
    func documents() throws {
        let session = RequestCase(kind: .access, channel: .privacyCentre, receivedAt: received, verifiedBy: .accountSession)
        #expect(session.state == .inProgress && session.documentsReason == nil)
        #expect(throws: CaseRefusal.self) { try session.applying(.askForDocuments(reason: ""), at: received, clock: clock) }
        #expect(throws: CaseRefusal.transition(action: "documents_deleted", state: .inProgress)) {
            try session.applying(.documentsDeleted, at: received, clock: clock)
        }
        let doubt = try session.applying(
            .askForDocuments(reason: "The email on file bounced and the address given differs"), at: received, clock: clock)
        #expect(doubt.state == .awaitingVerification && doubt.verifiedBy == nil)
        let checked = try doubt.applying(.verify(.documentCheck, note: "Passport seen"), at: day("2025-03-05"), clock: clock)
            .applying(.documentsDeleted, at: day("2025-03-05"), clock: clock)
        #expect(checked.documentsDeleted && checked.state == .inProgress)
    }

    @Test(
        "C29/ECR-52: a request made for someone else is verified only with the authority seen recorded (agent, parent)",
        arguments: [RequesterRelation.authorisedAgent, .parent])
    func authority(relation: RequesterRelation) throws {
        let opened = RequestCase(kind: .access, channel: .post, relation: relation, receivedAt: received)
        #expect(
            throws: CaseRefusal.reasonMissing(
                "verifying a request made for someone else (the authority seen: a signed authority, a power of attorney, or parental responsibility and why the child cannot act alone)"
            )
        ) {
            try opened.applying(.verify(.documentCheck, note: nil), at: day("2025-03-04"), clock: clock)
        }
        #expect(throws: CaseRefusal.self) { try opened.applying(.verify(.knownContact, note: "  "), at: day("2025-03-04"), clock: clock) }
        let verified = try opened.applying(
            .verify(.documentCheck, note: "Signed letter of authority from the subject, dated 1 March 2025"), at: day("2025-03-04"), clock: clock)
        #expect(verified.state == .inProgress)
        // The subject's own request needs no authority note.
        #expect(
            try RequestCase(kind: .access, channel: .post, receivedAt: received).applying(
                .verify(.knownContact, note: nil), at: day("2025-03-04"), clock: clock
            ).state == .inProgress)
    }

    @Test(
        "C29 (issue 26 §9; Art 12A(2)(b)): staff satisfied of identity without asking for anything leave the month running from receipt; documents asked for with a recorded doubt restart it"
    )
    func verificationWithoutAskingKeepsTheStart() throws {
        let received = day("2027-03-01")
        let logged = RequestCase(kind: .access, channel: .post, receivedAt: received)
        let verified = try logged.applying(.verify(.knownContact, note: "Signature matches the one on file"), at: day("2027-03-10"), clock: clock)
        #expect(verified.timing.startsAt == received && verified.dueOn(clock: clock, at: day("2027-03-10")) == CalendarDate("2027-04-01"))
        let doubted = try logged.applying(.askForDocuments(reason: "The address differs from the one we hold"), at: day("2027-03-02"), clock: clock)
        let checked = try doubted.applying(.verify(.documentCheck, note: "Passport seen"), at: day("2027-03-10"), clock: clock)
        #expect(checked.timing.startsAt == day("2027-03-10") && checked.dueOn(clock: clock, at: day("2027-03-10")) == CalendarDate("2027-04-12"))
    }

    @Test("C28: clarification pauses the clock and resumes it; completion closes a pause left open")
    func clarification() throws {
        let open = RequestCase(kind: .rectification, channel: .email, receivedAt: received, verifiedBy: .knownContact)
        #expect(throws: CaseRefusal.reasonMissing("asking for clarification (the question)")) {
            try open.applying(.askForClarification(question: " "), at: day("2025-03-10"), clock: clock)
        }
        let waiting = try open.applying(.askForClarification(question: "Which address is wrong?"), at: day("2025-03-10"), clock: clock)
        #expect(waiting.state == .awaitingClarification && waiting.urgency(clock: clock, at: day("2025-03-12")) == .onTrack)
        let resumed = try waiting.applying(.clarified, at: day("2025-03-17"), clock: clock)
        // Paused 10 to 17 March, both days counted (Art 12A(3)): 8 days after 3 April.
        #expect(resumed.state == .inProgress && resumed.dueOn(clock: clock, at: day("2025-03-30")) == CalendarDate("2025-04-11"))
        let refused = try waiting.applying(
            .refuse(.manifestlyUnfounded, reason: "No reply to our question in two months"), at: day("2025-05-10"), clock: clock)
        #expect(refused.state == .refused && refused.timing.pauses.last?.until == day("2025-05-10"))
    }

    @Test("C28: extensions only within the first month, and never for complaints")
    func extensions() throws {
        let open = RequestCase(kind: .access, channel: .post, receivedAt: day("2025-01-31"), verifiedBy: .knownContact)
        let extended = try open.applying(
            .extend(months: 2, reasons: "Twelve years of records across three systems"), at: day("2025-02-20"), clock: clock)
        #expect(extended.dueOn(clock: clock, at: day("2025-02-20")) == CalendarDate("2025-04-30"))  // three months from 31 January
        #expect(extended.extensionReasons == "Twelve years of records across three systems")
        #expect(throws: CaseRefusal.extensionTooLate(firstMonthEnded: CalendarDate("2025-02-28")!)) {
            try open.applying(.extend(months: 1, reasons: "Complex"), at: day("2025-03-01"), clock: clock)
        }
        let complaint = RequestCase(kind: .complaint, channel: .privacyCentre, receivedAt: received)
        #expect(throws: CaseRefusal.notForKind(action: "extend", kind: .complaint)) {
            try complaint.applying(.extend(months: 1, reasons: "Complex"), at: received, clock: clock)
        }
    }

    @Test(
        "C28: a request is free; a fee only once it is recorded as manifestly unfounded or excessive, and payment starts the month (Art 12(5), 12A(2))"
    )
    func fees() throws {
        let open = RequestCase(kind: .access, channel: .email, receivedAt: received, verifiedBy: .knownContact)
        #expect(open.feePence == 0)
        // Issue 26 §11: a fee the law no longer allows (the DPA 1998 £10, whatever the declaration says) never
        // holds the clock: the case refuses it, and the month runs from receipt.
        #expect(throws: CaseRefusal.feeNotAllowed) { try open.applying(.chargeFee(pence: 1000), at: received, clock: clock) }
        #expect(open.state == .inProgress && open.timing.startsAt == received)
        let excessive = try open.applying(.markExcessive(reasons: "A fifth copy of the same data this month"), at: received, clock: clock)
        #expect(throws: CaseRefusal.feeInvalid) { try excessive.applying(.chargeFee(pence: 0), at: received, clock: clock) }
        let charged = try excessive.applying(.chargeFee(pence: 1000), at: received, clock: clock)
        #expect(charged.state == .awaitingFee && charged.feePence == 1000)
        let paid = try charged.applying(.feePaid, at: day("2025-03-24"), clock: clock)
        #expect(paid.state == .inProgress && paid.timing.startsAt == day("2025-03-24"))
    }

    @Test("C40/APX-38: refusals need a reason; closed cases take no further action; opt-outs and complaints need no identity check")
    func refusalsAndFinalStates() throws {
        let open = RequestCase(kind: .erasure, channel: .phone, receivedAt: received, verifiedBy: .knownContact)
        #expect(throws: CaseRefusal.reasonMissing("the refusal")) { try open.applying(.refuse(.exemption, reason: ""), at: received, clock: clock) }
        let withdrawn = try open.applying(.withdraw, at: received, clock: clock)
        #expect(withdrawn.state == .withdrawn && withdrawn.closedAt == received && withdrawn.urgency(clock: clock, at: received) == nil)
        for action: CaseAction in [.withdraw, .refuse(.excessive, reason: "x"), .complete(outcome: "x", withheld: [])] {
            #expect(throws: CaseRefusal.transition(action: action.name, state: .withdrawn)) {
                try withdrawn.applying(action, at: received, clock: clock)
            }
        }
        #expect(RequestCase(kind: .marketingOptOut, channel: .email, receivedAt: received).state == .inProgress)
        #expect(throws: CaseRefusal.reasonMissing("withholding data (what is kept back)")) {
            try open.applying(
                .complete(outcome: "Erased", withheld: [Withholding(ground: .legalObligation, detail: " ")]), at: received, clock: clock)
        }
    }

    @Test("C40/OEX-30/OEX-79: a complaint is acknowledged, then answered; unacknowledged it is due soon from day 25 and overdue after day 30")
    func complaints() throws {
        let complaint = RequestCase(kind: .complaint, channel: .privacyCentre, receivedAt: day("2026-11-01"))
        #expect(complaint.state == .inProgress && complaint.dueOn(clock: clock, at: day("2026-11-01")) == CalendarDate("2026-11-30"))
        #expect(complaint.urgency(clock: clock, at: day("2026-11-24")) == .onTrack)
        #expect(complaint.urgency(clock: clock, at: day("2026-11-25")) == .dueSoon)
        #expect(complaint.urgency(clock: clock, at: day("2026-12-01")) == .overdue)
        let access = RequestCase(kind: .access, channel: .privacyCentre, receivedAt: received, verifiedBy: .accountSession)
        #expect(throws: CaseRefusal.notForKind(action: "acknowledge", kind: .access)) {
            try access.applying(.acknowledge(note: nil), at: received, clock: clock)
        }
        let acknowledged = try complaint.applying(.acknowledge(note: "We are looking into it"), at: day("2026-11-03"), clock: clock)
        #expect(acknowledged.state == .acknowledged && acknowledged.urgency(clock: clock, at: day("2026-12-20")) == nil)
        let answered = try acknowledged.applying(
            .complete(outcome: "We have changed how we record calls", withheld: []), at: day("2026-12-01"), clock: clock)
        #expect(answered.state == .completed && answered.outcome == "We have changed how we record calls")
    }
}
