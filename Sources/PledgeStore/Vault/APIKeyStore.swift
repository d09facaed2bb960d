import Crypto
import Foundation
import NIOConcurrencyHelpers
import PledgeCore
import SQLKit

/// An API key as stored: never the secret itself, only its SHA-256.
public struct APIKey: Sendable, Equatable {
    public var id: UUID
    public var name: String
    public var role: Role
    /// When set, the key may use only these purposes.
    public var purposes: [String]?
    public var createdAt: Date
    public var revokedAt: Date?

    /// The name the audit trail records for this key's actions.
    public var actor: String { "key:\(name)" }
}

/// Why a key cannot be created or changed.
public enum APIKeyError: Error, Equatable, CustomStringConvertible {
    case nameTaken(String)
    case notFound(String)
    case invalidName(String)

    public var code: String {
        switch self {
        case .nameTaken: "key.name-taken"
        case .notFound: "key.not-found"
        case .invalidName: "key.invalid-name"
        }
    }

    public var description: String {
        switch self {
        case .nameTaken(let name): "A key named '\(name)' already exists."
        case .notFound(let name): "No key named '\(name)'."
        case .invalidName(let name): "'\(name)' is not a key name: use 1-64 letters, digits, '-', '_' or '.'."
        }
    }
}

/// API keys with roles (issue 3 §7). Secrets are 256-bit random tokens, so a plain SHA-256 is a
/// safe verifier (no password stretching needed); a look-up is one hash and one indexed query,
/// cached for `cacheSeconds` so a revocation by another process takes effect within that time.
public final class APIKeyStore: Sendable {
    private let database: PledgeDatabase
    private let journal: Journal
    private let cache = NIOLockedValueBox([String: (key: APIKey?, until: Date)]())
    private let cacheSeconds: TimeInterval

    public init(database: PledgeDatabase, journal: Journal, cacheSeconds: TimeInterval = 5) {
        self.database = database
        self.journal = journal
        self.cacheSeconds = cacheSeconds
    }

    /// Creates a key and returns it with its secret token, which is shown once and never stored.
    public func create(name: String, role: Role, purposes: [String]?, actor: String, at instant: Date) async throws -> (APIKey, token: String) {
        guard (1...64).contains(name.count), name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw APIKeyError.invalidName(name)
        }
        let token = "pledge_" + Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }).base64URL
        let key = APIKey(id: UUID(), name: name, role: role, purposes: purposes, createdAt: instant)
        let digest = Self.digest(token)
        try await journal.commit(
            JournalUnit { sql in
                if try await sql.raw("SELECT id FROM api_keys WHERE name = \(bind: name)").first() != nil { throw APIKeyError.nameTaken(name) }
                try await sql.insert(into: "api_keys").columns("id", "name", "secret_sha256", "role", "purposes", "created_us")
                    .values(
                        [key.id.storedText, name, digest, role.description, purposes?.joined(separator: ","), instant.microseconds]
                            as [any Encodable & Sendable]
                    )
                    .run()
                return [AuditRecord(actor: actor, action: "key.create", object: "key:\(name)", after: role.description, at: instant)]
            })
        return (key, token)
    }

    /// Revokes a key; it stops working at once in this process.
    public func revoke(name: String, actor: String, at instant: Date) async throws {
        try await journal.commit(
            JournalUnit { sql in
                guard try await sql.raw("SELECT id FROM api_keys WHERE name = \(bind: name) AND revoked_us IS NULL").first() != nil else {
                    throw APIKeyError.notFound(name)
                }
                try await sql.raw("UPDATE api_keys SET revoked_us = \(bind: instant.microseconds) WHERE name = \(bind: name)").run()
                return [AuditRecord(actor: actor, action: "key.revoke", object: "key:\(name)", at: instant)]
            })
        cache.withLockedValue { $0.removeAll() }
    }

    /// Every key, newest first.
    public func all() async throws -> [APIKey] {
        try await database.sql.raw("SELECT * FROM api_keys ORDER BY created_us DESC").all().map(Self.key)
    }

    /// The live key for a presented token, or nil (unknown or revoked).
    public func authenticate(_ token: String, at instant: Date) async throws -> APIKey? {
        let digest = Self.digest(token)
        if let cached = cache.withLockedValue({ $0[digest] }), cached.until > instant { return cached.key }
        let key = try await database.sql.raw("SELECT * FROM api_keys WHERE secret_sha256 = \(bind: digest)").first().map(Self.key)
        let live = key?.revokedAt == nil ? key : nil
        cache.withLockedValue { cache in
            if cache.count > 10_000 { cache.removeAll() }
            cache[digest] = (live, instant.addingTimeInterval(cacheSeconds))
        }
        return live
    }

    static func digest(_ token: String) -> String { SHA256.hex(token) }

    static func key(_ row: any SQLRow) throws -> APIKey {
        let stored = try row.decode(column: "role", as: String.self)
        guard let role = Role(stored) else { throw StoreError.unavailable("An API key has the unreadable role '\(stored)'.") }
        let id = try row.decode(column: "id", as: String.self)
        return APIKey(
            id: try UUID(canonical: id).stored(in: "api_keys", row: id, column: "id"),
            name: try row.decode(column: "name", as: String.self),
            role: role,
            purposes: try row.decode(column: "purposes", as: String?.self)?.splitList,
            createdAt: Date(microseconds: try row.decode(column: "created_us", as: Int64.self)),
            revokedAt: try row.decode(column: "revoked_us", as: Int64?.self).map(Date.init(microseconds:)))
    }
}
