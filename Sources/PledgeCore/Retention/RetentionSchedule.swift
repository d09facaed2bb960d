import Foundation

/// How long each kind of stored item stays, read from the declaration (C36; UK GDPR Art 5(1)(e)
/// storage limitation, Art 13(2)(a)): a value by its purpose's retention rule, an interaction record
/// by the rule it names, consent proof for as long as the processing it proves plus the limitation
/// period. The sweep and `pledge retention plan` both ask this, so what the plan shows is what runs.
public struct RetentionSchedule: Sendable, Equatable {
    /// Values of each purpose whose rule gives a period, by purpose id.
    public let purposes: [String: RetentionTerm]
    /// Every rule with a period, by rule id (an interaction record names its rule).
    public let rules: [String: RetentionTerm]
    /// Purposes whose data has no period to run: no rule, or a rule that gives criteria only.
    /// They are kept and the plan names them, as the linter does (L-findings on retention).
    public let unscheduled: [String]
    /// How long after the processing ends its proof is kept: consent records of people who are gone
    /// stay this long, for the claims they may answer (UK GDPR Art 7(1); Limitation Act 1980 s5).
    public let limitation: RetentionPeriod
    /// Raw page views, kept under the declared statistics purpose's rule (ECR-24: usage data no more
    /// than 12 months); nil when that purpose has no period.
    public let statistics: RetentionTerm?
    /// The data categories of the statistics purpose: a hold on one of them keeps the page views.
    public let statisticsCategories: [String]

    /// How long a sent email of the privacy centre (a confirmation link, a notice) is kept: long enough
    /// to answer "did you send it?", after which the case's history is the record that it went.
    public static let sentMail = RetentionPeriod(days: 90)

    /// Six years: the Limitation Act 1980 s2 (tort) and s5 (simple contract), when the declaration
    /// names no other.
    public static let defaultLimitation = RetentionPeriod(years: 6)

    public init(_ declaration: Declaration) {
        var rules: [String: RetentionTerm] = [:]
        for rule in declaration.retention {
            guard let period = rule.period, rules[rule.id] == nil else { continue }
            rules[rule.id] = RetentionTerm(
                rule: rule.id, period: period, trigger: rule.from ?? .collection, action: rule.then ?? .delete, statute: rule.statute)
        }
        var purposes: [String: RetentionTerm] = [:]
        var unscheduled: [String] = []
        for purpose in declaration.purposes {
            if let term = purpose.retention.flatMap({ rules[$0] }) { purposes[purpose.id] = term } else { unscheduled.append(purpose.id) }
        }
        self.rules = rules
        self.purposes = purposes
        self.unscheduled = unscheduled
        self.limitation = declaration.limitationPeriod ?? Self.defaultLimitation
        let statistics = declaration.analytics.flatMap { settings in declaration.purposes.first { $0.id == settings.purpose } }
        self.statistics = statistics.flatMap { purposes[$0.id] }
        self.statisticsCategories = statistics?.categories ?? []
    }
}

/// One retention rule with a period: how long, from when, and what happens at the end.
public struct RetentionTerm: Sendable, Equatable {
    public let rule: String
    public let period: RetentionPeriod
    public let trigger: RetentionTrigger
    public let action: RetentionAction
    /// The law that sets the period, if any: such data is kept to its end even against an erasure
    /// request (Art 17(3)(b)), restricted, and goes at the end like any other.
    public let statute: String?

    public init(rule: String, period: RetentionPeriod, trigger: RetentionTrigger, action: RetentionAction, statute: String? = nil) {
        self.rule = rule
        self.period = period
        self.trigger = trigger
        self.action = action
        self.statute = statute
    }

    /// Where the clock starts, if it has: collection and transaction at the item's own time (an item
    /// is recorded with the transaction it belongs to); the last interaction at the latest contact
    /// with the person, never before the item; relationship end, account closure and project end when
    /// the person's relationship stage became `ended` (C04), and not before.
    public func start(of item: Date, clocks: RetentionClocks) -> Date? {
        switch trigger {
        case .collection, .transaction: item
        case .lastInteraction: max(item, clocks.lastContact ?? item)
        case .relationshipEnd, .accountClosure, .projectEnd: clocks.ended
        }
    }

    /// When an item kept under this term expires: the period after its start; nil while the clock has not started.
    public func expiry(of item: Date, clocks: RetentionClocks) -> Date? {
        start(of: item, clocks: clocks).map(period.after)
    }

    /// Whether the item has expired at `instant`: its clock started before the period's length back
    /// from `instant`. The sweep asks the same question in SQL, with `cutoff(at:)`.
    public func hasExpired(_ item: Date, clocks: RetentionClocks, at instant: Date) -> Bool {
        guard let start = start(of: item, clocks: clocks) else { return false }
        return start < cutoff(at: instant)
    }

    /// Items whose clock started before this instant have expired at `instant`.
    public func cutoff(at instant: Date) -> Date { period.before(instant) }
}

/// What starts the clocks of a person's items: their latest contact and when their relationship ended.
public struct RetentionClocks: Sendable, Equatable {
    public var lastContact: Date?
    public var ended: Date?

    public init(lastContact: Date? = nil, ended: Date? = nil) {
        self.lastContact = lastContact
        self.ended = ended
    }

    /// The stage that starts the end-of-relationship clocks (C04).
    public static let endedStage = "ended"
}
