import Foundation
import PledgeCore
import SQLKit

/// Re-wraps every data key (and the blind-index key) under a new master key, without touching
/// a single sealed value: rotation costs one small row per subject, not a re-encryption.
public enum MasterKeyRotation {
    /// Re-wraps what `keys` can open under `newKey` in one transaction; returns how many keys moved.
    public static func rotate(_ keys: VaultKeys, to newKey: MasterKey, journal: Journal, actor: String, at instant: Date) async throws -> Int {
        let moved = JournalResult<Int>()
        try await journal.commit(
            JournalUnit { sql in
                var count = 0
                for (table, column) in [("subject_keys", "subject_id"), ("vault_keys", "name")] {
                    let rows = try await sql.raw(
                        "SELECT \(ident: column) AS owner, master_key_id, wrapped FROM \(ident: table) WHERE master_key_id <> \(bind: newKey.id)"
                    ).all()
                    for row in rows {
                        let owner = try row.decode(column: "owner", as: String.self)
                        let key = try keys.unwrap(
                            try row.decode(column: "wrapped", as: Data.self),
                            keyID: try row.decode(column: "master_key_id", as: String.self), context: owner)
                        try await sql.raw(
                            """
                            UPDATE \(ident: table) SET master_key_id = \(bind: newKey.id), wrapped = \(bind: try newKey.wrap(key, context: owner))
                            WHERE \(ident: column) = \(bind: owner)
                            """
                        ).run()
                        count += 1
                    }
                }
                moved.value = count
                return [
                    AuditRecord(
                        actor: actor, action: "vault.rotate-master-key", object: "vault", before: keys.master.id, after: newKey.id, at: instant)
                ]
            })
        return moved.value ?? 0
    }
}
