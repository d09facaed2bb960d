import Foundation
import PledgeCore
import SQLKit

/// Reads and checks the hash-chained audit trail (C14).
public struct AuditTrail: Sendable {
    let database: PledgeDatabase

    public init(database: PledgeDatabase) {
        self.database = database
    }

    /// Everything recorded about one object ("who changed this record and when"), oldest first.
    public func entries(about object: String, limit: Int = 1000) async throws -> [AuditEntry] {
        try await database.sql.raw("SELECT * FROM audit_entries WHERE object = \(bind: object) ORDER BY seq LIMIT \(literal: limit)").all().map(Self.entry)
    }

    /// The records about one object without their chain hashes, oldest first: the disclosure log of
    /// an access request, which reads only what it shows.
    public func records(about object: String, limit: Int) async throws -> [AuditRecord] {
        try await database.bulkRows("SELECT actor, action, purpose, field, at_us FROM audit_entries WHERE object = ? ORDER BY seq LIMIT \(limit)", binding: object).map { row in
            AuditRecord(actor: try row.text("actor"), action: try row.text("action"), object: object, purpose: try row.optionalText("purpose"),
                        field: try row.optionalText("field"), before: nil, after: nil, atMicros: try row.integer("at_us"))
        }
    }

    /// The outcome of checking the whole chain.
    public struct Verification: Sendable, Equatable {
        public var checked: Int
        public var firstBreak: AuditBreak?
        public var lastHash: String
    }

    /// Checks every entry in order, a page at a time; stops at the first break.
    public func verify(pageSize: Int = 10_000) async throws -> Verification {
        var verifier = AuditChainVerifier()
        var after: Int64 = 0
        var lastHash = AuditChain.genesis
        while true {
            let rows = try await database.sql.raw("SELECT * FROM audit_entries WHERE seq > \(bind: after) ORDER BY seq LIMIT \(literal: pageSize)").all()
            for row in rows {
                let entry = try Self.entry(row)
                if let found = verifier.check(entry) {
                    return Verification(checked: verifier.checked, firstBreak: found, lastHash: lastHash)
                }
                after = entry.sequence
                lastHash = entry.hash
            }
            if rows.count < pageSize { return Verification(checked: verifier.checked, firstBreak: nil, lastHash: lastHash) }
        }
    }

    /// Appends administrative records (declaration publications, key changes) through the journal.
    public static func record(_ records: [AuditRecord], in journal: Journal) async throws {
        try await journal.commit(JournalUnit(audit: records))
    }

    static func entry(_ row: any SQLRow) throws -> AuditEntry {
        AuditEntry(
            sequence: try row.decode(column: "seq", as: Int64.self),
            record: AuditRecord(actor: try row.decode(column: "actor", as: String.self), action: try row.decode(column: "action", as: String.self),
                                object: try row.decode(column: "object", as: String.self), purpose: try row.decode(column: "purpose", as: String?.self),
                                field: try row.decode(column: "field", as: String?.self), before: try row.decode(column: "before_digest", as: String?.self),
                                after: try row.decode(column: "after_digest", as: String?.self), atMicros: try row.decode(column: "at_us", as: Int64.self)),
            previousHash: try row.decode(column: "previous_hash", as: String.self),
            hash: try row.decode(column: "hash", as: String.self))
    }
}
