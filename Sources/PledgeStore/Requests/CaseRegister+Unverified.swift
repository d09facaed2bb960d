import Foundation
import PledgeCore
import SQLKit

/// Requests from the public form that nobody has confirmed (issue 24 finding 5). Until the
/// requester presses Confirm, anyone may have typed the address: one such case is kept per address
/// (a second request sends the first one's link again), and each is deleted with its sealed
/// requester details once its link has expired.
extension CaseRegister {
    /// The newest case from the privacy centre for `email` still awaiting confirmation and received
    /// at or after `since`, or nil.
    public func pendingVerification(for email: String, since: Date) async throws -> RequestCase? {
        let digest = keys.blindIndex.digest(try SubjectIdentifier(kind: .email, raw: email))
        guard
            let row = try await sql.raw(
                """
                SELECT snapshot FROM requests WHERE contact_digest = \(bind: digest) AND state = \(bind: CaseState.awaitingVerification.rawValue)
                AND channel = \(bind: IntakeChannel.privacyCentre.rawValue) AND received_us >= \(bind: since.microseconds)
                ORDER BY received_us DESC LIMIT 1
                """
            ).first()
        else { return nil }
        return try Self.decode(try row.decode(column: "snapshot", as: String.self))
    }

    /// Deletes cases whole: their history, tokens, email, export, documents, reminders, systems' answers and wrapped key
    /// (so the sealed requester details cannot be opened again), then the cases.
    static func deleteCases(_ ids: [String], in sql: any SQLDatabase) async throws {
        guard !ids.isEmpty else { return }
        let list = SQLQueryString.members(ids, in: sql)
        for table in [
            "request_tokens", "request_events", "outbox", "request_exports", "request_documents", "case_reminders", "system_tasks", "request_keys",
        ] {
            try await sql.raw("DELETE FROM \(ident: table) WHERE request_id IN (\(list))").run()
        }
        try await sql.raw("DELETE FROM requests WHERE id IN (\(list))").run()
    }

    /// Deletes every case from the privacy centre still awaiting confirmation that was received
    /// before `cutoff`: its history, tokens, unsent email and wrapped key (so the sealed requester
    /// details cannot be opened again) go with it; the audit trail records each expiry. Returns
    /// how many were deleted.
    @discardableResult
    public func expireUnverified(receivedBefore cutoff: Date, at instant: Date) async throws -> Int {
        let rows = try await sql.raw(
            """
            SELECT id FROM requests WHERE state = \(bind: CaseState.awaitingVerification.rawValue)
            AND channel = \(bind: IntakeChannel.privacyCentre.rawValue) AND received_us < \(bind: cutoff.microseconds)
            """
        ).all()
        let ids = try rows.map { try $0.decode(column: "id", as: String.self) }
        guard !ids.isEmpty else { return 0 }
        let expired = JournalResult<Int>()
        try await journal.commit(
            JournalUnit { sql in
                var audit: [AuditRecord] = []
                for id in ids {
                    // Still unconfirmed inside the unit: a confirmation that won the race keeps its case.
                    guard
                        try await sql.raw(
                            "SELECT id FROM requests WHERE id = \(bind: id) AND state = \(bind: CaseState.awaitingVerification.rawValue)"
                        ).first() != nil
                    else { continue }
                    try await Self.deleteCases([id], in: sql)
                    audit.append(AuditRecord(actor: "pledge", action: "request.expire-unverified", object: "request:\(id)", at: instant))
                }
                expired.value = audit.count
                return audit
            })
        return try expired.get()
    }
}
