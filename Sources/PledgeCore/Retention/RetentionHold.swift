import Foundation

/// A legal hold: data the retention sweep must keep past its period, because a claim, an
/// investigation or a request needs it (UK GDPR Art 17(3)(e), Art 18(1)(c)). A hold covers one
/// person, the person of one request case, or one data category (and the categories within it),
/// and always says why.
public struct RetentionHold: Sendable, Equatable, Identifiable {
    public enum Scope: String, Sendable, CaseIterable {
        case subject
        case `case`
        case category
    }

    public let id: UUID
    public let scope: Scope
    /// The subject id, the case id, or the data category.
    public let target: String
    /// The person it keeps, for a subject or case hold.
    public let subject: UUID?
    public let reason: String
    public let placedBy: String
    public let placedAt: Date
    public var liftedBy: String?
    public var liftedAt: Date?

    public init(
        id: UUID = UUID(), scope: Scope, target: String, subject: UUID?, reason: String, placedBy: String, placedAt: Date,
        liftedBy: String? = nil, liftedAt: Date? = nil
    ) {
        self.id = id
        self.scope = scope
        self.target = target
        self.subject = subject
        self.reason = reason
        self.placedBy = placedBy
        self.placedAt = placedAt
        self.liftedBy = liftedBy
        self.liftedAt = liftedAt
    }

    public var isActive: Bool { liftedAt == nil }

    /// Whether this hold keeps data of `category`: a category hold on it or on a category that contains it.
    public func covers(category: String) -> Bool {
        isActive && scope == .category && Fideslang.key(category, isWithin: target)
    }

    /// A new hold, checked: refused without a reason, and a category hold on anything that is not a
    /// data category of `categories`.
    public static func placed(
        scope: Scope, target: String, subject: UUID?, reason: String, by actor: String, at instant: Date, categories: Set<String>
    ) throws(RetentionRefusal) -> RetentionHold {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw .holdReasonMissing }
        if scope == .category, !categories.contains(target) { throw .holdTargetUnknown }
        if scope != .category, subject == nil { throw .holdTargetUnknown }
        return RetentionHold(scope: scope, target: target, subject: subject, reason: reason, placedBy: actor, placedAt: instant)
    }

    /// This hold lifted: refused when it was lifted already.
    public func lifted(by actor: String, at instant: Date) throws(RetentionRefusal) -> RetentionHold {
        guard isActive else { throw .holdLifted }
        var hold = self
        hold.liftedBy = actor
        hold.liftedAt = instant
        return hold
    }
}

/// Why a retention hold, or a change to one, is refused; nothing is stored.
public enum RetentionRefusal: Error, Sendable, Equatable {
    /// A hold keeps data past its period: it must say why (Art 5(2), accountability).
    case holdReasonMissing
    /// The subject, the case or the data category held does not exist.
    case holdTargetUnknown
    case holdNotFound
    case holdLifted

    public var code: String {
        switch self {
        case .holdReasonMissing: "retention.hold-reason-missing"
        case .holdTargetUnknown: "retention.hold-target-unknown"
        case .holdNotFound: "retention.hold-not-found"
        case .holdLifted: "retention.hold-lifted"
        }
    }

    public var message: String {
        switch self {
        case .holdReasonMissing: "Say why the data is held: a hold keeps data past its retention period (UK GDPR Art 5(1)(e), 5(2))."
        case .holdTargetUnknown: "Nothing to hold: no such subject or case, or not a data category."
        case .holdNotFound: "No such hold."
        case .holdLifted: "This hold was lifted already."
        }
    }
}
