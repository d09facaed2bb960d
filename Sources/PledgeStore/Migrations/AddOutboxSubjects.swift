import FluentKit

/// Messages that belong to a person rather than a case (issue 29 §2: the Art 34 notice of a breach),
/// sealed with the person's own key: `subject_id` names them where `request_id` is empty.
struct AddOutboxSubjects: AsyncMigration {
    var name: String { "2026-12-06-add-outbox-subjects" }

    func prepare(on database: any Database) async throws {
        try await database.schema("outbox").field("subject_id", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("outbox").deleteField("subject_id").update()
    }
}
