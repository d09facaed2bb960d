import Foundation

/// How often a person wants a purpose's digests (issue 28 §5, §6; C15, C16; CAM-23: "at the
/// frequency you request in Account Settings"), including never. Counted in calendar days (UTC), so a
/// digest run at the same hour each day is due whatever the minutes.
public enum DigestFrequency: String, Codable, Sendable, CaseIterable {
    case never
    case daily
    case weekly
    case monthly

    /// Whether a digest is due at `instant` for someone whose last one was started at `last` (nil: none yet).
    public func isDue(last: Date?, at instant: Date) -> Bool {
        guard self != .never else { return false }
        guard let last else { return true }
        let previous = CalendarDate(utc: last), today = CalendarDate(utc: instant)
        switch self {
        case .never: return false
        case .daily: return previous < today
        case .weekly: return today.daysSinceEpoch - previous.daysSinceEpoch >= 7
        case .monthly: return !(today < previous.adding(months: 1))
        }
    }

    /// Words for the preference centre.
    public var label: String {
        switch self {
        case .never: "Never"
        case .daily: "Every day"
        case .weekly: "Every week"
        case .monthly: "Every month"
        }
    }
}

/// A pause of marketing the person chose (issue 28 §5): nothing marketing until the day it ends, and
/// then everything they agreed to again. Service messages are not paused.
public enum MarketingPause {
    /// The lengths the preference centre offers, in days.
    public static let lengths = [30, 90]

    /// When a pause of `days` chosen at `instant` ends; nil when `days` is not one offered.
    public static func until(days: Int, from instant: Date) -> Date? {
        guard lengths.contains(days) else { return nil }
        return CalendarDate(utc: instant).startOfDayUTC.addingTimeInterval(Double(days + 1) * 86_400)
    }
}
