import FluentKit
import SQLKit

/// Requests sent to the organisation's `http` systems (issue 30 §5): one row a case, system and
/// action, pending until the system answers (now or by its callback), the answer sealed with the
/// case's key, as it holds the person's data.
struct CreateSystemTasks: AsyncMigration {
    var name: String { "2026-12-10-create-system-tasks" }

    func prepare(on database: any Database) async throws {
        try await database.schema("system_tasks")
            .field("request_id", .string, .required)
            .field("system_id", .string, .required)
            .field("action", .string, .required)
            .field("state", .string, .required)
            .field("sent_us", .int64, .required)
            .field("answered_us", .int64)
            .field("sealed", .data)
            .unique(on: "request_id", "system_id", "action")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("system_tasks").delete()
    }
}
