import Foundation
import PledgeCore
import SQLKit

/// An email to send: verification links and notices to requesters, and marketing.
public struct OutgoingEmail: Codable, Sendable, Equatable {
    public var to: String
    public var subject: String
    public var text: String
    /// The same message as HTML, sent beside the text as multipart/alternative; nil: text only.
    public var html: String?
    /// Where the recipient unsubscribes, for a marketing message (RFC 2369, RFC 8058); nil for a service message.
    public var listUnsubscribe: ListUnsubscribe?

    public init(to: String, subject: String, text: String, html: String? = nil, listUnsubscribe: ListUnsubscribe? = nil) {
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.listUnsubscribe = listUnsubscribe
    }
}

/// A marketing message's unsubscribe addresses: the HTTPS URL a mailbox provider POSTs to with
/// `List-Unsubscribe=One-Click` (RFC 8058), and a mailto: address (RFC 2369).
public struct ListUnsubscribe: Codable, Sendable, Equatable {
    public var url: String
    public var mailto: String?

    public init(url: String, mailto: String? = nil) {
        self.url = url
        self.mailto = mailto
    }
}

/// Email waiting to be sent, kept durably so a crash or a relay outage loses nothing. Each message is
/// sealed with its case's key, and its content is dropped once sent (data minimisation): the row
/// stays as the record that it went.
public struct Outbox: Sendable {
    let register: CaseRegister
    /// How long a node holds the messages it took (issue 27 §3): if it dies before it records them
    /// sent or failed, another node takes them once this has passed. It must be longer than a
    /// batch can take with the relay, or a slow batch is sent twice.
    public let lease: TimeInterval

    public init(register: CaseRegister, lease: TimeInterval = Outbox.defaultLease) {
        self.register = register
        self.lease = lease
    }

    /// Five minutes: a batch of 20 at the SMTP client's default two-minute timeout per message
    /// could outlast it only when the relay hangs on most of them.
    public static let defaultLease: TimeInterval = 300

    /// A message queued for delivery.
    public struct Pending: Sendable {
        public var id: UUID
        public var email: OutgoingEmail
        public var attempts: Int
    }

    public func enqueue(_ email: OutgoingEmail, for request: UUID, at instant: Date) async throws {
        try await register.journal.commit(try await queueing(email, for: request, at: instant))
    }

    /// The unit that queues `email`, not yet committed: a caller whose record of having sent it must
    /// stand or fall with the message (a reminder, once per level) commits both in one unit.
    func queueing(_ email: OutgoingEmail, for request: UUID, at instant: Date) async throws -> JournalUnit {
        let key = try await register.caseKey(request, in: register.sql)
        return JournalUnit { sql in [try await Self.queue(email, owner: .request(request), key: key, at: instant, on: sql)] }
    }

    /// Whose key seals a message: its case's, or, for a notice that belongs to no case (a breach
    /// notice, Art 34), the person's own, so erasing them before it goes removes it.
    enum Owner: Sendable {
        case request(UUID)
        case subject(UUID)

        var object: String {
            switch self {
            case .request(let id): "request:\(id.storedText)"
            case .subject(let id): "subject:\(id.storedText)"
            }
        }

        func context(_ message: UUID) -> String { "\(object)/email/\(message.storedText)" }
    }

    /// Inserts `email` sealed with `key` inside the caller's unit; the audit record it needs.
    static func queue(_ email: OutgoingEmail, owner: Owner, key: SubjectKey, at instant: Date, on sql: any SQLDatabase) async throws -> AuditRecord {
        let id = UUID.timeOrdered(at: instant)
        let sealed = try key.seal(bytes: try JSONEncoder().encode(email), context: owner.context(id))
        var request: String?
        var subject: String?
        switch owner {
        case .request(let id): request = id.storedText
        case .subject(let id): subject = id.storedText
        }
        try await sql.insert(into: "outbox").columns("id", "request_id", "subject_id", "created_us", "next_attempt_us", "attempts", "sealed")
            .values([id.storedText, request, subject, instant.microseconds, instant.microseconds, Int64(0), sealed] as [any Encodable & Sendable])
            .run()
        return AuditRecord(actor: "pledge", action: "email.queue", object: owner.object, field: email.subject, at: instant)
    }

    /// The most messages one call of `due` takes.
    public static let batch = 20

    /// Takes the messages due for an attempt, oldest first, and holds them for `lease`: a node taking
    /// at the same moment skips them (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite has one writer),
    /// so every message goes to one node (issue 27 §3).
    public func due(at instant: Date, limit: Int = Outbox.batch) async throws -> [Pending] {
        let skipLocked = register.database.isPostgres ? "FOR UPDATE SKIP LOCKED" : ""
        let rows = try await register.sql.raw(
            """
            UPDATE outbox SET next_attempt_us = \(bind: instant.addingTimeInterval(lease).microseconds)
            WHERE id IN (
                SELECT id FROM outbox WHERE sent_us IS NULL AND next_attempt_us <= \(bind: instant.microseconds)
                ORDER BY created_us LIMIT \(literal: limit) \(unsafeRaw: skipLocked))
            RETURNING id, request_id, subject_id, attempts, sealed, created_us
            """
        ).all()
            .sorted { (try? $0.decode(column: "created_us", as: Int64.self)) ?? 0 < (try? $1.decode(column: "created_us", as: Int64.self)) ?? 0 }
        var pending: [Pending] = []
        for row in rows {
            let text = try row.decode(column: "id", as: String.self)
            let id = try UUID(canonical: text).stored(in: "outbox", row: text, column: "id")
            guard let sealed = try row.decode(column: "sealed", as: Data?.self) else { continue }
            let key: SubjectKey
            let owner: Owner
            if let request = try row.decode(column: "request_id", as: String?.self).flatMap(UUID.init(canonical:)) {
                owner = .request(request)
                key = try await register.caseKey(request, in: register.sql)
            } else if let subject = try row.decode(column: "subject_id", as: String?.self).flatMap(UUID.init(canonical:)) {
                owner = .subject(subject)
                do {
                    key = try await PersonalDataVault.dataKey(of: subject.storedText, keys: register.keys, in: register.sql)
                } catch VaultRefusal.subjectNotFound {
                    // Erased since it was queued: their key is gone, and the message with it.
                    try await markAbandoned(id, error: "the person was erased", at: instant)
                    continue
                }
            } else {
                continue
            }
            pending.append(
                Pending(
                    id: id, email: try JSONDecoder().decode(OutgoingEmail.self, from: try key.open(bytes: sealed, context: owner.context(id))),
                    attempts: Int(try row.decode(column: "attempts", as: Int64.self))))
        }
        return pending
    }

    public func markSent(_ id: UUID, at instant: Date) async throws {
        try await register.sql.raw(
            "UPDATE outbox SET sent_us = \(bind: instant.microseconds), sealed = NULL, last_error = NULL WHERE id = \(bind: id.storedText)"
        ).run()
    }

    /// Gives a message up after a permanent refusal or too many attempts: it is never tried again,
    /// and its sealed content is dropped as a sent one's is; the row stays, with `error`, as the
    /// record that it did not go.
    public func markAbandoned(_ id: UUID, error: String, at instant: Date) async throws {
        try await register.sql.raw(
            """
            UPDATE outbox SET attempts = attempts + 1, last_error = \(bind: "given up: " + String(error.prefix(480))), sealed = NULL,
            next_attempt_us = \(bind: Int64.max) WHERE id = \(bind: id.storedText)
            """
        ).run()
    }

    /// Records a failed attempt; the next is tried after `retryAfter`.
    public func markFailed(_ id: UUID, error: String, retryAfter: TimeInterval, at instant: Date) async throws {
        try await register.sql.raw(
            """
            UPDATE outbox SET attempts = attempts + 1, last_error = \(bind: String(error.prefix(500))),
            next_attempt_us = \(bind: instant.addingTimeInterval(retryAfter).microseconds) WHERE id = \(bind: id.storedText)
            """
        ).run()
    }
}
