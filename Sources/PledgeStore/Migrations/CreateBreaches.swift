import FluentKit
import SQLKit

/// The breach register (C39; UK GDPR Art 33(5)): one row a breach, with its facts, assessment and
/// notifications. It describes the breach, not the people: no personal data is copied into it.
struct CreateBreaches: AsyncMigration {
    var name: String { "2026-12-07-create-breaches" }

    func prepare(on database: any Database) async throws {
        try await database.schema("breaches")
            .field("id", .string, .identifier(auto: false))
            .field("aware_us", .int64, .required)
            .field("recorded_us", .int64, .required)
            .field("reported_by", .string, .required)
            .field("facts", .string, .required)
            .field("categories", .string, .required)
            .field("approx_subjects", .int64)
            .field("approx_records", .int64)
            .field("consequences", .string)
            .field("measures", .string)
            .field("risk", .string)
            .field("risk_reasoning", .string)
            .field("ico_notified_us", .int64)
            .field("ico_reference", .string)
            .field("lateness_reason", .string)
            .field("individuals_notified_us", .int64)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("breaches").delete()
    }
}
