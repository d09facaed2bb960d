import FluentKit
import SQLKit

/// Marketing (issue 28): how each subject's contact details were obtained (the PECR permission turns
/// on it), on the subject's row so erasure removes it with them; and an index for the suppression
/// list's reasons.
struct AddMarketing: AsyncMigration {
    var name: String { "2026-12-05-add-marketing" }

    func prepare(on database: any Database) async throws {
        // SQLite adds one column per ALTER TABLE.
        for (field, type) in [
            ("obtained", DatabaseSchema.DataType.string), ("obtained_source", .string), ("refusal_offered", .bool), ("subscriber", .string),
        ] {
            try await database.schema("subjects").field(.definition(name: .key(.string(field)), dataType: type, constraints: [])).update()
        }
    }

    func revert(on database: any Database) async throws {
        for field in ["obtained", "obtained_source", "refusal_offered", "subscriber"] {
            try await database.schema("subjects").deleteField(.string(field)).update()
        }
    }
}
