import FluentKit
import SQLKit

/// Retention that runs (issue 29 §1): legal holds, each with its reason; people emptied but kept; and the moment a consent
/// record's holder was erased, from which its proof is kept for the limitation period.
struct CreateRetentionHolds: AsyncMigration {
    var name: String { "2026-12-08-create-retention-holds" }

    func prepare(on database: any Database) async throws {
        try await database.schema("retention_holds")
            .field("id", .string, .identifier(auto: false))
            .field("scope", .string, .required)
            .field("target", .string, .required)
            .field("subject_id", .string)
            .field("reason", .string, .required)
            .field("placed_by", .string, .required)
            .field("placed_us", .int64, .required)
            .field("lifted_by", .string)
            .field("lifted_us", .int64)
            .create()
        try await database.schema("consent_events").field(.definition(name: .key(.string("holder_gone_us")), dataType: .int64, constraints: []))
            .update()
        // Set when the sweep left a person with nothing but could not erase them (a hold, an open
        // request): later sweeps look again, as nothing of theirs will expire to bring them back.
        try await database.schema("subjects").field(.definition(name: .key(.string("retention_emptied_us")), dataType: .int64, constraints: []))
            .update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "retention_holds_subject").on("retention_holds").column("subject_id").run()
        // The sweep finds a purpose's expired values by the first index. The index on subject_id alone
        // becomes one on (subject_id, category, collected_us): it still answers every lookup by
        // subject, and also, without reading a sealed value, the sweep's "anything of theirs collected
        // since?" and a breach's scope, which it walks in subject order with no sort (measured in
        // pledge-bench: the scope over 1,000,000 subjects fell from 2.9 s).
        try await sql.create(index: "personal_values_purpose_collected").on("personal_values").column("purpose").column("collected_us").run()
        try await sql.drop(index: "personal_values_subject").run()
        try await sql.create(index: "personal_values_subject_category").on("personal_values").column("subject_id").column("category")
            .column("collected_us").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("retention_holds").delete()
        try await database.schema("consent_events").deleteField(.string("holder_gone_us")).update()
        try await database.schema("subjects").deleteField(.string("retention_emptied_us")).update()
    }
}
