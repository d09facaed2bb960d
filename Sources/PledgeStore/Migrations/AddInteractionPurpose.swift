import FluentKit

/// The declared purpose an interaction record serves (ECR-19: a support ticket under the support
/// agreement's purpose; C43). Records before it have none.
struct AddInteractionPurpose: AsyncMigration {
    var name: String { "2026-12-07-add-interaction-purpose" }

    func prepare(on database: any Database) async throws {
        try await database.schema("interactions").field("purpose", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("interactions").deleteField("purpose").update()
    }
}
