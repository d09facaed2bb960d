import Foundation
import SQLKit

/// The version of a subject's gate state as the database holds it (issue 27 §2): the counter its flag
/// changes bump, and how many consent events it has (the ledger only grows, so the count moves with
/// every event any node appends). Equal versions mean an equal state.
struct GateVersion: Sendable, Equatable {
    var flags: Int64
    var consents: Int64

    /// A subject just created: no change and no consent yet.
    static let created = GateVersion(flags: 0, consents: 0)

    /// This version moved by `delta`. Sound because both parts only grow, except that an erasure
    /// that keeps the subject moves consents off it and bumps `flags` too: a cached version plus
    /// this node's own deltas equals the database's only if no other node wrote meanwhile.
    func adding(_ delta: GateVersion) -> GateVersion { GateVersion(flags: flags + delta.flags, consents: consents + delta.consents) }
}

extension PersonalDataVault {
    /// The subject's version now; nil when there is no such subject (or it was erased). Checks of
    /// concurrent decisions share one query (`GateVersionCheck`): what every decision on PostgreSQL
    /// pays for never answering from a stale cache.
    func gateVersion(of id: UUID) async throws -> GateVersion? {
        try await versions.version(of: id)
    }

    /// Bumps the subject's flag counter, inside the transaction of the change.
    static func bumpGateVersion(of subject: String, in sql: any SQLDatabase) async throws {
        try await sql.raw("UPDATE subjects SET gate_version = gate_version + 1 WHERE id = \(bind: subject)").run()
    }
}
