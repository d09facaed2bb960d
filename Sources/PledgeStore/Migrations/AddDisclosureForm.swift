import FluentKit

/// The form of data a disclosure's recipient receives (APX-17, APX-60): identified, de-identified or
/// aggregate. Rows logged before it read as identified.
struct AddDisclosureForm: AsyncMigration {
    var name: String { "2026-12-06-add-disclosure-form" }

    func prepare(on database: any Database) async throws {
        try await database.schema("disclosures").field("recipient_form", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("disclosures").deleteField("recipient_form").update()
    }
}
