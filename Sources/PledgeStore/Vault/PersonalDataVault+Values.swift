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
        guard let state = try await state(of: id) else { throw VaultRefusal.subjectNotFound }
        var withheld: [(StoredValueOrigin, Decision)] = []
        let values = try await openValues(of: id) { origin in
            let decision = gate.decide(
                DecisionRequest(purpose: purpose, categories: [origin.category], recipient: recipient), for: state, at: instant)
            if !decision.isAllowed { withheld.append((origin, decision)) }
            return decision.isAllowed
        }
        return (
            GatedValues(values: values, withheld: withheld.map { GatedValues.Withheld(origin: $0.0, decision: $0.1) }),
            Self.valuesRead(values, of: id, purpose: purpose, actor: actor, at: instant)
        )
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
    func openValues(of id: UUID, including include: (StoredValueOrigin) -> Bool = { _ in true }) async throws -> [StoredValue] {
        let subject = id.storedText
        let rows = try await database.bulkRows(
            """
            SELECT field, category, purpose, source, source_reference, notice_version, collected_us, sealed FROM personal_values
            WHERE subject_id = ? ORDER BY field
            """, binding: subject)
        let included = try rows.compactMap { row in
            let origin = StoredValueOrigin(field: try row.text("field"), category: try row.text("category"), purpose: try row.text("purpose"))
            return include(origin) ? (origin, row) : nil
        }
        guard !included.isEmpty else { return [] }
        let key = try await dataKey(of: subject, in: sql)
        let values = try await included.concurrentMap { origin, row in
            StoredValue(
                field: origin.field, category: origin.category, purpose: origin.purpose,
                source: try row.text("source"), sourceReference: try row.optionalText("source_reference"),
                noticeVersion: try row.optionalText("notice_version"),
                collectedAt: Date(microseconds: try row.integer("collected_us")),
                value: try key.open(try row.bytes("sealed"), context: "\(subject)/\(origin.field)"))
        }
        return values
    }
}
