import Foundation
import PledgeCore
import SQLKit

/// Retention that runs (issue 29 §1; C36; UK GDPR Art 5(1)(e)): removes what has outlived its
/// declared period, in batches small enough that the writer is never held for long, and erases, by
/// crypto-shredding, people left with nothing. Holds and the legal-hold flag keep what they cover;
/// a person with an open request is not erased under it. `plan` answers the same questions with counts.
///
/// A value under `then: anonymise` is removed like one under `delete`: a sealed value of one person
/// cannot be made anonymous and kept; the statistics that are anonymous already stay.
public struct RetentionSweep: Sendable {
    let vault: PersonalDataVault

    public init(vault: PersonalDataVault) {
        self.vault = vault
    }

    /// The rows a unit removes unless told otherwise; a fifth as many people a unit of erasure.
    public static let defaultBatch = 1000

    /// What a sweep at `instant` would remove, and what holds keep.
    public func plan(_ schedule: RetentionSchedule, at instant: Date) async throws -> RetentionPlan {
        var lines: [RetentionPlan.Line] = []
        for (kind, name, term) in Self.lines(schedule) {
            let rows = ExpiredRows(kind, term: term, at: instant)
            let expired = try await count("SELECT COUNT(*) AS n \(rows.expired)")
            let held = expired == 0 ? 0 : try await count("SELECT COUNT(*) AS n \(rows.expired) AND \(rows.held)")
            lines.append(
                RetentionPlan.Line(
                    kind: Self.kind(kind), name: name, rule: term.rule, howLong: "\(term.period) \(term.trigger.label)", action: term.action,
                    due: expired - held, held: held))
        }
        lines.append(
            RetentionPlan.Line(
                kind: .consentProof, name: "consent", rule: nil,
                howLong: "\(schedule.limitation) from the person's erasure", action: .delete,
                due: try await count("SELECT COUNT(*) AS n \(Self.expiredProof(schedule, at: instant))"), held: 0))
        if let term = schedule.statistics {
            let views = try await count("SELECT COUNT(*) AS n FROM page_views WHERE at_us < \(bind: term.cutoff(at: instant).microseconds)")
            let held = try await RetentionHolds.holdsPageViews(schedule, in: vault.sql)
            lines.append(
                RetentionPlan.Line(
                    kind: .pageViews, name: "statistics", rule: term.rule, howLong: "\(term.period) from the visit", action: term.action,
                    due: held ? 0 : views, held: held ? views : 0))
        }
        lines += try await requestPlanLines(schedule, at: instant)
        var unscheduled: [String: Int] = [:]
        for purpose in schedule.unscheduled {
            unscheduled[purpose] = try await count("SELECT COUNT(*) AS n FROM personal_values WHERE purpose = \(bind: purpose)")
        }
        return RetentionPlan(
            at: instant, lines: lines, holds: try await RetentionHolds(vault: vault).all().filter(\.isActive),
            flaggedSubjects: try await count("SELECT COUNT(*) AS n FROM subjects WHERE legal_hold = \(bind: true)"), unscheduled: unscheduled)
    }

    /// Removes what has expired at `instant`, `batch` rows a unit (a fifth as many people a unit of
    /// erasure, each with their audit record), and audits the run with its counts. With the vault's
    /// time-ordered ids, and the log checkpointed off the writer (`WALCheckpointer`), no unit took over
    /// 29 ms at 1,000,000 subjects on SQLite (`pledge-bench`), inside the 50 ms the issue allows the
    /// writer to be held; with random ids 250 values took up to 110 ms.
    @discardableResult
    public func run(_ schedule: RetentionSchedule, at instant: Date, batch: Int = defaultBatch, actor: String = "pledge") async throws -> RetentionRun
    {
        var run = RetentionRun()
        var emptied = Set<String>()
        for (kind, name, term) in Self.lines(schedule) {
            let rows = ExpiredRows(kind, term: term, at: instant)
            let subjects = try await inBatches(of: batch, run: &run) { sql in
                let found = try await sql.raw("SELECT v.id AS id, v.subject_id AS subject_id \(rows.removable) LIMIT \(literal: batch)").all()
                let ids = try found.map { try $0.decode(column: "id", as: String.self) }
                if !ids.isEmpty { try await sql.delete(from: rows.table).where("id", .in, ids).run() }
                return try found.map { try $0.decode(column: "subject_id", as: String.self) }
            }
            emptied.formUnion(subjects)
            let removed = subjects.count
            if removed > 0 { run.removed["\(Self.kind(kind).rawValue):\(name)", default: 0] += removed }
        }
        try await removeRequestRecords(schedule, at: instant, batch: batch, run: &run)
        let proof = try await removeProof(schedule, at: instant, batch: batch, run: &run)
        if proof > 0 { run.removed["consent_proof"] = proof }
        try await erase(emptied, batch: max(1, batch / 5), actor: actor, at: instant, run: &run)
        if run.total > 0 || run.subjectsErased > 0 {
            try await vault.journal.commit(
                JournalUnit(audit: [AuditRecord(actor: actor, action: "retention.sweep", object: "retention", after: run.summary, at: instant)]))
        }
        return run
    }

    /// Consent records of erased people whose limitation period has run, in batches; never the
    /// ledger's last record, whose sequence number the journal continues from.
    private func removeProof(_ schedule: RetentionSchedule, at instant: Date, batch: Int, run: inout RetentionRun) async throws -> Int {
        try await inBatches(of: batch, run: &run) { sql in
            let seqs = try await sql.raw(
                """
                SELECT seq \(Self.expiredProof(schedule, at: instant))
                AND seq < (SELECT MAX(seq) FROM consent_events) LIMIT \(literal: batch)
                """
            ).all().map { try $0.decode(column: "seq", as: Int64.self) }
            if !seqs.isEmpty { try await sql.delete(from: "consent_events").where("seq", .in, seqs).run() }
            return seqs
        }.count
    }

    /// Runs `unit` in journal units until one takes fewer than `batch` rows, and returns every row the
    /// units took (for values, their people); the longest unit's time goes into `run`.
    func inBatches<Row: Sendable>(
        of batch: Int, run: inout RetentionRun, _ unit: @escaping @Sendable (any SQLDatabase) async throws -> [Row]
    ) async throws -> [Row] {
        var all: [Row] = []
        while true {
            let taken = JournalResult<[Row]>()
            try await timed(&run) {
                try await vault.journal.commit(
                    JournalUnit { sql in
                        taken.value = try await unit(sql)
                        return []
                    })
            }
            let rows = try taken.get()
            all += rows
            if rows.count < batch { return all }
        }
    }

    /// Erases, by crypto-shredding, the people of `candidates`, and those an earlier sweep emptied
    /// but kept, who have no values and no interaction records left, unless a hold keeps them or a
    /// request of theirs is open; those are marked, to be looked at again by the next sweep.
    private func erase(_ candidates: Set<String>, batch: Int, actor: String, at instant: Date, run: inout RetentionRun) async throws {
        let kept = try await vault.sql.raw("SELECT id FROM subjects WHERE retention_emptied_us IS NOT NULL").all().map {
            try $0.decode(column: "id", as: String.self)
        }
        let ordered = candidates.union(kept).sorted()
        for start in stride(from: 0, to: ordered.count, by: batch) {
            let chunk = Array(ordered[start..<min(start + batch, ordered.count)])
            let ids = SQLQueryString.members(chunk, in: vault.sql)
            let empty = try await vault.sql.raw(
                """
                SELECT s.id AS id, CASE WHEN s.legal_hold = \(bind: true)
                  OR EXISTS (SELECT 1 FROM retention_holds h WHERE h.lifted_us IS NULL AND h.subject_id = s.id)
                  OR EXISTS (SELECT 1 FROM requests r WHERE r.subject_id = s.id AND r.closed_us IS NULL)
                  THEN 1 ELSE 0 END AS kept
                FROM subjects s WHERE s.id IN (\(ids))
                AND NOT EXISTS (SELECT 1 FROM personal_values v WHERE v.subject_id = s.id)
                AND NOT EXISTS (SELECT 1 FROM interactions i WHERE i.subject_id = s.id)
                """
            ).all()
            var erase: [UUID] = []
            var keep: [String] = []
            for row in empty {
                let id = try row.decode(column: "id", as: String.self)
                if try row.decode(column: "kept", as: Int.self) == 1 {
                    keep.append(id)
                } else {
                    erase.append(try UUID(canonical: id).stored(in: "subjects", row: id, column: "id"))
                }
            }
            if !keep.isEmpty {
                try await vault.journal.commit(
                    JournalUnit { [keep] sql in
                        try await sql.update("subjects").set("retention_emptied_us", to: instant.microseconds).where("id", .in, keep)
                            .where("retention_emptied_us", .is, SQLLiteral.null).run()
                        return []
                    })
            }
            guard !erase.isEmpty else { continue }
            let (write, erased) = vault.erasingWhole(erase, reason: "retention", actor: actor, at: instant)
            try await timed(&run) { try await vault.journal.commit([write]) }
            run.subjectsErased += try erased.get().count
        }
    }

    /// Runs one batch and keeps the longest time one took.
    func timed(_ run: inout RetentionRun, _ body: () async throws -> Void) async throws {
        let clock = ContinuousClock()
        let started = clock.now
        try await body()
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        run.batches += 1
        run.longestBatch = max(run.longestBatch, seconds)
    }

    func count(_ query: SQLQueryString) async throws -> Int {
        try await vault.sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// `FROM … WHERE` consent records whose holder was erased longer ago than the limitation period.
    private static func expiredProof(_ schedule: RetentionSchedule, at instant: Date) -> SQLQueryString {
        "FROM consent_events WHERE holder_kind = 'erased' AND holder_gone_us < \(bind: schedule.limitation.before(instant).microseconds)"
    }

    /// Every line the schedule runs, in a stable order: values by purpose, then interactions by rule.
    private static func lines(_ schedule: RetentionSchedule) -> [(ExpiredRows.Kind, String, RetentionTerm)] {
        schedule.purposes.sorted { $0.key < $1.key }.map { (.values(purpose: $0.key), $0.key, $0.value) }
            + schedule.rules.sorted { $0.key < $1.key }.map { (.interactions(rule: $0.key), $0.key, $0.value) }
    }

    private static func kind(_ kind: ExpiredRows.Kind) -> RetentionPlan.Line.Kind {
        switch kind {
        case .values: .values
        case .interactions: .interactions
        }
    }
}
