import FluentKit

/// A data room's sale completed (issue 29 §3; C26): the buyer, how to reach them, from when, and
/// when it was recorded (and the people told).
struct AddSaleCompletion: AsyncMigration {
    var name: String { "2026-12-06-add-sale-completion" }

    func prepare(on database: any Database) async throws {
        // One column a statement: SQLite's ALTER TABLE adds one at a time.
        try await database.schema("disclosures").field("new_controller", .string).update()
        try await database.schema("disclosures").field("new_controller_contact", .string).update()
        try await database.schema("disclosures").field("sale_effective_on", .string).update()
        try await database.schema("disclosures").field("sale_completed_us", .int64).update()
    }

    func revert(on database: any Database) async throws {
        for column in ["sale_completed_us", "sale_effective_on", "new_controller_contact", "new_controller"] {
            try await database.schema("disclosures").deleteField(.key(.string(column))).update()
        }
    }
}
