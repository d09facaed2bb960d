import FluentKit
import SQLKit

/// Campaigns with an HTML body, a tracking tier, and service messages (issue 28 §6, §7): on each
/// campaign its tier (null: none), its HTML template, and the campaign a resend to non-openers follows;
/// on each message the tier it went with and when it was first opened and clicked, recorded only for
/// people tracked individually with their consent.
struct AddCampaignTracking: AsyncMigration {
    var name: String { "2026-12-06-add-campaign-tracking" }

    private static let campaignFields: [(String, DatabaseSchema.DataType)] = [("tracking", .string), ("html_body", .string), ("resend_of", .string)]
    private static let messageFields: [(String, DatabaseSchema.DataType)] = [("tracking", .string), ("opened_us", .int64), ("clicked_us", .int64)]

    func prepare(on database: any Database) async throws {
        // SQLite adds one column per ALTER TABLE.
        for (table, fields) in [("campaigns", Self.campaignFields), ("campaign_messages", Self.messageFields)] {
            for (field, type) in fields {
                try await database.schema(table).field(.definition(name: .key(.string(field)), dataType: type, constraints: [])).update()
            }
        }
    }

    func revert(on database: any Database) async throws {
        for (table, fields) in [("campaigns", Self.campaignFields), ("campaign_messages", Self.messageFields)] {
            for (field, _) in fields { try await database.schema(table).deleteField(.string(field)).update() }
        }
    }
}
