import FluentKit

/// Identity documents uploaded for a staff check (issue 5 §3, C29), sealed with the case's key and
/// deleted as soon as the check is over.
struct CreateRequestDocuments: AsyncMigration {
    var name: String { "2026-11-25-create-request-documents" }

    func prepare(on database: any Database) async throws {
        try await database.schema("request_documents")
            .field("id", .string, .identifier(auto: false))
            .field("request_id", .string, .required)
            .field("media_type", .string, .required)
            .field("bytes", .int64, .required)
            .field("uploaded_us", .int64, .required)
            .field("sealed", .data, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("request_documents").delete()
    }
}
