import FluentKit

/// Which new purposes have been announced to the people they will concern (issue 29 §5; C44), once
/// per notice version and purpose: the unique key makes a second node's announcement fail whole.
struct CreatePurposeAnnouncements: AsyncMigration {
    var name: String { "2026-12-06-create-purpose-announcements" }

    func prepare(on database: any Database) async throws {
        try await database.schema("purpose_announcements")
            .field("notice_version", .string, .required)
            .field("purpose", .string, .required)
            .field("starts_on", .string, .required)
            .field("queued_us", .int64, .required)
            .field("queued", .int64, .required)
            .field("without_address", .int64, .required)
            .unique(on: "notice_version", "purpose")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("purpose_announcements").delete()
    }
}
