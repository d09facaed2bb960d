import Crypto
import Foundation
import PledgeCore
import SQLKit

/// The register of data-subject requests and complaints (C28): each case's current state, its
/// append-only history, the requester's details sealed with a key of the case's own, one-time
/// tokens kept as digests, and sealed exports. Every change goes through the journal, so it is
/// durable and audited before the caller hears back, and a refused action stores nothing.
public final class CaseRegister: Sendable {
    let database: PledgeDatabase
    let journal: Journal
    let keys: VaultKeys

    public init(database: PledgeDatabase, journal: Journal, keys: VaultKeys) {
        self.database = database
        self.journal = journal
        self.keys = keys
    }

    var sql: any SQLDatabase { database.sql }

    /// Registers a new case; the subject is linked when the requester's email is one on file.
    @discardableResult
    public func open(_ newCase: RequestCase, requester: Requester, actor: String, clock: StatutoryClock) async throws -> RequestCase {
        var opened = newCase
        let contact = try requester.email.map { try SubjectIdentifier(kind: .email, raw: $0) }
        let digest = contact.map { keys.blindIndex.digest($0) }
        if opened.subject == nil, let digest {
            opened.subject = try await PersonalDataVault.subject(withDigest: digest, in: sql)
        }
        let id = opened.id.storedText
        let caseKey = SubjectKey.generate()
        let wrapped = try keys.master.wrap(caseKey.symmetricKey, context: "request:\(id)")
        let sealed = try caseKey.seal(bytes: try JSONEncoder().encode(requester), context: "request:\(id)/requester")
        let snapshot = try Self.encode(opened)
        let at = opened.timing.receivedAt
        let due = opened.dueOn(clock: clock, at: at).description
        let record = opened
        try await journal.commit(
            JournalUnit { sql in
                try await sql.insert(into: "request_keys").columns("request_id", "master_key_id", "wrapped")
                    .values([id, self.keys.master.id, wrapped] as [any Encodable & Sendable]).run()
                try await sql.insert(into: "requests")
                    .columns("id", "kind", "state", "channel", "subject_id", "contact_digest", "received_us", "due_on", "snapshot", "sealed")
                    .values(
                        [
                            id, record.kind.rawValue, record.state.rawValue, record.channel.rawValue, record.subject?.storedText, digest,
                            at.microseconds, due, snapshot, sealed,
                        ] as [any Encodable & Sendable]
                    ).run()
                try await Self.appendEvent(
                    id: id, action: "open", state: record.state, detail: "\(record.kind.rawValue) by \(record.channel.rawValue)", actor: actor,
                    at: at, in: sql)
                return [
                    AuditRecord(
                        actor: actor, action: "request.open", object: "request:\(id)", field: record.kind.rawValue, after: record.state.rawValue,
                        at: at)
                ]
            })
        return opened
    }

    /// Applies `action` to a case and records it; refusals (`CaseRefusal`) leave the case as it was.
    @discardableResult
    public func record(
        _ action: CaseAction, on id: UUID, actor: String, at instant: Date, clock: StatutoryClock, detail: String? = nil
    ) async throws -> RequestCase {
        let (unit, result) = recording({ action }, on: id, actor: actor, at: instant, clock: clock, detail: detail)
        try await journal.commit(unit)
        return try result.get()
    }

    /// The unit that records an action on a case, not yet committed, and the case it leaves. The
    /// action is worked out inside the transaction, after the units before it in the same commit
    /// (a completion that tells what an erasure removed).
    func recording(
        _ makeAction: @escaping @Sendable () throws -> CaseAction, on id: UUID, actor: String, at instant: Date,
        clock: StatutoryClock, detail: String? = nil
    ) -> (JournalUnit, JournalResult<RequestCase>) {
        let result = JournalResult<RequestCase>()
        let unit = JournalUnit { sql in
            let action = try makeAction()
            let current = try await Self.load(id, in: sql)
            var next = try current.applying(action, at: instant, clock: clock)
            var audit = [
                AuditRecord(
                    actor: actor, action: "request.\(action.name)", object: "request:\(id.storedText)",
                    before: current.state.rawValue, after: next.state.rawValue, at: instant)
            ]
            try await Self.appendEvent(
                id: id.storedText, action: action.name, state: next.state, detail: detail ?? action.detail, actor: actor, at: instant, in: sql)
            // C29: an identity document is kept only until the check is over - verified, refused, withdrawn or closed.
            if case .documentsDeleted = action {
                _ = try await Self.deleteDocuments(of: id, in: sql)
            } else if current.awaitsDocuments, !next.awaitsDocuments, try await Self.deleteDocuments(of: id, in: sql) {
                next = try next.applying(.documentsDeleted, at: instant, clock: clock)
                try await Self.appendEvent(
                    id: id.storedText, action: CaseAction.documentsDeleted.name, state: next.state, detail: "deleted after the check",
                    actor: "pledge", at: instant, in: sql)
                audit.append(
                    AuditRecord(
                        actor: "pledge", action: "request.\(CaseAction.documentsDeleted.name)", object: "request:\(id.storedText)", at: instant))
            }
            try await Self.save(next, clock: clock, at: instant, in: sql)
            result.value = next
            return audit
        }
        return (unit, result)
    }

    /// Links the case to the subject it is about (found by staff, or after an erasure of an unlinked one).
    public func link(_ id: UUID, to subject: UUID, actor: String, at instant: Date, clock: StatutoryClock) async throws {
        try await journal.commit(
            JournalUnit { sql in
                var current = try await Self.load(id, in: sql)
                current.subject = subject
                try await Self.save(current, clock: clock, at: instant, in: sql)
                try await Self.appendEvent(
                    id: id.storedText, action: "link_subject", state: current.state, detail: nil, actor: actor, at: instant, in: sql)
                return [
                    AuditRecord(
                        actor: actor, action: "request.link", object: "request:\(id.storedText)", after: "subject:\(subject.storedText)", at: instant)
                ]
            })
    }

    /// A case, or nil.
    public func find(_ id: UUID) async throws -> RequestCase? {
        guard let row = try await sql.raw("SELECT snapshot FROM requests WHERE id = \(bind: id.storedText)").first() else { return nil }
        return try Self.decode(try row.decode(column: "snapshot", as: String.self))
    }

    /// The requester's details, opened; the read is audited.
    public func requester(of id: UUID, actor: String, at instant: Date) async throws -> Requester {
        let subject = id.storedText
        guard let row = try await sql.raw("SELECT sealed FROM requests WHERE id = \(bind: subject)").first() else { throw CaseStoreRefusal.notFound }
        let key = try await caseKey(id, in: sql)
        let requester = try JSONDecoder().decode(
            Requester.self, from: try key.open(bytes: try row.decode(column: "sealed", as: Data.self), context: "request:\(subject)/requester"))
        try await journal.commit(
            JournalUnit(audit: [AuditRecord(actor: actor, action: "request.read-requester", object: "request:\(subject)", at: instant)]))
        return requester
    }

    /// The case's history, oldest first.
    public func history(of id: UUID) async throws -> [CaseEvent] {
        try await sql.raw(
            "SELECT seq, at_us, actor, action, state, detail FROM request_events WHERE request_id = \(bind: id.storedText) ORDER BY seq"
        ).all().map { row in
            CaseEvent(
                sequence: try row.decode(column: "seq", as: Int64.self), at: Date(microseconds: try row.decode(column: "at_us", as: Int64.self)),
                actor: try row.decode(column: "actor", as: String.self), action: try row.decode(column: "action", as: String.self),
                state: try row.decode(column: "state", as: String.self), detail: try row.decode(column: "detail", as: String?.self))
        }
    }

    /// A page of open cases, soonest due first (or of every case, most recent first, with
    /// `includeClosed`): at most `limit` from `offset` on, ties broken by id so pages never overlap.
    public func queue(includeClosed: Bool = false, limit: Int = 100, offset: Int = 0) async throws -> [RequestCase] {
        let query: SQLQueryString =
            includeClosed
            ? "SELECT snapshot FROM requests ORDER BY received_us DESC, id LIMIT \(literal: limit) OFFSET \(literal: offset)"
            : "SELECT snapshot FROM requests WHERE closed_us IS NULL ORDER BY due_on, received_us, id LIMIT \(literal: limit) OFFSET \(literal: offset)"
        return try await sql.raw(query).all().map { try Self.decode(try $0.decode(column: "snapshot", as: String.self)) }
    }

    /// How many cases the queue holds: open ones, or all with `includeClosed`.
    public func queueCount(includeClosed: Bool = false) async throws -> Int {
        let query: SQLQueryString =
            includeClosed ? "SELECT COUNT(*) AS n FROM requests" : "SELECT COUNT(*) AS n FROM requests WHERE closed_us IS NULL"
        return try await sql.count(query, table: "requests")
    }

    /// Cases about one subject, newest first.
    public func cases(about subject: UUID) async throws -> [RequestCase] {
        try await sql.raw("SELECT snapshot FROM requests WHERE subject_id = \(bind: subject.storedText) ORDER BY received_us DESC").all()
            .map { try Self.decode(try $0.decode(column: "snapshot", as: String.self)) }
    }

    /// The blind-index digest of the requester's email, if they gave one.
    public func contactDigest(of id: UUID) async throws -> Data? {
        guard let row = try await sql.raw("SELECT contact_digest FROM requests WHERE id = \(bind: id.storedText)").first() else {
            throw CaseStoreRefusal.notFound
        }
        return try row.decode(column: "contact_digest", as: Data?.self)
    }

    // MARK: Tokens

    /// A new one-time token for the case; only its digest is stored.
    public func issueToken(for id: UUID, purpose: CaseTokenPurpose, lifetime: TimeInterval, at instant: Date) async throws -> String {
        let token = Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }).base64URL
        let digest = Self.digest(token)
        try await journal.commit(
            JournalUnit { sql in
                try await sql.insert(into: "request_tokens").columns("digest", "request_id", "purpose", "expires_us")
                    .values(
                        [digest, id.storedText, purpose.rawValue, instant.addingTimeInterval(lifetime).microseconds] as [any Encodable & Sendable]
                    ).run()
                return [
                    AuditRecord(
                        actor: "pledge", action: "request.token-issue", object: "request:\(id.storedText)", field: purpose.rawValue, at: instant)
                ]
            })
        return token
    }

    /// The case a valid, unexpired token is for; with `consume` a verify token works once.
    public func caseFor(token: String, purpose: CaseTokenPurpose, at instant: Date, consume: Bool = false) async throws -> UUID {
        let digest = Self.digest(token)
        let result = JournalResult<UUID>()
        let check: @Sendable (any SQLDatabase) async throws -> UUID = { sql in
            guard
                let row = try await sql.raw(
                    """
                    SELECT request_id, expires_us, used_us FROM request_tokens WHERE digest = \(bind: digest) AND purpose = \(bind: purpose.rawValue)
                    """
                ).first(),
                try row.decode(column: "used_us", as: Int64?.self) == nil,
                try row.decode(column: "expires_us", as: Int64.self) > instant.microseconds,
                let id = UUID(canonical: try row.decode(column: "request_id", as: String.self))
            else { throw CaseStoreRefusal.tokenInvalid }
            return id
        }
        guard consume else { return try await check(sql) }
        try await journal.commit(
            JournalUnit { sql in
                let id = try await check(sql)
                try await sql.raw("UPDATE request_tokens SET used_us = \(bind: instant.microseconds) WHERE digest = \(bind: digest)").run()
                result.value = id
                return [
                    AuditRecord(
                        actor: "requester", action: "request.token-use", object: "request:\(id.storedText)", field: purpose.rawValue, at: instant)
                ]
            })
        return try result.get()
    }

    // MARK: Exports

    /// Keeps the export ZIP, sealed with the case key, until `expires`.
    public func storeExport(_ zip: Data, for id: UUID, expires: Date, actor: String, at instant: Date) async throws {
        try await journal.commit(try await storingExport(zip, for: id, expires: expires, actor: actor, at: instant))
    }

    /// The unit that keeps the export, sealed now, not yet committed.
    func storingExport(_ zip: Data, for id: UUID, expires: Date, actor: String, at instant: Date) async throws -> JournalUnit {
        let key = try await caseKey(id, in: sql)
        let sealed = try key.seal(bytes: zip, context: "request:\(id.storedText)/export")
        return JournalUnit { sql in
            try await sql.raw("DELETE FROM request_exports WHERE request_id = \(bind: id.storedText)").run()
            try await sql.insert(into: "request_exports").columns("request_id", "created_us", "expires_us", "bytes", "sealed")
                .values([id.storedText, instant.microseconds, expires.microseconds, Int64(zip.count), sealed] as [any Encodable & Sendable]).run()
            return [
                AuditRecord(
                    actor: actor, action: "request.export-store", object: "request:\(id.storedText)", field: "\(zip.count) bytes", at: instant)
            ]
        }
    }

    /// The export, opened, while it has not expired; the download is audited.
    public func export(for id: UUID, actor: String, at instant: Date) async throws -> Data? {
        guard let row = try await sql.raw("SELECT expires_us, sealed FROM request_exports WHERE request_id = \(bind: id.storedText)").first(),
            try row.decode(column: "expires_us", as: Int64.self) > instant.microseconds
        else { return nil }
        let zip = try await caseKey(id, in: sql).open(
            bytes: try row.decode(column: "sealed", as: Data.self), context: "request:\(id.storedText)/export")
        try await journal.commit(
            JournalUnit(audit: [AuditRecord(actor: actor, action: "request.export-download", object: "request:\(id.storedText)", at: instant)]))
        return zip
    }

    /// When the case's export expires, if there is one.
    public func exportExpiry(for id: UUID) async throws -> Date? {
        try await exportExpiries(of: [id])[id]
    }

    /// When each of these cases' exports expires, in one query (the queue shows many cases).
    public func exportExpiries(of ids: [UUID]) async throws -> [UUID: Date] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await sql.select().columns("request_id", "expires_us").from("request_exports")
            .where("request_id", .in, ids.map(\.storedText)).all()
        var expiries: [UUID: Date] = [:]
        for row in rows {
            guard let id = UUID(canonical: try row.decode(column: "request_id", as: String.self)) else { continue }
            expiries[id] = Date(microseconds: try row.decode(column: "expires_us", as: Int64.self))
        }
        return expiries
    }

    // MARK: Storage

    func caseKey(_ id: UUID, in sql: any SQLDatabase) async throws -> SubjectKey {
        guard let row = try await sql.raw("SELECT master_key_id, wrapped FROM request_keys WHERE request_id = \(bind: id.storedText)").first() else {
            throw CaseStoreRefusal.notFound
        }
        return SubjectKey(
            try keys.unwrap(
                try row.decode(column: "wrapped", as: Data.self), keyID: try row.decode(column: "master_key_id", as: String.self),
                context: "request:\(id.storedText)"))
    }

    static func load(_ id: UUID, in sql: any SQLDatabase) async throws -> RequestCase {
        guard let row = try await sql.raw("SELECT snapshot FROM requests WHERE id = \(bind: id.storedText)").first() else {
            throw CaseStoreRefusal.notFound
        }
        return try decode(try row.decode(column: "snapshot", as: String.self))
    }

    static func save(_ record: RequestCase, clock: StatutoryClock, at instant: Date, in sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            UPDATE requests SET state = \(bind: record.state.rawValue), subject_id = \(bind: record.subject?.storedText),
            due_on = \(bind: record.dueOn(clock: clock, at: instant).description), closed_us = \(bind: record.closedAt?.microseconds),
            snapshot = \(bind: try encode(record)) WHERE id = \(bind: record.id.storedText)
            """
        ).run()
    }

    static func appendEvent(
        id: String, action: String, state: CaseState, detail: String?, actor: String, at instant: Date, in sql: any SQLDatabase
    ) async throws {
        try await sql.insert(into: "request_events").columns("request_id", "at_us", "actor", "action", "state", "detail")
            .values([id, instant.microseconds, actor, action, state.rawValue, detail] as [any Encodable & Sendable]).run()
    }

    static func encode(_ record: RequestCase) throws -> String {
        String(decoding: try JSONEncoder().encode(record), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> RequestCase {
        try JSONDecoder().decode(RequestCase.self, from: Data(text.utf8))
    }

    static func digest(_ token: String) -> String {
        SHA256.hex(token)
    }
}

extension CaseAction {
    /// What the history keeps of the action: its reasons, question or outcome.
    var detail: String? {
        switch self {
        case .verify(let route, let note): [route.rawValue, note].compactMap { $0 }.joined(separator: ": ")
        case .askForDocuments(let reason): reason
        case .askForClarification(let question): question
        case .extend(let months, let reasons): "\(months) month(s): \(reasons)"
        case .markExcessive(let reasons): reasons
        case .chargeFee(let pence): "£\(pence / 100).\(String(format: "%02d", pence % 100))"
        case .acknowledge(let note): note
        case .complete(let outcome, let withheld):
            ([outcome] + withheld.map { "withheld (\($0.ground.label)): \($0.detail)" }).joined(separator: "\n")
        case .refuse(let ground, let reason): "\(ground.rawValue): \(reason)"
        case .documentsDeleted, .clarified, .feePaid, .withdraw: nil
        }
    }
}
