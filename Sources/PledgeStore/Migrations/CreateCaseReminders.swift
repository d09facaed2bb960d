import FluentKit

/// Which deadline reminders have gone out (issue 5 §2): one per case and level, so staff hear once
/// that a case is nearly due and once that it is overdue.
struct CreateCaseReminders: AsyncMigration {
    var name: String { "2026-11-24-create-case-reminders" }

    func prepare(on database: any Database) async throws {
        try await database.schema("case_reminders")
            .field("request_id", .string, .required)
            .field("level", .string, .required)
            .field("sent_us", .int64, .required)
            .unique(on: "request_id", "level")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("case_reminders").delete()
    }
}
