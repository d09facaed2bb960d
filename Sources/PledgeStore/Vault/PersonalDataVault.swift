import Crypto
import Foundation
import PledgeCore
import SQLKit

/// The personal data vault (issue 3): subjects found through a blind index, values sealed with
/// per-subject keys, the consent ledger, objections and flags, interaction records, erasure by
/// crypto-shredding, and an audit entry for every read and change. Every write goes through the
/// journal, so it is durable and chained into the audit trail before the caller hears back.
public final class PersonalDataVault: Sendable {
    let database: PledgeDatabase
    let journal: Journal
    public let keys: VaultKeys
    let cache: SubjectStateCache
    /// Where full erasures are recorded outside the database (issue 27 §5); nil records none.
    let erasures: ErasureLedger?

    public init(database: PledgeDatabase, journal: Journal, keys: VaultKeys, cacheCapacity: Int = 200_000, erasures: ErasureLedger? = nil) {
        self.database = database
        self.journal = journal
        self.keys = keys
        self.cache = SubjectStateCache(capacity: cacheCapacity)
        self.erasures = erasures
        self.versions = GateVersionCheck(sql: database.sql)
    }

    /// Coalesces the cache's version checks on PostgreSQL (`state(of:)`).
    let versions: GateVersionCheck

    /// Rung when a campaign starts or resumes on this node, so its sender takes the messages at once
    /// rather than at its next poll (issue 28 §2).
    public let campaignsQueued = WorkSignal()

    var sql: any SQLDatabase { database.sql }

    // MARK: Subjects

    /// Creates a subject. Refuses an identifier another subject already has.
    public func createSubject(_ new: NewSubject, actor: String, at instant: Date) async throws -> UUID {
        let id = UUID.timeOrdered(at: instant)
        let subject = id.storedText
        let digests = new.identifiers.map { ($0.kind.rawValue, keys.blindIndex.digest($0)) }
        let dataKey = SubjectKey.generate()
        let wrapped = try keys.master.wrap(dataKey.symmetricKey, context: subject)
        let masterID = keys.master.id
        let suppressedAt = JournalResult<Date>()
        let audit = AuditRecord(
            actor: actor, action: "subject.create", object: "subject:\(subject)",
            after: new.categories.sorted().joined(separator: ","), at: instant)
        try await journal.commit(
            JournalUnit(audit: [audit]) { sql in
                for (kind, digest) in digests {
                    if try await Self.subject(withDigest: digest, in: sql) != nil {
                        throw VaultRefusal.identifierTaken(kind)
                    }
                }
                // An erased subject's marketing objection outlives them as a suppression stub (Art 21(3));
                // a bounce or an unsubscribe stops mail to the address, checked at each send, not the person.
                var suppressed = false
                for (_, digest) in digests {
                    let kind = try await sql.raw("SELECT kind FROM suppressions WHERE digest = \(bind: digest)").first()?
                        .decode(column: "kind", as: String.self)
                    if let kind, SuppressionReason(rawValue: kind)?.isObjection ?? true { suppressed = true }
                }
                try await sql.insert(into: "subjects")
                    .columns(
                        "id", "categories", "stage", "stage_changed_us", "is_child", "restricted", "legal_hold", "marketing_objection_us",
                        "created_us"
                    )
                    .values(
                        [
                            subject, new.categories.joined(separator: ","), new.stage, new.stage.map { _ in instant.microseconds },
                            false, false, false, suppressed ? instant.microseconds : nil, instant.microseconds,
                        ] as [any Encodable & Sendable]
                    )
                    .run()
                if suppressed { suppressedAt.value = instant }
                try await sql.insert(into: "subject_keys").columns("subject_id", "master_key_id", "wrapped")
                    .values([subject, masterID, wrapped] as [any Encodable & Sendable]).run()
                for (kind, digest) in digests {
                    try await sql.insert(into: "subject_identifiers").columns("digest", "subject_id", "kind")
                        .values([digest, subject, kind] as [any Encodable & Sendable]).run()
                }
                return suppressed ? [AuditRecord(actor: actor, action: "subject.suppression-applied", object: "subject:\(subject)", at: instant)] : []
            })
        cache.store(SubjectState(categories: Set(new.categories), marketingObjection: suppressedAt.value), for: id)
        return id
    }

    /// The subject with this identifier, if any. The look-up itself is audited.
    public func findSubject(_ identifier: SubjectIdentifier, actor: String, at instant: Date) async throws -> UUID? {
        let digest = keys.blindIndex.digest(identifier)
        let found = try await Self.subject(withDigest: digest, in: sql)
        try await journal.commit(
            JournalUnit(audit: [
                AuditRecord(
                    actor: actor, action: "subject.lookup", object: found.map { "subject:\($0.storedText)" } ?? "subject:none",
                    field: identifier.kind.rawValue, at: instant)
            ]))
        return found
    }

    /// Categories, stage and flags of a subject; nil when there is none (or it was erased).
    public func summary(of id: UUID) async throws -> SubjectSummary? {
        guard
            let row = try await sql.raw(
                """
                SELECT categories, stage, stage_changed_us, is_child, restricted, legal_hold, marketing_objection_us, created_us,
                obtained, obtained_source, refusal_offered, subscriber FROM subjects WHERE id = \(bind: id.storedText)
                """
            ).first()
        else { return nil }
        return SubjectSummary(
            id: id, categories: try row.decode(column: "categories", as: String.self).splitList,
            stage: try row.decode(column: "stage", as: String?.self),
            stageChangedAt: try row.decode(column: "stage_changed_us", as: Int64?.self).map(Date.init(microseconds:)),
            isChild: try row.decode(column: "is_child", as: Bool.self), restricted: try row.decode(column: "restricted", as: Bool.self),
            legalHold: try row.decode(column: "legal_hold", as: Bool.self),
            marketingObjectionAt: try row.decode(column: "marketing_objection_us", as: Int64?.self).map(Date.init(microseconds:)),
            provenance: try ContactProvenance(row: BulkRow(sql: row), subject: id.storedText),
            createdAt: Date(microseconds: try row.decode(column: "created_us", as: Int64.self)))
    }

    /// The gate's view of a subject, from memory when it can be; nil when there is no such subject.
    /// Never older than the last write committed before it was called: of this process, because a
    /// read that a write overlapped is read again (`SubjectStateCache.finishRead`); on PostgreSQL of
    /// every node too, because the cached entry's version is compared with the database's first
    /// (issue 27 §2). The version is read before the state, so a write between them leaves a state
    /// newer than its version, which the next decision reads again, never an old state passed as new.
    public func state(of id: UUID) async throws -> SubjectState? {
        let shared = database.isPostgres
        if let cached = cache[id] {
            guard shared else { return cached.state }
            if let known = cached.version, try await gateVersion(of: id) == known { return cached.state }
        }
        while true {
            let token = cache.beginRead()
            let read: (SubjectState, GateVersion?)?
            do {
                read = try await versionedState(of: id, shared: shared)
            } catch {
                cache.abandonRead()
                throw error
            }
            guard let (state, version) = read else {
                cache.abandonRead()
                return nil
            }
            if cache.finishRead(state, at: version, for: id, since: token) { return state }
        }
    }

    /// Whether the subject is on file now, without reading its state: what a write needs. On SQLite
    /// the cache answers for the subjects it holds; on PostgreSQL the version check does (another node
    /// may have erased them), so a subject written through several nodes is not read again per write.
    public func exists(_ id: UUID) async throws -> Bool {
        if database.isPostgres { return try await gateVersion(of: id) != nil }
        if cache[id] != nil { return true }
        return try await state(of: id) != nil
    }

    /// The version (on PostgreSQL), then the state; nil when the subject is not there.
    private func versionedState(of id: UUID, shared: Bool) async throws -> (SubjectState, GateVersion?)? {
        var version: GateVersion?
        if shared {
            guard let current = try await gateVersion(of: id) else { return nil }
            version = current
        }
        guard let state = try await readState(of: id) else { return nil }
        return (state, version)
    }

    /// The gate's view of a subject as the database holds it now.
    func readState(of id: UUID) async throws -> SubjectState? {
        try await readStates(of: [id])[id]
    }

    /// The subject an identifier's blind-index digest belongs to, if any; not audited, so callers audit.
    static func subject(withDigest digest: Data, in sql: any SQLDatabase) async throws -> UUID? {
        try await sql.raw("SELECT subject_id FROM subject_identifiers WHERE digest = \(bind: digest)").first()
            .flatMap { UUID(canonical: try $0.decode(column: "subject_id", as: String.self)) }
    }

    /// The subject's data key, opened with the master key.
    func dataKey(of subject: String, in sql: any SQLDatabase) async throws -> SubjectKey {
        try await Self.dataKey(of: subject, keys: keys, in: sql)
    }

    /// A subject's data key opened with `keys`; `VaultRefusal.subjectNotFound` once they are erased.
    static func dataKey(of subject: String, keys: VaultKeys, in sql: any SQLDatabase) async throws -> SubjectKey {
        guard let row = try await sql.raw("SELECT master_key_id, wrapped FROM subject_keys WHERE subject_id = \(bind: subject)").first() else {
            throw VaultRefusal.subjectNotFound
        }
        return SubjectKey(
            try keys.unwrap(
                try row.decode(column: "wrapped", as: Data.self),
                keyID: try row.decode(column: "master_key_id", as: String.self), context: subject))
    }
}

extension UUID {
    /// Ids are stored as lower-case text, the same on both backends.
    var storedText: String { lowercasedString }
}

extension String {
    /// A comma-separated column as a list.
    var splitList: [String] { split(separator: ",").map(String.init) }
}
