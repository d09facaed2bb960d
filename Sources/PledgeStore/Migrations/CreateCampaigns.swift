import FluentKit
import SQLKit

/// Campaigns (issue 28 §2): each campaign, and one row per person it goes to, unique per campaign,
/// so a campaign stopped and started again sends nobody twice.
struct CreateCampaigns: AsyncMigration {
    var name: String { "2026-12-05-create-campaigns" }

    func prepare(on database: any Database) async throws {
        try await database.schema("campaigns")
            .field("id", .string, .identifier(auto: false))
            .field("purpose", .string, .required)
            .field("medium", .string, .required)
            .field("partner", .string)
            .field("categories", .string, .required)
            .field("stages", .string, .required)
            .field("subject", .string, .required)
            .field("text_body", .string, .required)
            .field("state", .string, .required)
            .field("created_us", .int64, .required)
            .field("started_us", .int64)
            .create()
        try await database.schema("campaign_messages")
            .field("campaign_id", .string, .required)
            .field("subject_id", .string, .required)
            .field("state", .string, .required)
            .field("detail", .string)
            .field("attempts", .int64, .required)
            .field("next_attempt_us", .int64, .required)
            .field("sent_us", .int64)
            .unique(on: "campaign_id", "subject_id")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "campaign_messages_due").on("campaign_messages").column("state").column("next_attempt_us").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("campaign_messages").delete()
        try await database.schema("campaigns").delete()
    }
}
