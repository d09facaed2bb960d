import FluentKit

/// Published notice versions (C02): each keeps the exact declaration and the rendered notice, so
/// any past version can be shown as it was.
struct CreateNoticeVersions: AsyncMigration {
    var name: String { "2026-11-21-create-notice-versions" }

    func prepare(on database: any Database) async throws {
        try await database.schema(NoticeVersionModel.schema)
            .id()
            .field("version", .string, .required)
            .field("published_at", .datetime, .required)
            .field("effective_on", .string, .required)
            .field("recorded_at", .datetime, .required)
            .field("summary", .string)
            .field("declaration_sha256", .string, .required)
            .field("declaration_yaml", .string, .required)
            .field("notice_markdown", .string, .required)
            .field("notice_html", .string, .required)
            .unique(on: "version")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(NoticeVersionModel.schema).delete()
    }
}
