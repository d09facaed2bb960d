import Foundation
import PledgeCore
import SQLKit

/// The rows of one kind under one retention term that have expired at a cutoff: the SQL twin of
/// `RetentionTerm.hasExpired`, so the sweep and the plan ask the database what Core would decide
/// row by row. Rows are aliased `v`, their subject `s`.
struct ExpiredRows: Sendable {
    enum Kind: Sendable {
        /// Personal values of a purpose.
        case values(purpose: String)
        /// Interaction records naming a rule.
        case interactions(rule: String)
    }

    let kind: Kind
    let term: RetentionTerm
    /// Microseconds: rows whose clock started before this have expired.
    let cutoff: Int64

    init(_ kind: Kind, term: RetentionTerm, at instant: Date) {
        self.kind = kind
        self.term = term
        self.cutoff = term.cutoff(at: instant).microseconds
    }

    var table: String {
        switch kind {
        case .values: "personal_values"
        case .interactions: "interactions"
        }
    }

    /// `FROM … WHERE` every expired row, held or not.
    var expired: SQLQueryString {
        let (time, selector): (String, SQLQueryString) =
            switch kind {
            case .values(let purpose): ("collected_us", "v.purpose = \(bind: purpose)")
            case .interactions(let rule): ("recorded_us", "v.retention = \(bind: rule)")
            }
        let started: SQLQueryString =
            switch term.trigger {
            case .collection, .transaction: "v.\(unsafeRaw: time) < \(bind: cutoff)"
            case .lastInteraction:
                // The latest contact: an interaction recorded, or a value collected, since the cutoff restarts the clock.
                """
                v.\(unsafeRaw: time) < \(bind: cutoff)
                AND NOT EXISTS (SELECT 1 FROM interactions i WHERE i.subject_id = v.subject_id AND i.recorded_us >= \(bind: cutoff))
                AND NOT EXISTS (SELECT 1 FROM personal_values w WHERE w.subject_id = v.subject_id AND w.collected_us >= \(bind: cutoff))
                """
            case .relationshipEnd, .accountClosure, .projectEnd:
                "s.stage = \(bind: RetentionClocks.endedStage) AND s.stage_changed_us < \(bind: cutoff)"
            }
        return "FROM \(ident: table) v JOIN subjects s ON s.id = v.subject_id WHERE \(selector) AND \(started)"
    }

    /// Whether a legal hold keeps the row: the subject's legal-hold flag, or an active hold on the
    /// subject (or their case), or, for a value, on its data category or one that contains it.
    var held: SQLQueryString {
        let category: SQLQueryString =
            switch kind {
            case .values:
                " OR (h.scope = 'category' AND (h.target = v.category OR substr(v.category, 1, length(h.target) + 1) = h.target || '.'))"
            case .interactions: ""
            }
        return """
            (s.legal_hold = \(bind: true) OR EXISTS (SELECT 1 FROM retention_holds h WHERE h.lifted_us IS NULL
            AND (h.subject_id = v.subject_id\(category))))
            """
    }

    /// `FROM … WHERE` the expired rows no hold keeps: what the sweep removes.
    var removable: SQLQueryString { "\(expired) AND NOT \(held)" }
}
