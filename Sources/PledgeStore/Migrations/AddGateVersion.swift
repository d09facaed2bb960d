import FluentKit
import SQLKit

/// A counter on each subject that every change to its flags, objections or categories bumps in the
/// same transaction (issue 27 §2). With the count of its consent events it is the version a node
/// compares its cached gate state with before it decides, so a change committed by any node is seen.
struct AddGateVersion: AsyncMigration {
    var name: String { "2026-12-05-add-gate-version" }

    func prepare(on database: any Database) async throws {
        try await database.schema("subjects").field("gate_version", .int64, .required, .sql(.default(0))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("subjects").deleteField("gate_version").update()
    }
}
