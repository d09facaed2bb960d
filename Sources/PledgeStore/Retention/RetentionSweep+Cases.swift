import Foundation
import PledgeCore
import SQLKit

/// The request side of retention (issue 29 §1): closed cases kept the limitation period from closing
/// (the record that a right was answered, UK GDPR Art 5(2)), unless a hold keeps their person;
/// access exports once their download has expired; sent email after `RetentionSchedule.sentMail`.
extension RetentionSweep {
    /// `FROM … WHERE` each kind of request record past its time at `instant`, with how long it is kept.
    static func requestLines(_ schedule: RetentionSchedule, at instant: Date) -> [(RetentionPlan.Line.Kind, String, SQLQueryString)] {
        let closedBefore = schedule.limitation.before(instant).microseconds
        let sentBefore = RetentionSchedule.sentMail.before(instant).microseconds
        return [
            (
                .cases, "\(schedule.limitation) from closing",
                """
                FROM requests r WHERE r.closed_us IS NOT NULL AND r.closed_us < \(bind: closedBefore)
                AND NOT EXISTS (SELECT 1 FROM retention_holds h WHERE h.lifted_us IS NULL AND h.subject_id = r.subject_id)
                """
            ),
            (.exports, "until the download expires", "FROM request_exports r WHERE r.expires_us < \(bind: instant.microseconds)"),
            (
                .sentMail, "\(RetentionSchedule.sentMail) from sending",
                "FROM outbox r WHERE r.sent_us IS NOT NULL AND r.sent_us < \(bind: sentBefore)"
            ),
        ]
    }

    /// Removes the request records past their time, `batch` at a time; returns how many of each kind.
    func removeRequestRecords(_ schedule: RetentionSchedule, at instant: Date, batch: Int, run: inout RetentionRun) async throws {
        for (kind, _, rows) in Self.requestLines(schedule, at: instant) {
            let key: SQLQueryString = kind == .exports ? "r.request_id" : "r.id"
            let removed = try await inBatches(of: batch, run: &run) { sql in
                let ids = try await sql.raw("SELECT \(key) AS id \(rows) LIMIT \(literal: batch)").all().map {
                    try $0.decode(column: "id", as: String.self)
                }
                switch kind {
                case .cases: try await CaseRegister.deleteCases(ids, in: sql)
                case .exports: if !ids.isEmpty { try await sql.delete(from: "request_exports").where("request_id", .in, ids).run() }
                default: if !ids.isEmpty { try await sql.delete(from: "outbox").where("id", .in, ids).run() }
                }
                return ids
            }.count
            if removed > 0 { run.removed[kind.rawValue] = removed }
        }
    }

    /// The plan's lines for the request records.
    func requestPlanLines(_ schedule: RetentionSchedule, at instant: Date) async throws -> [RetentionPlan.Line] {
        var lines: [RetentionPlan.Line] = []
        for (kind, howLong, rows) in Self.requestLines(schedule, at: instant) {
            let due = try await count("SELECT COUNT(*) AS n \(rows)")
            lines.append(RetentionPlan.Line(kind: kind, name: kind.rawValue, rule: nil, howLong: howLong, action: .delete, due: due, held: 0))
        }
        return lines
    }
}
