import Foundation
import Testing

@testable import PledgeCore

/// The statutory clock (issue 5 §2; C28): UK GDPR Art 12(3), Art 12A, ICO guidance on time limits,
/// bank holidays of the three UK calendars, pauses, extensions, complaint acknowledgement (C40).
@Suite("Statutory clock")
struct StatutoryClockTests {
    static let london = StatutoryClock(timeZone: TimeZone(identifier: "Europe/London")!, holidays: BankHolidays())

    /// An instant from `YYYY-MM-DD` and an hour, UTC.
    static func at(_ day: String, _ hour: Int = 10) -> Date {
        CalendarDate(day)!.startOfDayUTC.addingTimeInterval(TimeInterval(hour * 3600))
    }

    static func date(_ text: String) -> CalendarDate { CalendarDate(text)! }

    @Test(
        "Bank holidays of England and Wales, Scotland and Northern Ireland, with substitute days and proclaimed changes",
        arguments: [
            (
                BankHolidayRegion.englandAndWales, 2026,
                ["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"]
            ),
            (
                .englandAndWales, 2027,
                ["2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28"]
            ),
            (
                .englandAndWales, 2022,
                [
                    "2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02", "2022-06-03", "2022-08-29", "2022-09-19", "2022-12-26",
                    "2022-12-27",
                ]
            ),
            (
                .englandAndWales, 2020,
                ["2020-01-01", "2020-04-10", "2020-04-13", "2020-05-08", "2020-05-25", "2020-08-31", "2020-12-25", "2020-12-28"]
            ),
            (
                .englandAndWales, 2023,
                ["2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08", "2023-05-29", "2023-08-28", "2023-12-25", "2023-12-26"]
            ),
            (
                .scotland, 2026,
                ["2026-01-01", "2026-01-02", "2026-04-03", "2026-05-04", "2026-05-25", "2026-08-03", "2026-11-30", "2026-12-25", "2026-12-28"]
            ),
            (
                .scotland, 2027,
                ["2027-01-01", "2027-01-04", "2027-03-26", "2027-05-03", "2027-05-31", "2027-08-02", "2027-11-30", "2027-12-27", "2027-12-28"]
            ),
            (
                .northernIreland, 2026,
                [
                    "2026-01-01", "2026-03-17", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-07-13", "2026-08-31", "2026-12-25",
                    "2026-12-28",
                ]
            ),
        ])
    func bankHolidays(region: BankHolidayRegion, year: Int, expected: [String]) {
        #expect(BankHolidays(region: region).holidays(in: year) == Set(expected.map(Self.date)))
    }

    @Test("Easter Sunday by the Gregorian computus")
    func easter() {
        for (year, day) in [
            (2000, "2000-04-23"), (2019, "2019-04-21"), (2024, "2024-03-31"), (2025, "2025-04-20"), (2026, "2026-04-05"), (2027, "2027-03-28"),
            (2028, "2028-04-16"),
        ] {
            #expect(CalendarDate.easterSunday(year) == Self.date(day), "\(year)")
        }
    }

    @Test(
        "C28: one calendar month to the corresponding date, the month's last day where there is none, then the next working day",
        arguments: [
            ("2025-01-31", "2025-02-28"),  // 31 January: last day of February
            ("2024-01-31", "2024-02-29"),  // leap year
            ("2026-01-31", "2026-03-02"),  // 28 February 2026 is a Saturday
            ("2025-09-03", "2025-10-03"),  // the ICO's own example: 3 September to 3 October
            ("2026-03-03", "2026-04-07"),  // 3 April is Good Friday, 6 April Easter Monday
            ("2026-11-25", "2026-12-29"),  // Christmas, a weekend, Boxing Day's substitute
            ("2024-02-29", "2024-04-02"),  // 29 March 2024 is Good Friday, then Easter Monday
            ("2026-12-31", "2027-02-01"),  // 31 January 2027 is a Sunday
        ])
    func month(received: String, due: String) {
        let deadline = Self.london.deadline(CaseTiming(receivedAt: Self.at(received)), at: Self.at(received))
        #expect(deadline.dueOn == Self.date(due))
        #expect(!deadline.isPaused && deadline.pausedDays == 0)
    }

    @Test("C28: the day of receipt is the controller's: 00:30 BST on 1 July is 1 July in London, 30 June in UTC; regions differ on 3 August")
    func timeZoneAndRegion() {
        let lateEvening = Self.at("2026-06-30", 23).addingTimeInterval(1800)
        #expect(Self.london.deadline(CaseTiming(receivedAt: lateEvening), at: lateEvening).dueOn == Self.date("2026-08-03"))
        let utc = StatutoryClock(timeZone: .gmt, holidays: BankHolidays())
        #expect(utc.deadline(CaseTiming(receivedAt: lateEvening), at: lateEvening).dueOn == Self.date("2026-07-30"))
        let scotland = StatutoryClock(timeZone: TimeZone(identifier: "Europe/London")!, holidays: BankHolidays(region: .scotland))
        #expect(scotland.deadline(CaseTiming(receivedAt: lateEvening), at: lateEvening).dueOn == Self.date("2026-08-04"))
    }

    @Test(
        "C28: waiting for clarification stops the clock from the day asked to the day received, both included (Art 12A(3); DPA 2018 s.54(3C)); an open pause moves the date each day"
    )
    func pauses() {
        let closed = CaseTiming(
            receivedAt: Self.at("2025-03-03"), pauses: [ClockPause(from: Self.at("2025-03-10"), until: Self.at("2025-03-17", 15))])
        let deadline = Self.london.deadline(closed, at: Self.at("2025-03-20"))
        #expect(deadline.dueOn == Self.date("2025-04-11") && deadline.pausedDays == 8 && !deadline.isPaused)  // 10 to 17 March: 8 days
        let open = CaseTiming(receivedAt: Self.at("2025-03-03"), pauses: [ClockPause(from: Self.at("2025-03-10"))])
        let waiting = Self.london.deadline(open, at: Self.at("2025-03-12"))
        #expect(waiting.dueOn == Self.date("2025-04-07") && waiting.pausedDays == 3 && waiting.isPaused)  // 6 April 2025 is a Sunday
        #expect(Self.london.deadline(open, at: Self.at("2025-03-13")).pausedDays == 4)
    }

    /// One row of the 2027-2028 table: received, optional pause, the due date and the first month's end.
    struct Row: Sendable, CustomTestStringConvertible {
        let received: String
        let pause: (from: String, until: String)?
        let due: String
        let firstMonthEnds: String
        var testDescription: String { "received \(received)\(pause.map { ", paused \($0.from) to \($0.until)" } ?? "") → due \(due)" }
    }

    @Test(
        "C28 (issue 26 §9): due dates across the 2027 and 2028 bank holidays of England and Wales; the first month's end never moves to a working day",
        arguments: [
            Row(received: "2027-02-27", pause: nil, due: "2027-03-30", firstMonthEnds: "2027-03-27"),  // Sat 27, Easter Monday 29 March 2027
            Row(received: "2027-11-27", pause: nil, due: "2027-12-29", firstMonthEnds: "2027-12-27"),  // Christmas and Boxing Day substitutes 27, 28
            Row(received: "2027-12-01", pause: nil, due: "2028-01-04", firstMonthEnds: "2028-01-01"),  // New Year's Day substitute Mon 3 Jan 2028
            Row(received: "2028-03-14", pause: nil, due: "2028-04-18", firstMonthEnds: "2028-04-14"),  // Good Friday 14, Easter Monday 17 April 2028
            Row(received: "2028-04-03", pause: ("2028-04-10", "2028-04-12"), due: "2028-05-08", firstMonthEnds: "2028-05-06"),  // 3 days paused
            Row(received: "2028-07-28", pause: nil, due: "2028-08-29", firstMonthEnds: "2028-08-28"),  // Summer bank holiday 28 August 2028
        ])
    func table(_ row: Row) {
        let pauses = row.pause.map { [ClockPause(from: Self.at($0.from), until: Self.at($0.until, 16))] } ?? []
        let deadline = Self.london.deadline(CaseTiming(receivedAt: Self.at(row.received), pauses: pauses), at: Self.at(row.received))
        #expect(deadline.dueOn == Self.date(row.due))
        #expect(deadline.firstMonthEndsOn == Self.date(row.firstMonthEnds))
    }

    @Test(
        "C28 (issue 26 §9; Art 12(3)): an extension recorded after the first month's last calendar day is refused, though the due date rolls past a holiday"
    )
    func extensionDoesNotRollForward() throws {
        let timing = CaseTiming(receivedAt: Self.at("2027-02-27"))
        try Self.london.checkExtension(months: 2, reasons: "Twelve years of records", for: timing, at: Self.at("2027-03-27", 11))
        #expect(throws: CaseRefusal.extensionTooLate(firstMonthEnded: Self.date("2027-03-27"))) {
            try Self.london.checkExtension(months: 2, reasons: "Twelve years of records", for: timing, at: Self.at("2027-03-29", 11))
        }
    }

    @Test("C29/ECR-44: the month runs from receipt of the identity evidence asked for (Art 12A(2))")
    func verificationRestarts() {
        let timing = CaseTiming(receivedAt: Self.at("2025-03-03"), startsAt: Self.at("2025-03-20"))
        #expect(Self.london.deadline(timing, at: Self.at("2025-03-20")).dueOn == Self.date("2025-04-22"))  // 20 April Easter Sunday, 21 Easter Monday
    }

    @Test("C28: an extension adds up to two months, needs reasons, and is refused once the first month is over (Art 12(3))")
    func extensions() throws {
        let timing = CaseTiming(receivedAt: Self.at("2025-01-31"))
        #expect(Self.london.deadline(timing, at: Self.at("2025-02-01")).firstMonthEndsOn == Self.date("2025-02-28"))
        try Self.london.checkExtension(months: 2, reasons: "Twelve years of correspondence", for: timing, at: Self.at("2025-02-28", 16))
        var extended = timing
        extended.extensionMonths = 2
        #expect(Self.london.deadline(extended, at: Self.at("2025-02-28")).dueOn == Self.date("2025-04-30"))  // three months in all
        #expect(throws: CaseRefusal.extensionTooLate(firstMonthEnded: Self.date("2025-02-28"))) {
            try Self.london.checkExtension(months: 1, reasons: "Complex", for: timing, at: Self.at("2025-03-01"))
        }
        #expect(throws: CaseRefusal.extensionTooLong(already: 0)) {
            try Self.london.checkExtension(months: 3, reasons: "Complex", for: timing, at: Self.at("2025-02-10"))
        }
        var once = timing
        once.extensionMonths = 1
        try Self.london.checkExtension(months: 1, reasons: "Many requests", for: once, at: Self.at("2025-02-10"))
        #expect(throws: CaseRefusal.extensionTooLong(already: 2)) {
            try Self.london.checkExtension(months: 1, reasons: "More", for: extended, at: Self.at("2025-02-10"))
        }
        #expect(throws: CaseRefusal.reasonMissing("an extension")) {
            try Self.london.checkExtension(months: 1, reasons: "  ", for: timing, at: Self.at("2025-02-10"))
        }
    }

    @Test("C40: a complaint is acknowledged within 30 days beginning with receipt, and escalates on day 25 (DPA 2018 s.164A)")
    func complaintAcknowledgement() {
        let received = Self.at("2026-11-01")
        #expect(Self.london.acknowledgementDue(receivedAt: received) == Self.date("2026-11-30"))
        #expect(!Self.london.acknowledgementEscalates(receivedAt: received, at: Self.at("2026-11-24")))
        #expect(Self.london.acknowledgementEscalates(receivedAt: received, at: Self.at("2026-11-25")))
    }

    @Test("C28: due soon within a week, overdue after the due date")
    func urgency() {
        let deadline = Self.london.deadline(CaseTiming(receivedAt: Self.at("2025-01-31")), at: Self.at("2025-01-31"))
        #expect(Self.london.urgency(deadline, at: Self.at("2025-02-20")) == .onTrack)
        #expect(Self.london.urgency(deadline, at: Self.at("2025-02-21")) == .dueSoon)
        #expect(Self.london.urgency(deadline, at: Self.at("2025-02-28", 22)) == .dueSoon)
        #expect(Self.london.urgency(deadline, at: Self.at("2025-03-01")) == .overdue)
        #expect(Self.london.daysLeft(deadline, at: Self.at("2025-03-03")) == -3)
    }
}
