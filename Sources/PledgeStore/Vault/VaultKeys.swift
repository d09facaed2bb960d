import Crypto
import Foundation
import PledgeCore
import SQLKit

/// The keys the vault works with: the master key from outside (file or environment), any
/// earlier master keys still needed during a rotation, and two keys kept in the database wrapped by
/// the master key, so that a rotation changes neither: the blind-index key and the audit chain's key.
public struct VaultKeys: Sendable {
    public let master: MasterKey
    /// Earlier master keys: used only to open keys not yet re-wrapped.
    public let previous: [MasterKey]
    public let blindIndex: BlindIndex
    /// The key that links the audit trail (issue 24 finding 7).
    public let auditChain: AuditChainKey

    /// The keys an unsubscribe link is checked against, the signing key first: a link sent before a
    /// master-key rotation still works. Derived once: a campaign signs two links per message, and
    /// deriving them per link was 3% of a send's time.
    public let unsubscribe: [SymmetricKey]

    /// The keys a tracking link is checked against, the signing key first.
    public let tracking: [SymmetricKey]

    /// The key that signs new unsubscribe links (`UnsubscribeToken`).
    public var unsubscribeSigning: SymmetricKey { unsubscribe[0] }

    /// The key that signs new tracking links (a pixel, a click redirect: C19). Another key than the
    /// unsubscribe link's, so neither token works as the other.
    public var trackingSigning: SymmetricKey { tracking[0] }

    init(master: MasterKey, previous: [MasterKey], blindIndex: BlindIndex, auditChain: AuditChainKey) {
        self.master = master
        self.previous = previous
        self.blindIndex = blindIndex
        self.auditChain = auditChain
        let masters = [master] + previous
        unsubscribe = masters.map { $0.derivedKey(purpose: Self.unsubscribePurpose) }
        tracking = masters.map { $0.derivedKey(purpose: Self.trackingPurpose) }
    }

    private static let unsubscribePurpose = "pledge unsubscribe"
    private static let trackingPurpose = "pledge tracking"

    /// Opens (or, on a new database, creates) the blind-index key and the audit chain's key; a
    /// trail written before the chain was keyed is keyed now (`AuditChainRekey`).
    public static func load(
        _ database: PledgeDatabase, master: MasterKey, previous: [MasterKey] = [], at instant: Date = Date()
    ) async throws -> VaultKeys {
        let masters = [master] + previous
        var index = try await stored(indexKeyName, in: database, masters: masters)
        if index == nil {
            // Nodes starting together on an empty database (issue 27 §1): the first key stored is everyone's.
            let made = SymmetricKey(size: .bits256)
            try await database.sql.raw(
                """
                INSERT INTO vault_keys (name, master_key_id, wrapped)
                VALUES (\(bind: Self.indexKeyName), \(bind: master.id), \(bind: try master.wrap(made, context: Self.indexKeyName)))
                ON CONFLICT (name) DO NOTHING
                """
            ).run()
            index = try await stored(indexKeyName, in: database, masters: masters)
        }
        guard let index else { throw VaultAccessError.missingKey(Self.indexKeyName) }
        let chain: AuditChainKey
        if let found = try await stored(AuditChainRekey.keyName, in: database, masters: masters) {
            chain = AuditChainKey(found)
        } else if let made = try await AuditChainRekey.create(on: database, master: master, at: instant) {
            chain = made
        } else if let found = try await stored(AuditChainRekey.keyName, in: database, masters: masters) {
            chain = AuditChainKey(found)  // another process made it first
        } else {
            throw VaultAccessError.missingKey(AuditChainRekey.keyName)
        }
        return VaultKeys(master: master, previous: previous, blindIndex: BlindIndex(key: index), auditChain: chain)
    }

    static let indexKeyName = "blind-index"

    /// The key stored as `name`, unwrapped, or nil when there is none.
    private static func stored(_ name: String, in database: PledgeDatabase, masters: [MasterKey]) async throws -> SymmetricKey? {
        guard let row = try await database.sql.raw("SELECT master_key_id, wrapped FROM vault_keys WHERE name = \(bind: name)").first() else {
            return nil
        }
        return try unwrap(
            try row.decode(column: "wrapped", as: Data.self), keyID: try row.decode(column: "master_key_id", as: String.self),
            context: name, masters: masters)
    }

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
    case missingKey(String)

    public var description: String {
        switch self {
        case .unknownMasterKey(let id):
            "This database's keys are wrapped by master key \(id), which was not given. Start with that key (PLEDGE_MASTER_KEY or --master-key-file), or add it as a previous key during rotation."
        case .missingKey(let name):
            "The database has no '\(name)' key and none could be made."
        }
    }
}
