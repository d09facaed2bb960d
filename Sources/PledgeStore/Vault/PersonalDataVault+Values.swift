import Foundation
import PledgeCore
import SQLKit

extension PersonalDataVault {
    /// Collects the values of a checked plan for a subject (C03, C05), once the gate allows every
    /// purpose of the plan for this person now (C07-C10): otherwise `GateRefusal` and nothing is
    /// stored. The gate's decision is made here, on the subject's state as the last committed write
    /// left it, so no caller can skip it (issue 25 §2).
    public func collect(
        _ plan: CollectionPlan, for id: UUID, gate: ProcessingGate, noticeVersion: String?, actor: String, at instant: Date
    ) async throws {
        guard let state = try await state(of: id) else { throw VaultRefusal.subjectNotFound }
        for request in plan.decisionRequests {
            let decision = gate.decide(request, for: state, at: instant)
            guard decision.isAllowed else { throw GateRefusal(purpose: request.purpose, decision: decision) }
        }
        try await collect(plan, for: id, noticeVersion: noticeVersion, actor: actor, at: instant)
    }

    /// The subject's values that purpose `purpose` may use now, opened, and what the gate withheld
    /// with its reasons (C07-C10, C24 with a `recipient`); values it withholds are never decrypted.
    /// The read is audited with its purpose. The gate decides here, inside the vault (issue 25 §2).
    public func values(
        of id: UUID, purpose: String, recipient: String?, gate: ProcessingGate, actor: String, at instant: Date
    ) async throws -> GatedValues {
        let (values, read) = try await reading(of: id, purpose: purpose, recipient: recipient, gate: gate, actor: actor, at: instant)
        try await commit(reads: [read])
        return values
    }

    /// As `values(of:purpose:recipient:gate:actor:at:)`, with the read's audit record handed back
    /// instead of committed: the caller commits it before anything read leaves (a campaign's batch
    /// commits its messages' reads as one unit; one commit per message was a twentieth of a send).
    public func reading(
        of id: UUID, purpose: String, recipient: String?, gate: ProcessingGate, actor: String, at instant: Date
    ) async throws -> (values: GatedValues, read: AuditRecord) {
        guard let reading = try await readings(of: [id], purpose: purpose, recipient: recipient, gate: gate, actor: actor, at: instant)[id]
        else { throw VaultRefusal.subjectNotFound }
        return try reading.get()
    }

    /// `reading(of:…)` for each of `ids` at once: their values read and their keys read in one
    /// query each per 500 people, whatever their number (a campaign's batch; two reads per message
    /// were most of preparing one). Each person's answer stands alone: one not on file, or erased
    /// meanwhile, has `VaultRefusal.subjectNotFound`; one whose key or a value does not open, that error.
    public func readings(
        of ids: [UUID], purpose: String, recipient: String?, gate: ProcessingGate, actor: String, at instant: Date
    ) async throws -> [UUID: Result<(values: GatedValues, read: AuditRecord), any Error>] {
        let states = try await states(of: ids)
        var withheld: [UUID: [GatedValues.Withheld]] = [:]
        let opened = try await openValues(of: Array(states.keys)) { id, origin in
            guard let state = states[id] else { return false }
            let decision = gate.decide(
                DecisionRequest(purpose: purpose, categories: [origin.category], recipient: recipient), for: state, at: instant)
            if !decision.isAllowed { withheld[id, default: []].append(GatedValues.Withheld(origin: origin, decision: decision)) }
            return decision.isAllowed
        }
        var readings: [UUID: Result<(values: GatedValues, read: AuditRecord), any Error>] = [:]
        for id in ids {
            guard let values = opened[id] else {
                readings[id] = .failure(VaultRefusal.subjectNotFound)
                continue
            }
            readings[id] = values.map { values in
                (
                    GatedValues(values: values, withheld: withheld[id] ?? []),
                    Self.valuesRead(values, of: id, purpose: purpose, actor: actor, at: instant)
                )
            }
        }
        return readings
    }

    /// Commits the audit records of reads `reading(of:…)` handed back, as one unit.
    public func commit(reads: [AuditRecord]) async throws {
        guard !reads.isEmpty else { return }
        try await journal.commit(JournalUnit(audit: reads))
    }

    /// Stores the values of a plan without asking the gate: for `collect` once it has, and for tests.
    func collect(_ plan: CollectionPlan, for id: UUID, noticeVersion: String?, actor: String, at instant: Date) async throws {
        let subject = id.storedText
        try await journal.commit(
            JournalUnit { sql in
                let key = try await self.dataKey(of: subject, in: sql)
                var audit: [AuditRecord] = []
                for value in plan.values {
                    let context = "\(subject)/\(value.field)"
                    let sealed = try key.seal(value.value, context: context)
                    var before: String?
                    if let old = try await sql.raw(
                        "SELECT sealed FROM personal_values WHERE subject_id = \(bind: subject) AND field = \(bind: value.field)"
                    ).first() {
                        before = key.digest(try key.open(try old.decode(column: "sealed", as: Data.self), context: context))
                        try await sql.raw("DELETE FROM personal_values WHERE subject_id = \(bind: subject) AND field = \(bind: value.field)").run()
                    }
                    try await sql.insert(into: "personal_values")
                        .columns(
                            "id", "subject_id", "field", "category", "purpose", "source", "source_reference", "notice_version", "collected_us",
                            "sealed"
                        )
                        .values(
                            [
                                UUID.timeOrdered(at: instant).storedText, subject, value.field, value.category, value.purpose, plan.source.id,
                                plan.sourceReference, noticeVersion,
                                instant.microseconds, sealed,
                            ] as [any Encodable & Sendable]
                        )
                        .run()
                    audit.append(
                        AuditRecord(
                            actor: actor, action: before == nil ? "data.collect" : "data.rectify", object: "subject:\(subject)",
                            purpose: value.purpose, field: value.field, before: before, after: key.digest(value.value), at: instant))
                }
                if let due = plan.art14DueBy {
                    try await sql.insert(into: "art14_tasks").columns("id", "subject_id", "source", "source_reference", "due_on", "created_us")
                        .values(
                            [
                                UUID.timeOrdered(at: instant).storedText, subject, plan.source.id, plan.sourceReference, due.description,
                                instant.microseconds,
                            ]
                                as [any Encodable & Sendable]
                        )
                        .run()
                    audit.append(
                        AuditRecord(
                            actor: actor, action: "art14.task-open", object: "subject:\(subject)", field: plan.source.id, after: due.description,
                            at: instant))
                }
                return audit
            })
    }

    /// The subject's values that `include` admits, opened; the read is audited with its purpose.
    /// Values `include` refuses are never decrypted. Ungated: for `values(of:purpose:recipient:gate:…)` and tests.
    func values(
        of id: UUID, purpose: String?, actor: String, at instant: Date,
        including include: (StoredValueOrigin) -> Bool = { _ in true }
    ) async throws -> [StoredValue] {
        let values = try await openValues(of: id, including: include)
        try await journal.commit(JournalUnit(audit: [Self.valuesRead(values, of: id, purpose: purpose, actor: actor, at: instant)]))
        return values
    }

    /// The audit record of reading `values`: the fields read, for which purpose.
    static func valuesRead(_ values: [StoredValue], of id: UUID, purpose: String?, actor: String, at instant: Date) -> AuditRecord {
        AuditRecord(
            actor: actor, action: "data.read", object: "subject:\(id.storedText)", purpose: purpose,
            field: values.map(\.field).joined(separator: ","), at: instant)
    }

    /// The categories the subject has values in, read without opening any value (an aggregate
    /// disclosure counts people by them).
    func valueCategories(of id: UUID) async throws -> Set<String> {
        let rows = try await database.bulkRows("SELECT DISTINCT category FROM personal_values WHERE subject_id = ?", binding: id.storedText)
        return Set(try rows.map { try $0.text("category") })
    }

    /// Opens the values `include` admits without recording the read: callers audit it.
    /// `VaultRefusal.subjectNotFound` when the subject was erased.
    func openValues(of id: UUID, including include: (StoredValueOrigin) -> Bool = { _ in true }) async throws -> [StoredValue] {
        guard let opened = try await openValues(of: [id], including: { include($1) })[id] else { throw VaultRefusal.subjectNotFound }
        return try opened.get()
    }

    /// The most people whose values one query reads (SQLite binds at most 32,766 values a statement).
    static let peoplePerRead = 500

    /// The values `include` admits of each of `ids`, opened, without recording the read (callers audit
    /// it): one query for the values and one for the keys per `peoplePerRead` people. Values `include`
    /// refuses are never decrypted. Someone whose key is gone (erased since) is missing from the
    /// answer, unless nothing of theirs was admitted; someone whose key or a value does not open has that error.
    func openValues(
        of ids: [UUID], including include: (UUID, StoredValueOrigin) -> Bool = { _, _ in true }
    ) async throws -> [UUID: Result<[StoredValue], any Error>] {
        var opened: [UUID: Result<[StoredValue], any Error>] = [:]
        var start = 0
        while start < ids.count {
            let part = ids[start..<min(start + Self.peoplePerRead, ids.count)]
            opened.merge(try await openValues(ofPart: Array(part), including: include)) { first, _ in first }
            start += Self.peoplePerRead
        }
        return opened
    }

    private func openValues(
        ofPart ids: [UUID], including include: (UUID, StoredValueOrigin) -> Bool
    ) async throws -> [UUID: Result<[StoredValue], any Error>] {
        let byText = Dictionary(ids.map { ($0.storedText, $0) }, uniquingKeysWith: { first, _ in first })
        let (filter, binds) = BulkBind.membership("subject_id", Array(byText.keys))
        let rows = try await database.bulkRows(
            """
            SELECT subject_id, field, category, purpose, source, source_reference, notice_version, collected_us, sealed FROM personal_values
            \(filter) ORDER BY subject_id, field
            """, bindings: binds)
        var included: [(subject: String, origin: StoredValueOrigin, row: BulkRow)] = []
        for row in rows {
            let subject = try row.text("subject_id")
            guard let id = byText[subject] else { continue }
            let origin = StoredValueOrigin(field: try row.text("field"), category: try row.text("category"), purpose: try row.text("purpose"))
            if include(id, origin) { included.append((subject, origin, row)) }
        }
        let holders = Set(included.map(\.subject))
        var keys: [String: Result<SubjectKey, any Error>] = [:]
        if !holders.isEmpty {
            let (keyFilter, keyBinds) = BulkBind.membership("subject_id", Array(holders))
            for row in try await database.bulkRows("SELECT subject_id, master_key_id, wrapped FROM subject_keys \(keyFilter)", bindings: keyBinds) {
                let subject = try row.text("subject_id")
                keys[subject] = Result {
                    SubjectKey(try self.keys.unwrap(try row.bytes("wrapped"), keyID: try row.text("master_key_id"), context: subject))
                }
            }
        }
        let found = keys
        let values = try await included.concurrentMap { subject, origin, row -> Result<StoredValue, any Error>? in
            guard let key = found[subject] else { return nil }
            return Result {
                StoredValue(
                    field: origin.field, category: origin.category, purpose: origin.purpose,
                    source: try row.text("source"), sourceReference: try row.optionalText("source_reference"),
                    noticeVersion: try row.optionalText("notice_version"),
                    collectedAt: Date(microseconds: try row.integer("collected_us")),
                    value: try key.get().open(try row.bytes("sealed"), context: "\(subject)/\(origin.field)"))
            }
        }
        var lists: [String: [StoredValue]] = [:]
        var failures: [String: any Error] = [:]
        for ((subject, _, _), value) in zip(included, values) {
            switch value {
            case .success(let stored)?: lists[subject, default: []].append(stored)
            case .failure(let error)?: failures[subject] = failures[subject] ?? error
            case nil: continue
            }
        }
        var opened: [UUID: Result<[StoredValue], any Error>] = [:]
        for (subject, id) in byText {
            if let error = failures[subject] {
                opened[id] = .failure(error)
            } else if !holders.contains(subject) || found[subject] != nil {
                opened[id] = .success(lists[subject] ?? [])
            }
        }
        return opened
    }
}
