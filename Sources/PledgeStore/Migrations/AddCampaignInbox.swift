import FluentKit
import SQLKit

/// Inbox campaigns (CAM-22): a campaign's destination (NULL: email), and each message delivered to an
/// inbox, sealed under its person's data key so their erasure shreds it with the rest.
struct AddCampaignInbox: AsyncMigration {
    var name: String { "2026-12-07-add-campaign-inbox" }

    func prepare(on database: any Database) async throws {
        try await database.schema("campaigns").field(.definition(name: .key(.string("destination")), dataType: .string, constraints: [])).update()
        try await database.schema("campaign_messages").field(.definition(name: .key(.string("inbox_sealed")), dataType: .data, constraints: []))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("campaigns").deleteField(.string("destination")).update()
        try await database.schema("campaign_messages").deleteField(.string("inbox_sealed")).update()
    }
}
