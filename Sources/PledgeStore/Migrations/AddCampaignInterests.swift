import FluentKit
import SQLKit

/// The topics a tailored campaign selects people by (OEX-24), comma-separated; NULL for a campaign
/// that is not tailored.
struct AddCampaignInterests: AsyncMigration {
    var name: String { "2026-12-07-add-campaign-interests" }

    func prepare(on database: any Database) async throws {
        try await database.schema("campaigns").field(.definition(name: .key(.string("interests")), dataType: .string, constraints: [])).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("campaigns").deleteField(.string("interests")).update()
    }
}
