import Foundation

/// Where a breach stands against the ICO's clock (UK GDPR Art 33(1): notify "without undue delay
/// and, where feasible, not later than 72 hours after having become aware of it"; C39, APX-50).
/// Pledge escalates at 48 hours, so a breach is never first noticed when it is already late.
public enum BreachStanding: Sendable, Equatable {
    /// The clock runs: the ICO is to be told by `due`.
    case running(due: Date)
    /// 48 hours have passed: the DPO's attention, now.
    case escalated(due: Date)
    /// 72 hours have passed and the ICO has not been told: telling them now needs the reasons for the delay.
    case overdue(since: Date)
    /// The ICO was told; `late` when after 72 hours (with the reason recorded).
    case notified(at: Date, late: Bool)
    /// Assessed unlikely to result in a risk: in the register, no notification (Art 33(1), 33(5)).
    case notRequired

    public var code: String {
        switch self {
        case .running: "running"
        case .escalated: "escalated"
        case .overdue: "overdue"
        case .notified: "notified"
        case .notRequired: "not_required"
        }
    }
}

extension Breach {
    /// UK GDPR Art 33(1).
    public static let notificationWindow: TimeInterval = 72 * 3600
    /// Pledge's own escalation point, a day before the window closes.
    public static let escalation: TimeInterval = 48 * 3600

    /// The latest the ICO is to be told.
    public var icoDue: Date { awareAt.addingTimeInterval(Self.notificationWindow) }

    /// Where this breach stands at `instant`. Until its risk is assessed the clock runs: an
    /// unassessed breach is presumed notifiable.
    public func standing(at instant: Date) -> BreachStanding {
        if let notified = icoNotifiedAt { return .notified(at: notified, late: notified > icoDue) }
        if risk == .unlikely { return .notRequired }
        if instant >= icoDue { return .overdue(since: icoDue) }
        if instant >= awareAt.addingTimeInterval(Self.escalation) { return .escalated(due: icoDue) }
        return .running(due: icoDue)
    }

    /// Whether the people concerned must be told: a high risk (Art 34(1)), until they have been.
    public var individualsToBeTold: Bool { risk == .high && individualsNotifiedAt == nil }
}
