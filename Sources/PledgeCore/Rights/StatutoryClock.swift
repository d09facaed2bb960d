import Foundation

/// The legal clock of a request (UK GDPR Art 12(3) and Art 12A, as amended by the Data (Use and
/// Access) Act 2025; ICO guidance "Time limits for responding to data protection rights requests").
///
/// - The month runs from the day of the *relevant time* (receipt of the request, or of the identity
///   evidence or fee asked for, whichever is latest; Art 12A(2)) to the corresponding calendar date
///   of the next month, or that month's last day when there is none (31 January → 28/29 February).
/// - Days spent waiting for clarification asked for under Art 12A(3) do not count ("stop the clock"),
///   from the day asked to the day received, both included ("beginning with ... ending with", as
///   DPA 2018 s.54(3C) words it).
/// - A deadline on a weekend or bank holiday moves to the next working day (ICO guidance).
/// - An extension adds up to two further months, only for complexity or the number of requests,
///   and only if the requester is told, with reasons, within the first month (Art 12(3)): by its last
///   calendar day, which does not move to a working day.
/// Calendar days are the controller's, in its declared time zone; instants stay UTC.
public struct StatutoryClock: Sendable {
    public let timeZone: TimeZone
    public let holidays: BankHolidays

    /// Days before a due date from which a case counts as due soon.
    public static let reminderDays = 7
    /// Complaints are acknowledged within 30 days beginning with the day of receipt (DPA 2018 s.164A(3)(a)).
    public static let acknowledgementDays = 30
    /// A complaint still unacknowledged on this day of its 30 escalates (C40).
    public static let acknowledgementEscalationDay = 25

    public init(timeZone: TimeZone, holidays: BankHolidays) {
        self.timeZone = timeZone
        self.holidays = holidays
    }

    public init(organisation: Organisation) {
        self.init(timeZone: organisation.calendarTimeZone, holidays: organisation.holidayCalendar)
    }

    /// The controller's calendar day that contains `instant`.
    public func day(of instant: Date) -> CalendarDate {
        CalendarDate(utc: instant.addingTimeInterval(TimeInterval(timeZone.secondsFromGMT(for: instant))))
    }

    /// The due date of a case with this timing, as it stands at `now` (an open pause counts up to today).
    public func deadline(_ timing: CaseTiming, at now: Date) -> Deadline {
        let start = day(of: timing.startsAt)
        let pausedDays = timing.pauses.reduce(0) { total, pause in
            total + max(0, day(of: pause.from).days(until: day(of: pause.until ?? now)) + 1)
        }
        func end(months: Int) -> CalendarDate {
            start.adding(months: months).adding(days: pausedDays)
        }
        return Deadline(
            dueOn: holidays.workingDay(onOrAfter: end(months: 1 + timing.extensionMonths)), firstMonthEndsOn: end(months: 1),
            pausedDays: pausedDays, isPaused: timing.pauses.contains { $0.until == nil })
    }

    /// Checks that an extension may be recorded at `instant`: one to two months in all, a ground and
    /// reasons given, and still within the first month (Art 12(3)).
    public func checkExtension(months: Int, reasons: String, for timing: CaseTiming, at instant: Date) throws(CaseRefusal) {
        guard (1...2).contains(timing.extensionMonths + months) else {
            throw .extensionTooLong(already: timing.extensionMonths)
        }
        guard !reasons.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .reasonMissing("an extension") }
        let firstMonth = deadline(timing, at: instant).firstMonthEndsOn
        guard day(of: instant) <= firstMonth else { throw .extensionTooLate(firstMonthEnded: firstMonth) }
    }

    /// Whole calendar days from `now` to the due date; negative once overdue.
    public func daysLeft(_ deadline: Deadline, at now: Date) -> Int {
        day(of: now).days(until: deadline.dueOn)
    }

    /// Where a case stands against its deadline.
    public func urgency(_ deadline: Deadline, at now: Date) -> Urgency {
        let left = daysLeft(deadline, at: now)
        if left < 0 { return .overdue }
        return left <= Self.reminderDays ? .dueSoon : .onTrack
    }

    /// The last day to acknowledge a complaint received at `instant` (DPA 2018 s.164A(3)(a)).
    public func acknowledgementDue(receivedAt instant: Date) -> CalendarDate {
        day(of: instant).adding(days: Self.acknowledgementDays - 1)
    }

    /// True once an unacknowledged complaint has reached day 25 of its 30 (C40).
    public func acknowledgementEscalates(receivedAt instant: Date, at now: Date) -> Bool {
        day(of: instant).days(until: day(of: now)) + 1 >= Self.acknowledgementEscalationDay
    }
}

/// What the clock needs to know of a case.
public struct CaseTiming: Sendable, Equatable, Codable {
    /// When the request arrived, by any channel.
    public var receivedAt: Date
    /// The relevant time the month runs from: receipt, or receipt of the identity evidence or fee asked for (Art 12A(2)).
    public var startsAt: Date
    /// Waits for clarification (Art 12A(3)); the last may still be open.
    public var pauses: [ClockPause]
    /// Further months recorded under Art 12(3); 0 to 2.
    public var extensionMonths: Int

    public init(receivedAt: Date, startsAt: Date? = nil, pauses: [ClockPause] = [], extensionMonths: Int = 0) {
        self.receivedAt = receivedAt
        self.startsAt = startsAt ?? receivedAt
        self.pauses = pauses
        self.extensionMonths = extensionMonths
    }
}

/// A stop of the clock while waiting for the requester.
public struct ClockPause: Sendable, Equatable, Codable {
    public var from: Date
    public var until: Date?

    public init(from: Date, until: Date? = nil) {
        self.from = from
        self.until = until
    }
}

/// A case's due date as it stands.
public struct Deadline: Sendable, Equatable {
    /// The last day to respond, a working day.
    public var dueOn: CalendarDate
    /// The end of the first month: the last day an extension may be recorded.
    public var firstMonthEndsOn: CalendarDate
    /// Calendar days the clock stood still.
    public var pausedDays: Int
    /// True while waiting for the requester; the due date then moves on each day.
    public var isPaused: Bool
}

/// How close a case is to its due date.
public enum Urgency: String, Sendable, Codable {
    case onTrack = "on_track"
    case dueSoon = "due_soon"
    case overdue
}
