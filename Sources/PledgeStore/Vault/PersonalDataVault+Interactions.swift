import Foundation
import PledgeCore
import SQLKit

extension PersonalDataVault {
    /// Records a note, call, letter, email or chat about a subject (C43), sealed like every value.
    public func addInteraction(to id: UUID, kind: String, content: String, retention: String?, actor: String, at instant: Date) async throws -> UUID {
        let subject = id.storedText
        let interaction = UUID()
        try await journal.commit(JournalUnit { sql in
            let key = try await self.dataKey(of: subject, in: sql)
            try await sql.insert(into: "interactions").columns("id", "subject_id", "kind", "retention", "recorded_us", "actor", "sealed")
                .values([interaction.storedText, subject, kind, retention, instant.microseconds, actor,
                         try key.seal(content, context: "\(subject)/interaction/\(interaction.storedText)")] as [any Encodable & Sendable]).run()
            return [AuditRecord(actor: actor, action: "interaction.add", object: "subject:\(subject)", field: kind, after: key.digest(content), at: instant)]
        })
        return interaction
    }

    /// A subject's interaction records, oldest first, opened; the read is audited.
    public func interactions(of id: UUID, actor: String, at instant: Date) async throws -> [StoredInteraction] {
        let subject = id.storedText
        let rows = try await sql.raw("SELECT id, kind, retention, recorded_us, actor, sealed FROM interactions WHERE subject_id = \(bind: subject) ORDER BY recorded_us").all()
        guard !rows.isEmpty else { return [] }
        let key = try await dataKey(of: subject, in: sql)
        let records = try rows.map { row in
            let interaction = try row.decode(column: "id", as: String.self)
            return StoredInteraction(
                id: UUID(uuidString: interaction)!, kind: try row.decode(column: "kind", as: String.self),
                retention: try row.decode(column: "retention", as: String?.self),
                recordedAt: Date(microseconds: try row.decode(column: "recorded_us", as: Int64.self)),
                actor: try row.decode(column: "actor", as: String.self),
                content: try key.open(try row.decode(column: "sealed", as: Data.self), context: "\(subject)/interaction/\(interaction)"))
        }
        try await journal.commit(JournalUnit(audit: [AuditRecord(actor: actor, action: "interaction.read", object: "subject:\(subject)", at: instant)]))
        return records
    }
}
