import FluentKit
import SQLKit

/// Cookieless statistics (issue 4; C12, C13, C37): reduced page views, kept for the declared
/// usage-data retention, and the hourly and daily roll-ups that reports read. No column can hold
/// an IP address or a visitor id.
struct CreateAnalytics: AsyncMigration {
    var name: String { "2026-11-23-create-analytics" }

    func prepare(on database: any Database) async throws {
        try await database.schema("page_views")
            .field("at_us", .int64, .required)
            .field("site", .string, .required)
            .field("path", .string, .required)
            .field("referrer", .string)
            .field("campaign", .string)
            .field("source", .string)
            .field("medium", .string)
            .field("browser", .string, .required)
            .field("os", .string, .required)
            .field("device", .string, .required)
            .field("screen", .string, .required)
            .create()
        try await database.schema("traffic_rollups")
            .field("granularity", .string, .required)
            .field("bucket", .int64, .required)
            .field("site", .string, .required)
            .field("dimension", .string, .required)
            .field("value", .string, .required)
            .field("views", .int64, .required)
            .field("visits", .int64, .required)
            .field("visitors", .int64, .required)
            .unique(on: "granularity", "site", "bucket", "dimension", "value")
            .create()
        // The retention sweep deletes page views by age; the unique key above serves the reports.
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "page_views_at").on("page_views").column("at_us").run()
        // Reports read one granularity over a range of buckets, for every site.
        try await sql.create(index: "traffic_rollups_period").on("traffic_rollups").column("granularity").column("bucket").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("traffic_rollups").delete()
        try await database.schema("page_views").delete()
    }
}
