import Foundation
import Logging
import PledgeTestSupport
import Testing

@testable import PledgeCore
@testable import PledgeStore

/// A migrated store with a running journal and a vault under a fresh master key.
struct VaultFixture: Sendable {
    let database: PledgeDatabase
    let journal: Journal
    let keys: VaultKeys
    let vault: PersonalDataVault

    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    static func with(_ backend: StoreBackend, master: MasterKey = .generate(), _ body: @Sendable (VaultFixture) async throws -> Void) async throws {
        try await backend.withDatabase { database in
            let keys = try await VaultKeys.load(database, master: master)
            try await Journal.running(on: database, logger: Logger(label: "pledge.test"), chainKey: keys.auditChain) { journal in
                try await body(
                    VaultFixture(
                        database: database, journal: journal, keys: keys,
                        vault: PersonalDataVault(database: database, journal: journal, keys: keys)))
            }
        }
    }

    func newSubject(email: String = "ada-\(UUID().uuidString.prefix(8))@example.com", categories: [String] = ["customer"]) async throws -> UUID {
        try await vault.createSubject(
            NewSubject(identifiers: [try SubjectIdentifier(kind: .email, raw: email)], categories: categories),
            actor: "key:test", at: Self.now)
    }

    /// Runs `write(index)` for each index below `count`, all side by side, and gathers the ledger
    /// sequence numbers they were given.
    static func sideBySide(_ count: Int, _ write: @escaping @Sendable (Int) async throws -> [Int64]) async throws -> [Int64] {
        try await withThrowingTaskGroup(of: [Int64].self) { group in
            for index in 0..<count { group.addTask { try await write(index) } }
            return try await group.reduce(into: []) { $0 += $1 }
        }
    }

    /// Expects the audit chain to verify, `entries` long, read `pageSize` entries at a time.
    static func expectIntactChain(
        _ database: PledgeDatabase, key: AuditChainKey, entries: Int, pageSize: Int,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) async throws {
        let verification = try await AuditTrail(database: database).verify(key: key, pageSize: pageSize)
        #expect(verification.checked == entries, sourceLocation: sourceLocation)
        #expect(verification.firstBreak == nil, sourceLocation: sourceLocation)
    }

    func count(_ table: String) async throws -> Int {
        try await database.sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()!.decode(column: "n", as: Int.self)
    }

    static func plan(_ fields: [String: String], purpose: String = "service", source: String = "signup") -> CollectionPlan {
        CollectionPlan(
            values: fields.sorted { $0.key < $1.key }.map { CollectedValue(field: $0.key, category: $0.key, purpose: purpose, value: $0.value) },
            source: DataSource(id: source, name: source, kind: .direct), art14DueBy: nil)
    }

    static func consent(_ action: ConsentAction, _ holder: ConsentHolder, purpose: String = "newsletter", offset: TimeInterval = 0) -> ConsentEvent {
        ConsentEvent(
            holder: holder, scope: ConsentScope(purpose: purpose), action: action, mechanism: "opt_in_checkbox",
            noticeVersion: "2026-10", wordingHash: String(repeating: "b", count: 64), recordedAt: now.addingTimeInterval(offset))
    }
}
