import Crypto
import Foundation
import PledgeCore
import SQLKit

/// Keys a trail written before the audit chain was keyed (issue 24 finding 7), once: in one
/// transaction under the journal's lock it checks the old unkeyed chain, links every entry again
/// under the new key, stores the key wrapped by the master key, and appends an entry that records
/// the old head and any break the old chain had, so keying never hides earlier tampering.
enum AuditChainRekey {
    /// The name of the chain key's row in `vault_keys`.
    static let keyName = "audit-chain"

    /// The chain key, wrapped under `master`, made and stored now; any existing trail is linked
    /// again under it. Returns nil when another process stored one first (load it then).
    static func create(on database: PledgeDatabase, master: MasterKey, at instant: Date) async throws -> AuditChainKey? {
        let key = AuditChainKey.generate()
        let wrapped = try master.wrap(key.symmetricKey, context: keyName)
        return try await Journal.transaction(on: database) { sql in
            if database.isPostgres { try await sql.raw("SELECT pg_advisory_xact_lock(\(literal: Journal.advisoryLock))").run() }
            guard try await sql.raw("SELECT name FROM vault_keys WHERE name = \(bind: keyName)").first() == nil else { return nil }
            var legacy = AuditChainVerifier(key: nil)
            var firstBreak: AuditBreak?
            var previous = AuditChain.genesis
            var last: Int64 = 0
            while true {
                let rows = try await sql.raw("SELECT * FROM audit_entries WHERE seq > \(bind: last) ORDER BY seq LIMIT 5000").all()
                for row in rows {
                    let entry = try AuditTrail.entry(row)
                    if firstBreak == nil { firstBreak = legacy.check(entry) }
                    let hash = AuditChain.hash(entry.record, sequence: entry.sequence, previousHash: previous, key: key)
                    try await sql.raw(
                        "UPDATE audit_entries SET previous_hash = \(bind: previous), hash = \(bind: hash) WHERE seq = \(bind: entry.sequence)"
                    ).run()
                    previous = hash
                    last = entry.sequence
                }
                if rows.count < 5000 { break }
            }
            try await sql.insert(into: "vault_keys").columns("name", "master_key_id", "wrapped")
                .values([keyName, master.id, wrapped] as [any Encodable & Sendable]).run()
            if last > 0 {
                let record = AuditRecord(
                    actor: "pledge", action: "audit.key-chain", object: "audit", field: "\(last) entries",
                    before: legacy.lastHash, after: firstBreak?.description ?? "intact", at: instant)
                try await Journal.auditRows([record], after: JournalHeads(consent: 0, audit: last, hash: previous), key: key).0.run(on: sql)
            }
            return key
        }
    }
}
