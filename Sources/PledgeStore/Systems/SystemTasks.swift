import Foundation
import NIOConcurrencyHelpers
import PledgeCore
import SQLKit

/// What the organisation's `http` systems were asked for a case and what they answered (issue 30
/// §5): a system that answers 202 leaves its task pending and the case waits, naming it; its
/// callback stores the answer (sealed with the case's key) once, and fulfilling again uses it.
public struct SystemTasks: Sendable {
    let register: CaseRegister

    public init(register: CaseRegister) {
        self.register = register
    }

    /// A task as stored.
    public enum Stored: Sendable, Equatable {
        case pending(since: Date)
        case answered(SystemAnswer)
    }

    /// The task of `system` for case `id` and `action`, if it was sent.
    public func find(_ id: UUID, system: String, action: SystemCall.Action) async throws -> Stored? {
        guard
            let row = try await register.sql.raw(
                "SELECT state, sent_us, sealed FROM system_tasks WHERE request_id = \(bind: id.storedText) AND system_id = \(bind: system) AND action = \(bind: action.rawValue)"
            ).first()
        else { return nil }
        guard let sealed = try row.decode(column: "sealed", as: Data?.self) else {
            return .pending(since: Date(microseconds: try row.decode(column: "sent_us", as: Int64.self)))
        }
        let opened = try await register.caseKey(id, in: register.sql).open(bytes: sealed, context: Self.context(id, system, action))
        return .answered(try SystemAnswer.decode(SystemAnswer.self, from: opened))
    }

    /// Records that `system` was asked and will answer by its callback.
    func markPending(_ id: UUID, system: String, action: SystemCall.Action, at instant: Date) async throws {
        try await register.journal.commit(
            JournalUnit { sql in
                try await sql.raw(
                    "DELETE FROM system_tasks WHERE request_id = \(bind: id.storedText) AND system_id = \(bind: system) AND action = \(bind: action.rawValue)"
                ).run()
                try await sql.insert(into: "system_tasks").columns("request_id", "system_id", "action", "state", "sent_us")
                    .values([id.storedText, system, action.rawValue, "pending", instant.microseconds] as [any Encodable & Sendable]).run()
                return [
                    AuditRecord(
                        actor: "pledge", action: "system.ask", object: "request:\(id.storedText)", field: "\(system) \(action.rawValue)", at: instant)
                ]
            })
    }

    /// Stores a callback's answer for a pending task; false when no such task is pending (unknown,
    /// or answered already: a replayed callback changes nothing).
    public func answer(_ answer: SystemAnswer, for id: UUID, system: String, action: SystemCall.Action, at instant: Date) async throws -> Bool {
        guard case .pending = try await find(id, system: system, action: action) else { return false }
        let sealed = try await register.caseKey(id, in: register.sql).seal(
            bytes: try SystemAnswer.encode(answer), context: Self.context(id, system, action))
        // Only one of two callbacks racing for a task updates it: the other is told it is not pending.
        let updated = NIOLockedValueBox(false)
        try await register.journal.commit(
            JournalUnit { sql in
                let rows = try await sql.raw(
                    """
                    UPDATE system_tasks SET state = 'answered', answered_us = \(bind: instant.microseconds), sealed = \(bind: sealed)
                    WHERE request_id = \(bind: id.storedText) AND system_id = \(bind: system) AND action = \(bind: action.rawValue) AND state = 'pending'
                    RETURNING 1 AS one
                    """
                ).all()
                updated.withLockedValue { $0 = !rows.isEmpty }
                return rows.isEmpty
                    ? []
                    : [
                        AuditRecord(
                            actor: "system:\(system)", action: "system.answer", object: "request:\(id.storedText)", field: action.rawValue,
                            at: instant)
                    ]
            })
        return updated.withLockedValue { $0 }
    }

    /// The systems a case is waiting for.
    public func waiting(for id: UUID) async throws -> [String] {
        try await register.sql.raw(
            "SELECT system_id FROM system_tasks WHERE request_id = \(bind: id.storedText) AND state = 'pending' ORDER BY system_id"
        )
        .all().map { try $0.decode(column: "system_id", as: String.self) }
    }

    static func context(_ id: UUID, _ system: String, _ action: SystemCall.Action) -> String {
        "request:\(id.storedText)/system:\(system)/\(action.rawValue)"
    }
}
