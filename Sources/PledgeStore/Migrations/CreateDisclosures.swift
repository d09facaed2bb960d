import FluentKit
import SQLKit

/// The disclosure register (issue 29 §3; C22, C25): one row a disclosure request, with its ground,
/// assessment, decision and release. It names the people by subject id, never by their data.
struct CreateDisclosures: AsyncMigration {
    var name: String { "2026-12-08-create-disclosures" }

    func prepare(on database: any Database) async throws {
        try await database.schema("disclosures")
            .field("id", .string, .identifier(auto: false))
            .field("requester", .string, .required)
            .field("requester_name", .string, .required)
            .field("recipient", .string)
            .field("country", .string, .required)
            .field("verification", .string, .required)
            .field("ground", .string, .required)
            .field("reference", .string)
            .field("agreement", .string)
            .field("necessity", .string, .required)
            .field("categories", .string, .required)
            .field("subjects", .string, .required)
            .field("logged_by", .string, .required)
            .field("logged_us", .int64, .required)
            .field("state", .string, .required)
            .field("decided_by", .string)
            .field("decided_us", .int64)
            .field("decision_note", .string)
            .field("released_us", .int64)
            .field("data_room", .bool, .required)
            .field("identified_because", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("disclosures").delete()
    }
}
