import Foundation
import PledgeCore
import SQLKit

extension PersonalDataVault {
    /// Stores the values of a checked collection plan for a subject (C03, C05). A field collected
    /// again replaces the old value; the audit entry holds keyed digests of both. An indirect
    /// source opens an Art 14 notice task.
    public func collect(_ plan: CollectionPlan, for id: UUID, noticeVersion: String?, actor: String, at instant: Date) async throws {
        let subject = id.storedText
        try await journal.commit(JournalUnit { sql in
            let key = try await self.dataKey(of: subject, in: sql)
            var audit: [AuditRecord] = []
            for value in plan.values {
                let context = "\(subject)/\(value.field)"
                let sealed = try key.seal(value.value, context: context)
                var before: String?
                if let old = try await sql.raw("SELECT sealed FROM personal_values WHERE subject_id = \(bind: subject) AND field = \(bind: value.field)").first() {
                    before = key.digest(try key.open(try old.decode(column: "sealed", as: Data.self), context: context))
                    try await sql.raw("DELETE FROM personal_values WHERE subject_id = \(bind: subject) AND field = \(bind: value.field)").run()
                }
                try await sql.insert(into: "personal_values")
                    .columns("id", "subject_id", "field", "category", "purpose", "source", "notice_version", "collected_us", "sealed")
                    .values([UUID().storedText, subject, value.field, value.category, value.purpose, plan.source.id, noticeVersion,
                             instant.microseconds, sealed] as [any Encodable & Sendable])
                    .run()
                audit.append(AuditRecord(actor: actor, action: before == nil ? "data.collect" : "data.rectify", object: "subject:\(subject)",
                                         purpose: value.purpose, field: value.field, before: before, after: key.digest(value.value), at: instant))
            }
            if let due = plan.art14DueBy {
                try await sql.insert(into: "art14_tasks").columns("id", "subject_id", "source", "due_on", "created_us")
                    .values([UUID().storedText, subject, plan.source.id, due.description, instant.microseconds] as [any Encodable & Sendable]).run()
                audit.append(AuditRecord(actor: actor, action: "art14.task-open", object: "subject:\(subject)", field: plan.source.id, after: due.description, at: instant))
            }
            return audit
        })
    }

    /// The subject's values that `include` admits, opened; the read is audited with its purpose.
    /// Values `include` refuses are never decrypted.
    public func values(of id: UUID, purpose: String?, actor: String, at instant: Date,
                       including include: (StoredValueOrigin) -> Bool = { _ in true }) async throws -> [StoredValue] {
        let values = try await openValues(of: id, including: include)
        try await journal.commit(JournalUnit(audit: [Self.valuesRead(values, of: id, purpose: purpose, actor: actor, at: instant)]))
        return values
    }

    /// The audit record of reading `values`: the fields read, for which purpose.
    static func valuesRead(_ values: [StoredValue], of id: UUID, purpose: String?, actor: String, at instant: Date) -> AuditRecord {
        AuditRecord(actor: actor, action: "data.read", object: "subject:\(id.storedText)", purpose: purpose,
                    field: values.map(\.field).joined(separator: ","), at: instant)
    }

    /// Opens the values `include` admits without recording the read: callers audit it.
    func openValues(of id: UUID, including include: (StoredValueOrigin) -> Bool = { _ in true }) async throws -> [StoredValue] {
        let subject = id.storedText
        let rows = try await database.bulkRows("""
            SELECT field, category, purpose, source, notice_version, collected_us, sealed FROM personal_values
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
                source: try row.text("source"), noticeVersion: try row.optionalText("notice_version"),
                collectedAt: Date(microseconds: try row.integer("collected_us")),
                value: try key.open(try row.bytes("sealed"), context: "\(subject)/\(origin.field)"))
        }
        return values
    }
}
