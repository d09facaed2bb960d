import Foundation
import PledgeCore
import SQLKit

extension PersonalDataVault {
    /// Art 14 notice tasks (C05), soonest due first: the open ones, or every one with `includeClosed`
    /// (closed ones with their notes opened).
    public func art14Tasks(includeClosed: Bool = false, limit: Int = 100, offset: Int = 0) async throws -> [Art14Task] {
        let query: SQLQueryString =
            includeClosed
            ? "SELECT \(unsafeRaw: Self.art14Columns) FROM art14_tasks ORDER BY due_on, created_us, id LIMIT \(literal: limit) OFFSET \(literal: offset)"
            : "SELECT \(unsafeRaw: Self.art14Columns) FROM art14_tasks WHERE done_us IS NULL ORDER BY due_on, created_us, id LIMIT \(literal: limit) OFFSET \(literal: offset)"
        var tasks: [Art14Task] = []
        for row in try await sql.raw(query).all() { tasks.append(try await art14Task(row, in: sql)) }
        return tasks
    }

    /// How many Art 14 tasks are open.
    public func openArt14TaskCount() async throws -> Int {
        try await sql.count("SELECT COUNT(*) AS n FROM art14_tasks WHERE done_us IS NULL", table: "art14_tasks")
    }

    /// Closes an open task: the person was informed, or an Art 14(5) exemption applies with its
    /// reason. The note is sealed with the subject's key, so an erasure takes it too. Audited with
    /// the channel or exemption, never the note.
    public func closeArt14Task(_ id: UUID, by closure: Art14Closure, actor: String, at instant: Date) async throws -> Art14Task {
        let result = JournalResult<Art14Task>()
        try await journal.commit(
            JournalUnit { sql in
                guard let row = try await sql.raw("SELECT \(unsafeRaw: Self.art14Columns) FROM art14_tasks WHERE id = \(bind: id.storedText)").first()
                else {
                    throw Art14Refusal.notFound
                }
                let closed = try await self.art14Task(row, in: sql).closed(by: closure, at: instant)
                let subject = closed.subject.storedText
                let sealed = try await closure.note.asyncFlatMap {
                    try await self.dataKey(of: subject, in: sql).seal($0, context: "\(subject)/art14/\(id.storedText)")
                }
                try await sql.raw(
                    """
                    UPDATE art14_tasks SET done_us = \(bind: instant.microseconds), done_how = \(bind: closure.how), done_note = \(bind: sealed),
                    done_by = \(bind: actor) WHERE id = \(bind: id.storedText)
                    """
                ).run()
                result.value = closed
                return [
                    AuditRecord(
                        actor: actor, action: "art14.task-close", object: "subject:\(subject)", field: closed.source, after: closure.how, at: instant)
                ]
            })
        return try result.get()
    }

    static let art14Columns = "id, subject_id, source, source_reference, due_on, created_us, done_us, done_how, done_note"

    /// A stored task, its note opened with the subject's key.
    func art14Task(_ row: any SQLRow, in sql: any SQLDatabase) async throws -> Art14Task {
        let id = try row.decode(column: "id", as: String.self)
        func stored<T>(_ value: T?, _ column: String) throws -> T { try value.stored(in: "art14_tasks", row: id, column: column) }
        let subject = try stored(UUID(canonical: try row.decode(column: "subject_id", as: String.self)), "subject_id")
        var task = Art14Task(
            id: try stored(UUID(canonical: id), "id"), subject: subject, source: try row.decode(column: "source", as: String.self),
            dueOn: try stored(CalendarDate(try row.decode(column: "due_on", as: String.self)), "due_on"),
            createdAt: Date(microseconds: try row.decode(column: "created_us", as: Int64.self)))
        task.sourceReference = try row.decode(column: "source_reference", as: String?.self)
        if let closedAt = try row.decode(column: "done_us", as: Int64?.self), let how = try row.decode(column: "done_how", as: String?.self) {
            let note = try await row.decode(column: "done_note", as: Data?.self).asyncFlatMap { sealed in
                try await dataKey(of: subject.storedText, in: sql).open(sealed, context: "\(subject.storedText)/art14/\(id)")
            }
            task.closure = try stored(try? Art14Closure(how: how, note: note), "done_how")
            task.closedAt = Date(microseconds: closedAt)
        }
        return task
    }
}
