import Crypto
import Foundation
import PledgeCore
import SQLKit

/// The keys the vault works with: the master key from outside (file or environment), any
/// earlier master keys still needed during a rotation, and the blind-index key, which is kept
/// in the database wrapped by the master key so that a rotation does not change any digest.
public struct VaultKeys: Sendable {
    public let master: MasterKey
    /// Earlier master keys: used only to open keys not yet re-wrapped.
    public let previous: [MasterKey]
    public let blindIndex: BlindIndex

    /// Opens (or, on a new database, creates) the blind-index key.
    public static func load(_ database: PledgeDatabase, master: MasterKey, previous: [MasterKey] = []) async throws -> VaultKeys {
        let sql = database.sql
        if let row = try await sql.raw("SELECT master_key_id, wrapped FROM vault_keys WHERE name = \(bind: Self.indexKeyName)").first() {
            let key = try unwrap(try row.decode(column: "wrapped", as: Data.self), keyID: try row.decode(column: "master_key_id", as: String.self),
                                 context: Self.indexKeyName, masters: [master] + previous)
            return VaultKeys(master: master, previous: previous, blindIndex: BlindIndex(key: key))
        }
        let key = SymmetricKey(size: .bits256)
        try await sql.insert(into: "vault_keys").columns("name", "master_key_id", "wrapped")
            .values([Self.indexKeyName, master.id, try master.wrap(key, context: Self.indexKeyName)] as [any Encodable & Sendable]).run()
        return VaultKeys(master: master, previous: previous, blindIndex: BlindIndex(key: key))
    }

    static let indexKeyName = "blind-index"

    /// Unwraps a key wrapped under the current or an earlier master key.
    public func unwrap(_ wrapped: Data, keyID: String, context: String) throws -> SymmetricKey {
        try Self.unwrap(wrapped, keyID: keyID, context: context, masters: [master] + previous)
    }

    private static func unwrap(_ wrapped: Data, keyID: String, context: String, masters: [MasterKey]) throws -> SymmetricKey {
        guard let key = masters.first(where: { $0.id == keyID }) else { throw VaultAccessError.unknownMasterKey(keyID) }
        return try key.unwrap(wrapped, context: context)
    }
}

/// The vault cannot open its keys.
public enum VaultAccessError: Error, Equatable, CustomStringConvertible {
    case unknownMasterKey(String)

    public var description: String {
        switch self {
        case .unknownMasterKey(let id):
            "This database's keys are wrapped by master key \(id), which was not given. Start with that key (PLEDGE_MASTER_KEY or --master-key-file), or add it as a previous key during rotation."
        }
    }
}
