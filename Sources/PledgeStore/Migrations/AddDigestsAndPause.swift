import FluentKit
import SQLKit

/// Each subject's digest frequency and marketing pause (issue 28 §5, §6; CAM-23), chosen in the
/// preference centre or the organisation's account settings: on the subject's row, so erasure removes
/// them with it.
struct AddDigestsAndPause: AsyncMigration {
    var name: String { "2026-12-06-add-digests-and-pause" }

    private static let fields: [(String, DatabaseSchema.DataType)] = [("digest_frequency", .string), ("marketing_paused_until_us", .int64)]

    func prepare(on database: any Database) async throws {
        // SQLite adds one column per ALTER TABLE.
        for (field, type) in Self.fields {
            try await database.schema("subjects").field(.definition(name: .key(.string(field)), dataType: type, constraints: [])).update()
        }
    }

    func revert(on database: any Database) async throws {
        for (field, _) in Self.fields { try await database.schema("subjects").deleteField(.string(field)).update() }
    }
}
