import FluentKit

/// How an Art 14 task was closed (issue 25 §8; C05): the channel or the Art 14(5) exemption, the
/// note or the exemption's reason (sealed with the subject's key), and who closed it.
struct AddArt14Closure: AsyncMigration {
    var name: String { "2026-12-05-add-art14-closure" }

    func prepare(on database: any Database) async throws {
        // One column a statement: SQLite's ALTER TABLE adds one at a time.
        try await database.schema("art14_tasks").field("done_how", .string).update()
        try await database.schema("art14_tasks").field("done_note", .data).update()
        try await database.schema("art14_tasks").field("done_by", .string).update()
    }

    func revert(on database: any Database) async throws {
        for column in ["done_by", "done_note", "done_how"] {
            try await database.schema("art14_tasks").deleteField(.key(.string(column))).update()
        }
    }
}
