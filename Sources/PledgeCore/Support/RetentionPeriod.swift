import Foundation

/// A retention period written as an ISO 8601 duration of whole years, months or days
/// (`P12M`, `P6Y`, `P30D`), as UK GDPR Art 13(2)(a) asks for "the period".
public struct RetentionPeriod: Hashable, Sendable, Codable, CustomStringConvertible {
    public var years: Int
    public var months: Int
    public var days: Int

    public init(years: Int = 0, months: Int = 0, days: Int = 0) {
        self.years = years
        self.months = months
        self.days = days
    }

    /// Parses `P[nY][nM][nD]`; nil for anything else, or for a zero period.
    public init?(_ text: String) {
        guard text.hasPrefix("P"), text.count > 1 else { return nil }
        var years = 0, months = 0, days = 0, digits = ""
        for character in text.dropFirst() {
            if character.isNumber { digits.append(character); continue }
            guard let value = Int(digits) else { return nil }
            switch character {
            case "Y": years = value
            case "M": months = value
            case "W": days += value * 7
            case "D": days += value
            default: return nil
            }
            digits = ""
        }
        guard digits.isEmpty, years + months + days > 0 else { return nil }
        self.init(years: years, months: months, days: days)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let period = RetentionPeriod(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a period such as P12M or P6Y")
        }
        self = period
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(isoText)
    }

    /// `P1Y6M` form.
    public var isoText: String {
        "P" + (years > 0 ? "\(years)Y" : "") + (months > 0 ? "\(months)M" : "") + (days > 0 ? "\(days)D" : "")
    }

    /// Plain English: "1 year and 6 months".
    public var description: String {
        var parts: [String] = []
        func add(_ n: Int, _ unit: String) { if n > 0 { parts.append("\(n) \(unit)\(n == 1 ? "" : "s")") } }
        add(years, "year")
        add(months, "month")
        add(days, "day")
        return parts.count > 1 ? parts.dropLast().joined(separator: ", ") + " and " + parts.last! : parts.joined()
    }
}

extension RetentionPeriod {
    /// The instant this period before `instant`, in UTC calendar arithmetic (a month back from
    /// 31 March is the last day of February).
    public func before(_ instant: Date) -> Date {
        Self.utc.date(byAdding: DateComponents(year: -years, month: -months, day: -days), to: instant) ?? instant
    }

    /// The instant this period after `instant`, in UTC calendar arithmetic.
    public func after(_ instant: Date) -> Date {
        Self.utc.date(byAdding: DateComponents(year: years, month: months, day: days), to: instant) ?? instant
    }

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
