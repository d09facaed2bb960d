import FluentKit
import SQLKit

/// Data-subject requests and complaints (issue 5): the case register with its append-only history,
/// one-time tokens (stored as digests), exports sealed with a per-case key, the email outbox, and
/// the suppression stubs erasure leaves so that a marketing opt-out outlives the data.
struct CreateRequests: AsyncMigration {
    var name: String { "2026-11-23-create-requests" }

    func prepare(on database: any Database) async throws {
        try await database.schema("requests")
            .field("id", .string, .identifier(auto: false))
            .field("kind", .string, .required)
            .field("state", .string, .required)
            .field("channel", .string, .required)
            .field("subject_id", .string)
            .field("contact_digest", .data)
            .field("received_us", .int64, .required)
            .field("due_on", .string, .required)
            .field("closed_us", .int64)
            .field("snapshot", .string, .required)
            .field("sealed", .data, .required)
            .create()
        try await database.schema("request_keys")
            .field("request_id", .string, .identifier(auto: false))
            .field("master_key_id", .string, .required)
            .field("wrapped", .data, .required)
            .create()
        try await database.schema("request_events")
            .field("seq", .int64, .identifier(auto: true))
            .field("request_id", .string, .required)
            .field("at_us", .int64, .required)
            .field("actor", .string, .required)
            .field("action", .string, .required)
            .field("state", .string, .required)
            .field("detail", .string)
            .create()
        try await database.schema("request_tokens")
            .field("digest", .string, .identifier(auto: false))
            .field("request_id", .string, .required)
            .field("purpose", .string, .required)
            .field("expires_us", .int64, .required)
            .field("used_us", .int64)
            .create()
        try await database.schema("request_exports")
            .field("request_id", .string, .identifier(auto: false))
            .field("created_us", .int64, .required)
            .field("expires_us", .int64, .required)
            .field("bytes", .int64, .required)
            .field("sealed", .data, .required)
            .create()
        try await database.schema("outbox")
            .field("id", .string, .identifier(auto: false))
            .field("request_id", .string)
            .field("created_us", .int64, .required)
            .field("next_attempt_us", .int64, .required)
            .field("attempts", .int64, .required)
            .field("sent_us", .int64)
            .field("last_error", .string)
            .field("sealed", .data)
            .create()
        try await database.schema("suppressions")
            .field("digest", .data, .identifier(auto: false))
            .field("kind", .string, .required)
            .field("since_us", .int64, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        for (index, table, columns) in [
            ("requests_queue", "requests", ["state", "due_on"]),
            ("requests_subject", "requests", ["subject_id"]),
            ("requests_contact", "requests", ["contact_digest"]),
            ("request_events_request", "request_events", ["request_id"]),
            ("outbox_pending", "outbox", ["sent_us", "next_attempt_us"]),
        ] {
            let builder = sql.create(index: index).on(table)
            for column in columns { _ = builder.column(column) }
            try await builder.run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["suppressions", "outbox", "request_exports", "request_tokens", "request_events", "request_keys", "requests"] {
            try await database.schema(table).delete()
        }
    }
}
