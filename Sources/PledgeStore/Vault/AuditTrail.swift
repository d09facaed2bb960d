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
        try await database.sql.raw("SELECT * FROM audit_entries WHERE object = \(bind: object) ORDER BY seq LIMIT \(literal: limit)").all().map(
            Self.entry)
    }

    /// The newest entry about one object, if any: the last retention sweep, say.
    public func latest(about object: String) async throws -> AuditEntry? {
        try await database.sql.raw("SELECT * FROM audit_entries WHERE object = \(bind: object) ORDER BY seq DESC LIMIT 1").first().map(Self.entry)
    }

    /// The records about one object without their chain hashes, oldest first: the disclosure log of
    /// an access request, which reads only what it shows.
    public func records(about object: String, limit: Int) async throws -> [AuditRecord] {
        try await database.bulkRows(
            "SELECT actor, action, purpose, field, at_us FROM audit_entries WHERE object = ? ORDER BY seq LIMIT \(limit)", binding: object
        ).map { row in
            AuditRecord(
                actor: try row.text("actor"), action: try row.text("action"), object: object, purpose: try row.optionalText("purpose"),
                field: try row.optionalText("field"), before: nil, after: nil, atMicros: try row.integer("at_us"))
        }
    }

    /// The outcome of checking the whole chain.
    public struct Verification: Sendable, Equatable {
        public var checked: Int
        public var firstBreak: AuditBreak?
        /// The newest entry's number (0 without entries) and hash.
        public var lastSequence: Int64
        public var lastHash: String
        /// What checking against the anchor found; nil when it matched or none was given.
        public var anchorProblem: AuditAnchorProblem?

        /// Whether the trail is intact: unbroken and, when anchored, holding the anchored entry.
        public var isIntact: Bool { firstBreak == nil && anchorProblem == nil }
    }

    /// Checks every entry in order under `key`, a page at a time, stopping at the first break; then,
    /// when given an `anchor`, that the trail still holds the anchored entry unchanged (entries
    /// deleted from the end leave a chain that verifies by itself).
    public func verify(key: AuditChainKey, anchor: AuditAnchor? = nil, pageSize: Int = 10_000) async throws -> Verification {
        var verifier = AuditChainVerifier(key: key)
        var after: Int64 = 0
        var lastHash = AuditChain.genesis
        var anchoredHash: String?
        while true {
            let rows = try await database.sql.raw("SELECT * FROM audit_entries WHERE seq > \(bind: after) ORDER BY seq LIMIT \(literal: pageSize)")
                .all()
            for row in rows {
                let entry = try Self.entry(row)
                if let found = verifier.check(entry) {
                    return Verification(checked: verifier.checked, firstBreak: found, lastSequence: after, lastHash: lastHash)
                }
                after = entry.sequence
                lastHash = entry.hash
                if entry.sequence == anchor?.sequence { anchoredHash = entry.hash }
            }
            if rows.count < pageSize { break }
        }
        var result = Verification(checked: verifier.checked, firstBreak: nil, lastSequence: after, lastHash: lastHash)
        if let anchor {
            result.anchorProblem = anchor.isSigned(by: key) ? anchor.problem(anchoredEntryHash: anchoredHash) : .forged
        }
        return result
    }

    /// The newest entry's number and hash, or nil when the trail is empty.
    public func head() async throws -> (sequence: Int64, hash: String)? {
        guard let row = try await database.sql.raw("SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1").first() else { return nil }
        return (try row.decode(column: "seq", as: Int64.self), try row.decode(column: "hash", as: String.self))
    }

    /// The hash of entry `sequence`, or nil when there is no such entry.
    public func hash(of sequence: Int64) async throws -> String? {
        try await database.sql.raw("SELECT hash FROM audit_entries WHERE seq = \(bind: sequence)").first()?.decode(column: "hash", as: String.self)
    }

    /// Appends administrative records (declaration publications, key changes) through the journal.
    public static func record(_ records: [AuditRecord], in journal: Journal) async throws {
        try await journal.commit(JournalUnit(audit: records))
    }

    static func entry(_ row: any SQLRow) throws -> AuditEntry {
        AuditEntry(
            sequence: try row.decode(column: "seq", as: Int64.self),
            record: AuditRecord(
                actor: try row.decode(column: "actor", as: String.self), action: try row.decode(column: "action", as: String.self),
                object: try row.decode(column: "object", as: String.self), purpose: try row.decode(column: "purpose", as: String?.self),
                field: try row.decode(column: "field", as: String?.self), before: try row.decode(column: "before_digest", as: String?.self),
                after: try row.decode(column: "after_digest", as: String?.self), atMicros: try row.decode(column: "at_us", as: Int64.self)),
            previousHash: try row.decode(column: "previous_hash", as: String.self),
            hash: try row.decode(column: "hash", as: String.self))
    }
}
