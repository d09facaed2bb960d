import Foundation
import PledgeCore
import SQLKit

extension PersonalDataVault {
    /// The gate's view of each of `ids` that is on file, as `state(of:)` gives it one at a time, with
    /// those not in memory (on PostgreSQL, also those whose version moved) read together: three queries
    /// for a sender's batch, where one at a time it was three a person. A campaign to people this node
    /// had not read since it started spent two thirds more CPU a message on those reads
    /// (bench/campaign_send.py, a second campaign after a restart). A subject not on file has no entry.
    public func states(of ids: [UUID]) async throws -> [UUID: SubjectState] {
        let unique = Array(Set(ids)), shared = database.isPostgres
        // One alone goes as `state(of:)`, whose version check on PostgreSQL shares a query with concurrent decisions'.
        if unique.count == 1, let id = unique.first { return try await state(of: id).map { [id: $0] } ?? [:] }
        // On PostgreSQL the versions first, as `state(of:)` reads them: a state read after its version is never passed as newer than it is.
        let current = shared ? try await versions.read(unique) : [:]
        var states: [UUID: SubjectState] = [:]
        var missing: [UUID] = []
        for id in unique {
            if shared && current[id] == nil { continue }
            if let cached = cache[id], !shared || cached.version == current[id] { states[id] = cached.state } else { missing.append(id) }
        }
        guard !missing.isEmpty else { return states }
        // Each read is begun before the query and finished after it, as one at a time.
        let tokens = missing.map { _ in cache.beginRead() }
        let read: [UUID: SubjectState]
        do {
            read = try await readStates(of: missing)
        } catch {
            for _ in tokens { cache.abandonRead() }
            throw error
        }
        var overlapped: [UUID] = []
        for (id, token) in zip(missing, tokens) {
            guard let state = read[id] else {
                cache.abandonRead()
                continue
            }
            if cache.finishRead(state, at: current[id], for: id, since: token) { states[id] = state } else { overlapped.append(id) }
        }
        // A write to them committed while they were read: read again one at a time, as `state(of:)` does.
        for id in overlapped { states[id] = try await state(of: id) }
        return states
    }

    /// The states of those of `ids` on file, from the database: their flags, consent events and objections, a query each.
    func readStates(of ids: [UUID]) async throws -> [UUID: SubjectState] {
        let texts = ids.map(\.storedText)
        var states: [UUID: SubjectState] = [:]
        for row in try await sql.raw(
            """
            SELECT id, categories, is_child, restricted, legal_hold, marketing_objection_us FROM subjects
            WHERE id IN (\(SQLQueryString.members(texts, in: sql)))
            """
        ).all() {
            let text = try row.decode(column: "id", as: String.self)
            let id = try UUID(canonical: text).stored(in: "subjects", row: text, column: "id")
            states[id] = SubjectState(
                categories: Set(try row.decode(column: "categories", as: String.self).splitList),
                marketingObjection: try row.decode(column: "marketing_objection_us", as: Int64?.self).map(Date.init(microseconds:)),
                restricted: try row.decode(column: "restricted", as: Bool.self), legalHold: try row.decode(column: "legal_hold", as: Bool.self),
                isChild: try row.decode(column: "is_child", as: Bool.self))
        }
        guard !states.isEmpty else { return [:] }
        let found = SQLQueryString.members(states.keys.map(\.storedText), in: sql)
        var events: [UUID: [ConsentEvent]] = [:]
        for row in try await sql.raw(
            """
            SELECT holder, \(unsafeRaw: Self.consentEventColumns)
            FROM consent_events WHERE holder_kind = 'subject' AND holder IN (\(found)) ORDER BY seq
            """
        ).all() {
            let holder = try row.decode(column: "holder", as: String.self)
            let id = try UUID(canonical: holder).stored(in: "consent_events", row: holder, column: "holder")
            events[id, default: []].append(try Self.consentEvent(BulkRow(sql: row), of: .subject(id)))
        }
        for (id, list) in events { states[id]?.consents = ConsentState(events: list) }
        for row in try await sql.raw("SELECT subject_id, purpose, at_us, compelling_grounds FROM objections WHERE subject_id IN (\(found))").all() {
            let subject = try row.decode(column: "subject_id", as: String.self)
            let id = try UUID(canonical: subject).stored(in: "objections", row: subject, column: "subject_id")
            states[id]?.objections[try row.decode(column: "purpose", as: String.self)] = Objection(
                at: Date(microseconds: try row.decode(column: "at_us", as: Int64.self)),
                compellingGrounds: try row.decode(column: "compelling_grounds", as: String?.self))
        }
        return states
    }
}
