import Foundation

/// What the retention sweep would remove at an instant, what holds keep, and what has no period
/// (issue 29 §1; `pledge retention plan`, `GET /v1/retention/plan`). Counts only, never content.
public struct RetentionPlan: Sendable, Equatable {
    /// One kind of item under one rule.
    public struct Line: Sendable, Equatable {
        public enum Kind: String, Sendable {
            /// Personal values, by purpose.
            case values
            /// Interaction records, by the rule they name.
            case interactions
            /// Consent records of people who were erased, kept for the limitation period.
            case consentProof = "consent_proof"
            /// Raw page views of the statistics (removed by the statistics collector's own hourly sweep).
            case pageViews = "page_views"
            /// Closed request cases, with their history, documents and email: kept the limitation period from closing.
            case cases
            /// Access exports whose download has expired.
            case exports
            /// Sent email of the privacy centre, kept `RetentionSchedule.sentMail` from sending.
            case sentMail = "sent_mail"
        }

        public let kind: Kind
        /// The purpose, the rule, or `consent` for consent proof.
        public let name: String
        public let rule: String?
        public let howLong: String
        public let action: RetentionAction
        /// Items past their period that the sweep removes.
        public let due: Int
        /// Items past their period that a hold keeps.
        public let held: Int

        public init(kind: Kind, name: String, rule: String?, howLong: String, action: RetentionAction, due: Int, held: Int) {
            self.kind = kind
            self.name = name
            self.rule = rule
            self.howLong = howLong
            self.action = action
            self.due = due
            self.held = held
        }
    }

    public let at: Date
    public let lines: [Line]
    /// Active holds, each with its reason.
    public let holds: [RetentionHold]
    /// People under the legal-hold flag (`legalHold` on the subject), whose data no sweep touches.
    public let flaggedSubjects: Int
    /// Purposes with no period to run, and how many values each holds: kept until a period is declared.
    public let unscheduled: [String: Int]

    public init(at: Date, lines: [Line], holds: [RetentionHold], flaggedSubjects: Int, unscheduled: [String: Int]) {
        self.at = at
        self.lines = lines
        self.holds = holds
        self.flaggedSubjects = flaggedSubjects
        self.unscheduled = unscheduled
    }

    public var due: Int { lines.reduce(0) { $0 + $1.due } }
}

/// What one sweep removed, by line, and how long it held the writer at most (issue 29 §1). The run
/// is audited with these counts, never with what was removed.
public struct RetentionRun: Sendable, Equatable {
    /// Items removed, keyed "values:PURPOSE", "interactions:RULE", "consent_proof", "cases", "exports", "sent_mail".
    public var removed: [String: Int] = [:]
    /// People left with nothing after their items went, erased as a whole (crypto-shredded).
    public var subjectsErased = 0
    public var batches = 0
    /// The longest single batch, in seconds: the most the sweep held the writer at once.
    public var longestBatch: Double = 0

    public init() {}

    public var total: Int { removed.values.reduce(0, +) }

    /// The audit entry's wording: counts by line.
    public var summary: String {
        let lines = removed.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        return (lines + ["subjects erased \(subjectsErased)"]).joined(separator: ", ")
    }
}
