import Foundation

/// Something the declaration says is reviewed on a cycle, and where it stands (issue 29 §6; C02,
/// C08, C23, C38): the security review, each legitimate-interests assessment, each processor
/// contract, the privacy notice.
public struct ReviewItem: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Security measures reviewed every `security.review_interval` (UK GDPR Art 32(1)(d)).
        case security
        /// A legitimate-interests assessment, kept under review (ICO LIA guidance).
        case lia
        /// An Art 28 processor contract, which ends on its `expires` day.
        case contract
        /// The privacy notice, reviewed a year after the date it states (UK GDPR Art 12(1), 13(3);
        /// ICO right to be informed guidance: keep it under review; OEX-80, OEX-81).
        case notice
    }

    public enum Standing: String, Sendable, CaseIterable {
        /// Past its date: a contract ended, a review late.
        case overdue
        /// Due within the notice period.
        case dueSoon = "due_soon"
        /// No date recorded to run from.
        case notRecorded = "not_recorded"
    }

    public let kind: Kind
    /// The LIA's or recipient's id; `security` for the security review.
    public let name: String
    public let due: CalendarDate?
    public let standing: Standing
}

/// The reviews that need attention on a day (issue 29 §6): each overdue, due within `notice` days,
/// or with no date to run from (a notice that states no date is L32's, not a review's). The
/// console, `/metrics` and `pledge lint` all ask this.
public enum ReviewDates {
    /// How long an LIA or a security review stands when the declaration sets no interval: a year.
    public static let defaultInterval = RetentionPeriod(years: 1)
    /// How far ahead a review shows as due soon.
    public static let notice = 30

    public static func attention(_ declaration: Declaration, on day: CalendarDate, notice: Int = notice) -> [ReviewItem] {
        var items: [ReviewItem] = []
        func add(_ kind: ReviewItem.Kind, _ name: String, due: CalendarDate?) {
            guard let due else {
                items.append(ReviewItem(kind: kind, name: name, due: nil, standing: .notRecorded))
                return
            }
            if due < day {
                items.append(ReviewItem(kind: kind, name: name, due: due, standing: .overdue))
            } else if due.daysSinceEpoch - day.daysSinceEpoch <= notice {
                items.append(ReviewItem(kind: kind, name: name, due: due, standing: .dueSoon))
            }
        }
        let interval = declaration.security.reviewInterval ?? defaultInterval
        add(.security, "security", due: declaration.security.reviewed.map { adding(interval, to: $0) })
        for lia in declaration.legitimateInterests ?? [] {
            add(.lia, lia.id, due: lia.reviewed.map { adding(defaultInterval, to: $0) })
        }
        if let current = declaration.notice.current, let stated = current.statedDate {
            add(.notice, current.version, due: adding(defaultInterval, to: stated))
        }
        for recipient in declaration.recipients ?? [] where recipient.kind == .processor {
            guard let contract = recipient.contract, contract.art28, contract.signed != nil else {
                items.append(ReviewItem(kind: .contract, name: recipient.id, due: nil, standing: .notRecorded))
                continue
            }
            // A contract runs to the end of its `expires` day; with none it needs no renewal.
            if let expires = contract.expires {
                add(.contract, recipient.id, due: adding(RetentionPeriod(days: 1), to: expires))
            }
        }
        return items
    }

    /// `day` plus `period`, in calendar months and days.
    static func adding(_ period: RetentionPeriod, to day: CalendarDate) -> CalendarDate {
        let months = day.adding(months: period.years * 12 + period.months)
        return CalendarDate(utc: months.startOfDayUTC.addingTimeInterval(TimeInterval(period.days) * 86_400))
    }
}
