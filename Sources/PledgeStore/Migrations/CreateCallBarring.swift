import FluentKit
import SQLKit

/// The call-barring lists live calls are screened against (issue 28 §1; PECR reg 21): the TPS, the
/// CTPS and the organisation's own do-not-call list, each imported whole, as keyed hashes of the
/// numbers (the blind index's digests), so a number matches a subject's without either being readable.
struct CreateCallBarring: AsyncMigration {
    var name: String { "2026-12-06-create-call-barring" }

    func prepare(on database: any Database) async throws {
        try await database.schema("call_barring")
            .field("digest", .data, .required)
            .field("list", .string, .required)
            .unique(on: "digest", "list")
            .create()
        try await database.schema("call_barring_imports")
            .field("list", .string, .identifier(auto: false))
            .field("imported_us", .int64, .required)
            .field("numbers", .int64, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("call_barring_imports").delete()
        try await database.schema("call_barring").delete()
    }
}
