import FluentKit

/// The reference to the dealing with a source that brought a value (OEX-43 a project, APX-04 an
/// agreement and its counter-party), beside the value and its Art 14 task. Rows before it have none.
struct AddSourceReference: AsyncMigration {
    var name: String { "2026-12-07-add-source-reference" }

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        try await database.schema("personal_values").field("source_reference", .string).update()
        try await database.schema("art14_tasks").field("source_reference", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("art14_tasks").deleteField("source_reference").update()
        try await database.schema("personal_values").deleteField("source_reference").update()
    }
}
