/// The bank and public holidays of one UK jurisdiction, for counting working days.
///
/// Computed from the rules of the Banking and Financial Dealings Act 1971 Sch 1 and the annual
/// royal proclamations: fixed days move to the next weekday when they fall at a weekend
/// ("substitute days"), Easter follows the Gregorian computus. The one-off changes proclaimed
/// since 2012 (jubilees, a state funeral, the coronation, VE-day 75) are listed; a future one can
/// be declared with `organisation.extra_holidays` until this table learns it.
public struct BankHolidays: Sendable {
    public let region: BankHolidayRegion
    public let extra: Set<CalendarDate>

    public init(region: BankHolidayRegion = .englandAndWales, extra: Set<CalendarDate> = []) {
        self.region = region
        self.extra = extra
    }

    /// True on a bank holiday of the region (weekends are not holidays; see `isWorkingDay`).
    public func isHoliday(_ date: CalendarDate) -> Bool {
        extra.contains(date) || holidays(in: date.year).contains(date)
    }

    /// Monday to Friday and not a bank holiday.
    public func isWorkingDay(_ date: CalendarDate) -> Bool {
        !date.isWeekend && !isHoliday(date)
    }

    /// `date` itself when it is a working day, otherwise the next one.
    public func workingDay(onOrAfter date: CalendarDate) -> CalendarDate {
        var day = date
        while !isWorkingDay(day) { day = day.adding(days: 1) }
        return day
    }

    /// Every bank holiday of `year` in the region.
    public func holidays(in year: Int) -> Set<CalendarDate> {
        let easter = CalendarDate.easterSunday(year)
        var days: [CalendarDate] = [easter.adding(days: -2)]  // Good Friday
        var fixed: [CalendarDate] = [CalendarDate(year: year, month: 1, day: 1)]
        switch region {
        case .scotland:
            fixed.append(CalendarDate(year: year, month: 1, day: 2))
            days.append(.weekday(.monday, nth: 1, month: 8, year: year))  // summer: first Monday of August
            days += Self.substituted([CalendarDate(year: year, month: 11, day: 30)])  // St Andrew's Day
        case .englandAndWales, .northernIreland:
            days.append(easter.adding(days: 1))  // Easter Monday
            days.append(.weekday(.monday, nth: -1, month: 8, year: year))  // summer: last Monday of August
        }
        if region == .northernIreland {
            days += Self.substituted([
                CalendarDate(year: year, month: 3, day: 17),  // St Patrick's Day
                CalendarDate(year: year, month: 7, day: 12),
            ])  // Battle of the Boyne
        }
        days += Self.substituted(fixed)
        days += Self.substituted([CalendarDate(year: year, month: 12, day: 25), CalendarDate(year: year, month: 12, day: 26)])
        days.append(Self.proclaimed[CalendarDate(year: year, month: 5, day: 1)] ?? .weekday(.monday, nth: 1, month: 5, year: year))
        days.append(Self.proclaimed[CalendarDate(year: year, month: 5, day: 31)] ?? .weekday(.monday, nth: -1, month: 5, year: year))
        days += Self.oneOff.filter { $0.year == year }
        return Set(days)
    }

    /// Consecutive fixed days, each falling at a weekend moved to the next weekday no other holiday takes
    /// (Christmas on a Saturday is kept on Monday 27th and Boxing Day on Tuesday 28th).
    static func substituted(_ dates: [CalendarDate]) -> [CalendarDate] {
        var taken: [CalendarDate] = []
        for date in dates {
            var day = date
            while day.isWeekend || taken.contains(day) { day = day.adding(days: 1) }
            taken.append(day)
        }
        return taken
    }

    /// Early May and spring bank holidays moved by proclamation, keyed by the usual placeholder day
    /// (1 May for early May, 31 May for spring).
    static let proclaimed: [CalendarDate: CalendarDate] = [
        CalendarDate(year: 2012, month: 5, day: 31): CalendarDate(year: 2012, month: 6, day: 4),  // Diamond Jubilee
        CalendarDate(year: 2020, month: 5, day: 1): CalendarDate(year: 2020, month: 5, day: 8),  // VE Day 75
        CalendarDate(year: 2022, month: 5, day: 31): CalendarDate(year: 2022, month: 6, day: 2),  // Platinum Jubilee
    ]

    /// Additional bank holidays proclaimed for one year only, in every UK jurisdiction.
    static let oneOff: [CalendarDate] = [
        CalendarDate(year: 2011, month: 4, day: 29),  // Royal wedding
        CalendarDate(year: 2012, month: 6, day: 5),  // Diamond Jubilee
        CalendarDate(year: 2022, month: 6, day: 3),  // Platinum Jubilee
        CalendarDate(year: 2022, month: 9, day: 19),  // State funeral of Queen Elizabeth II
        CalendarDate(year: 2023, month: 5, day: 8),  // Coronation of King Charles III
    ]
}

extension CalendarDate {
    /// Days of the week, Monday first as ISO 8601 numbers them.
    public enum Weekday: Int, Sendable {
        case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday
    }

    /// The day of the week (1970-01-01 was a Thursday).
    public var weekday: Weekday {
        let index = ((daysSinceEpoch % 7) + 7 + 3) % 7  // 0 = Monday
        return Weekday(rawValue: index + 1)!
    }

    public var isWeekend: Bool { weekday == .saturday || weekday == .sunday }

    public func adding(days: Int) -> CalendarDate {
        CalendarDate.fromDaysSinceEpoch(daysSinceEpoch + days)
    }

    /// Days from `self` to `other` (positive when `other` is later).
    public func days(until other: CalendarDate) -> Int {
        other.daysSinceEpoch - daysSinceEpoch
    }

    /// The `nth` given weekday of a month; `nth: -1` is the last.
    static func weekday(_ weekday: Weekday, nth: Int, month: Int, year: Int) -> CalendarDate {
        if nth > 0 {
            let first = CalendarDate(year: year, month: month, day: 1)
            let offset = (weekday.rawValue - first.weekday.rawValue + 7) % 7
            return first.adding(days: offset + (nth - 1) * 7)
        }
        let last = CalendarDate(year: year, month: month, day: daysIn(month: month, year: year))
        return last.adding(days: -((last.weekday.rawValue - weekday.rawValue + 7) % 7))
    }

    /// Easter Sunday of `year` in the Gregorian calendar (the anonymous Gregorian computus).
    static func easterSunday(_ year: Int) -> CalendarDate {
        let a = year % 19, b = year / 100, c = year % 100
        let d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return CalendarDate(year: year, month: month, day: day)
    }
}
