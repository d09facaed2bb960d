import Crypto
import Foundation
import PledgeCore
import SQLKit

/// The admin console's sessions (issue 24 finding 8). Signing in with an API key opens a session
/// whose random token goes in the cookie, so the cookie never carries the key; the session ends
/// when it expires, when its key is revoked, or at sign-out, and every check reads the database, so
/// an ended session stops working at once on every node.
public struct ConsoleSessions: Sendable {
    let database: PledgeDatabase
    let journal: Journal

    public init(database: PledgeDatabase, journal: Journal) {
        self.database = database
        self.journal = journal
    }

    /// Opens a session for `key` lasting `lifetime`; returns its token, which is stored only as a digest.
    public func open(for key: APIKey, lifetime: TimeInterval, at instant: Date) async throws -> String {
        let token = Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }).base64URL
        let digest = SHA256.hex(token)
        try await journal.commit(
            JournalUnit { sql in
                // Sessions that have ended are forgotten as new ones open.
                try await sql.raw("DELETE FROM console_sessions WHERE expires_us <= \(bind: instant.microseconds)").run()
                try await sql.insert(into: "console_sessions").columns("digest", "key_id", "created_us", "expires_us")
                    .values(
                        [digest, key.id.storedText, instant.microseconds, instant.addingTimeInterval(lifetime).microseconds]
                            as [any Encodable & Sendable]
                    ).run()
                return [AuditRecord(actor: key.actor, action: "console.sign-in", object: "key:\(key.name)", at: instant)]
            })
        return token
    }

    /// The live key of the session `token`, or nil when there is no such session, it has expired,
    /// or its key has been revoked.
    public func key(for token: String, at instant: Date) async throws -> APIKey? {
        try await database.sql.raw(
            """
            SELECT api_keys.* FROM console_sessions JOIN api_keys ON api_keys.id = console_sessions.key_id
            WHERE console_sessions.digest = \(bind: SHA256.hex(token)) AND console_sessions.expires_us > \(bind: instant.microseconds)
            AND api_keys.revoked_us IS NULL
            """
        ).first().map(APIKeyStore.key)
    }

    /// Ends the session `token`; nothing when there is none.
    public func close(_ token: String, at instant: Date) async throws {
        let digest = SHA256.hex(token)
        try await journal.commit(
            JournalUnit { sql in
                guard let row = try await sql.raw("SELECT key_id FROM console_sessions WHERE digest = \(bind: digest)").first() else { return [] }
                try await sql.raw("DELETE FROM console_sessions WHERE digest = \(bind: digest)").run()
                return [
                    AuditRecord(
                        actor: "console", action: "console.sign-out", object: "key-id:\(try row.decode(column: "key_id", as: String.self))",
                        at: instant)
                ]
            })
    }

    /// The token a console form carries when signed in by this session's cookie: derived from the
    /// session's secret token, so a page on another site, which cannot read it, cannot forge a form.
    public static func formToken(for token: String) -> String { SHA256.hex("pledge-admin-form\u{0}" + token) }
}
