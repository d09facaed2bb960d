import FluentKit

/// Sessions of the admin console (issue 24 finding 8): the cookie holds a random session token,
/// never the API key; the row keeps only the token's SHA-256, the key it stands for and when it ends.
struct CreateConsoleSessions: AsyncMigration {
    var name: String { "2026-12-05-create-console-sessions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("console_sessions")
            .field("digest", .string, .identifier(auto: false))
            .field("key_id", .string, .required)
            .field("created_us", .int64, .required)
            .field("expires_us", .int64, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("console_sessions").delete()
    }
}
