import FluentKit
import SQLKit

/// Finds a person's campaign messages by the person: their erasure deletes them, and a campaign's
/// audience joins them per subject. The table's unique key leads with the campaign, so without this
/// index both read every message of every campaign (`EXPLAIN QUERY PLAN` said `SCAN`).
struct AddCampaignMessageSubjects: AsyncMigration {
    var name: String { "2026-12-06-add-campaign-message-subjects" }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "campaign_messages_subject").on("campaign_messages").column("subject_id").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "campaign_messages_subject").run()
    }
}
