import FluentKit
import Foundation
import PledgeCore
import SQLKit

/// Deadline reminders for staff (issue 5 §2; UK GDPR Art 12(3), DPA 2018 s.164A): an email to the
/// data protection officer, or else the declared contact address, once when a case comes within
/// `StatutoryClock.reminderDays` of its due date and once when it is overdue. The email names the
/// kind, the dates and a link to the case, and nothing about the requester.
public struct CaseReminders: Sendable {
    let register: CaseRegister
    let outbox: Outbox

    public init(register: CaseRegister) {
        self.register = register
        self.outbox = Outbox(register: register)
    }

    /// A reminder queued by `send`.
    public struct Sent: Sendable, Equatable {
        public var request: UUID
        public var level: Urgency
    }

    /// Where reminders go: the DPO's address, else the organisation's contact email.
    public static func recipient(in declaration: Declaration) -> String? {
        declaration.organisation.dpo?.email ?? declaration.organisation.contact.email
    }

    /// One pass: queues every reminder due at `instant` that has not gone out; `consoleURL` is the
    /// server's public address, for the link. Nothing is sent when the declaration names no address.
    @discardableResult
    public func send(at instant: Date, declaration: Declaration, clock: StatutoryClock, consoleURL: String) async throws -> [Sent] {
        guard let to = Self.recipient(in: declaration) else { return [] }
        let done = Set(
            try await register.sql.raw(
                """
                SELECT r.request_id, r.level FROM case_reminders r JOIN requests q ON q.id = r.request_id WHERE q.closed_us IS NULL
                """
            ).all().map { "\(try $0.decode(column: "request_id", as: String.self))/\(try $0.decode(column: "level", as: String.self))" })
        var sent: [Sent] = []
        for found in try await register.queue() {
            guard let level = found.urgency(clock: clock, at: instant), level != .onTrack,
                !done.contains("\(found.id.storedText)/\(level.rawValue)")
            else { continue }
            let due = found.dueOn(clock: clock, at: instant)
            let left = clock.day(of: instant).days(until: due)
            let when = left < 0 ? "was due on \(due) (\(-left) day(s) overdue)" : "is due on \(due) (\(left) day(s) left)"
            let what = found.kind == .complaint ? "The acknowledgement of a complaint" : "A request for \(found.kind.label)"
            let email = try await outbox.queueing(
                OutgoingEmail(
                    to: to, subject: "\(declaration.organisation.name): \(left < 0 ? "overdue" : "due soon"): \(found.kind.label), \(due)",
                    text: """
                        \(what), received \(clock.day(of: found.timing.receivedAt)), \(when).

                        Open the case: \(consoleURL)/admin/requests/\(found.id.storedText)

                        UK GDPR Art 12(3): a request is answered within one month of receipt, extended only for complexity or number, and only if recorded within the first month.
                        """), for: found.id, at: instant)
            // The message and the record that it went, in one unit: the unique (request, level) row makes a
            // second node's or a second pass's unit fail whole, so nobody is reminded twice (issue 27 §3).
            let mark = JournalUnit { sql in
                try await sql.insert(into: "case_reminders").columns("request_id", "level", "sent_us")
                    .values([found.id.storedText, level.rawValue, instant.microseconds] as [any Encodable & Sendable]).run()
                return [
                    AuditRecord(actor: "pledge", action: "case.remind", object: "request:\(found.id.storedText)", field: level.rawValue, at: instant)
                ]
            }
            do {
                try await register.journal.commit(JournalUnit(all: [mark, email]))
            } catch let error as any DatabaseError where error.isConstraintFailure {
                continue  // another node sent this reminder meanwhile
            }
            sent.append(Sent(request: found.id, level: level))
        }
        return sent
    }
}
