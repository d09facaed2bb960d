import FluentKit

/// What several nodes share to count a visitor once (issue 27 §4): the day's salt (wrapped by the
/// master key, so a copy of the database alone cannot recompute a visitor's key) and, for the buckets
/// still open, the visitor keys already counted. Both are deleted once their day or hour is over, so
/// nothing links two days. Used on PostgreSQL; on SQLite one process counts alone, in memory.
struct CreateVisitorPools: AsyncMigration {
    var name: String { "2026-12-05-create-visitor-pools" }

    func prepare(on database: any Database) async throws {
        try await database.schema("visitor_salts")
            .field("day", .int64, .identifier(auto: false))
            .field("wrapped", .data, .required)
            .create()
        try await database.schema("visitor_marks")
            .field("granularity", .string, .required)
            .field("bucket", .int64, .required)
            .field("site", .string, .required)
            .field("dimension", .string, .required)
            .field("value", .string, .required)
            .field("visitor", .int64, .required)
            .unique(on: "granularity", "bucket", "site", "dimension", "value", "visitor")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("visitor_marks").delete()
        try await database.schema("visitor_salts").delete()
    }
}
