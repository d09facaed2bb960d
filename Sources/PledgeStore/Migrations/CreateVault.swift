import FluentKit
import SQLKit

/// The personal data vault (issue 3): subjects found by blind index, per-subject wrapped keys,
/// sealed values, the consent ledger, the audit chain and API keys. No column holds personal
/// data in plaintext; ids are text UUIDs and instants integer microseconds, the same on both backends.
struct CreateVault: AsyncMigration {
    var name: String { "2026-11-22-create-vault" }

    func prepare(on database: any Database) async throws {
        try await database.schema("vault_keys")
            .field("name", .string, .identifier(auto: false))
            .field("master_key_id", .string, .required)
            .field("wrapped", .data, .required)
            .create()
        try await database.schema("subjects")
            .field("id", .string, .identifier(auto: false))
            .field("categories", .string, .required)
            .field("stage", .string)
            .field("stage_changed_us", .int64)
            .field("is_child", .bool, .required)
            .field("restricted", .bool, .required)
            .field("legal_hold", .bool, .required)
            .field("marketing_objection_us", .int64)
            .field("created_us", .int64, .required)
            .create()
        try await database.schema("subject_identifiers")
            .field("digest", .data, .identifier(auto: false))
            .field("subject_id", .string, .required)
            .field("kind", .string, .required)
            .create()
        try await database.schema("subject_keys")
            .field("subject_id", .string, .identifier(auto: false))
            .field("master_key_id", .string, .required)
            .field("wrapped", .data, .required)
            .create()
        try await database.schema("personal_values")
            .field("id", .string, .identifier(auto: false))
            .field("subject_id", .string, .required)
            .field("field", .string, .required)
            .field("category", .string, .required)
            .field("purpose", .string, .required)
            .field("source", .string, .required)
            .field("notice_version", .string)
            .field("collected_us", .int64, .required)
            .field("sealed", .data, .required)
            .unique(on: "subject_id", "field")
            .create()
        try await database.schema("objections")
            .field("subject_id", .string, .required)
            .field("purpose", .string, .required)
            .field("at_us", .int64, .required)
            .field("compelling_grounds", .string)
            .unique(on: "subject_id", "purpose")
            .create()
        try await database.schema("interactions")
            .field("id", .string, .identifier(auto: false))
            .field("subject_id", .string, .required)
            .field("kind", .string, .required)
            .field("retention", .string)
            .field("recorded_us", .int64, .required)
            .field("actor", .string, .required)
            .field("sealed", .data, .required)
            .create()
        try await database.schema("art14_tasks")
            .field("id", .string, .identifier(auto: false))
            .field("subject_id", .string, .required)
            .field("source", .string, .required)
            .field("due_on", .string, .required)
            .field("created_us", .int64, .required)
            .field("done_us", .int64)
            .create()
        try await database.schema("consent_events")
            .field("seq", .int64, .identifier(auto: true))
            .field("holder_kind", .string, .required)
            .field("holder", .string, .required)
            .field("purpose", .string, .required)
            .field("recipient", .string)
            .field("channel", .string)
            .field("action", .string, .required)
            .field("mechanism", .string, .required)
            .field("notice_version", .string, .required)
            .field("wording_hash", .string, .required)
            .field("recorded_us", .int64, .required)
            .create()
        try await database.schema("audit_entries")
            .field("seq", .int64, .identifier(auto: false))
            .field("at_us", .int64, .required)
            .field("actor", .string, .required)
            .field("action", .string, .required)
            .field("object", .string, .required)
            .field("purpose", .string)
            .field("field", .string)
            .field("before_digest", .string)
            .field("after_digest", .string)
            .field("previous_hash", .string, .required)
            .field("hash", .string, .required)
            .create()
        try await database.schema("api_keys")
            .field("id", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .field("secret_sha256", .string, .required)
            .field("role", .string, .required)
            .field("purposes", .string)
            .field("created_us", .int64, .required)
            .field("revoked_us", .int64)
            .unique(on: "name")
            .unique(on: "secret_sha256")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        for (index, table, column) in [
            ("subject_identifiers_subject", "subject_identifiers", "subject_id"),
            ("personal_values_subject", "personal_values", "subject_id"),
            ("interactions_subject", "interactions", "subject_id"),
            ("art14_tasks_subject", "art14_tasks", "subject_id"),
            ("consent_events_holder", "consent_events", "holder"),
            ("audit_entries_object", "audit_entries", "object"),
        ] {
            try await sql.create(index: index).on(table).column(column).run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in [
            "api_keys", "audit_entries", "consent_events", "art14_tasks", "interactions", "objections",
            "personal_values", "subject_keys", "subject_identifiers", "subjects", "vault_keys",
        ] {
            try await database.schema(table).delete()
        }
    }
}
