import Foundation
import PledgeCore
import SQLKit

extension PersonalDataVault {
    /// Records a note, call, letter, email or chat about a subject (C43), sealed like every value, with
    /// the declared purpose it serves when one is named (ECR-19: a ticket under the support agreement).
    public func addInteraction(
        to id: UUID, kind: String, content: String, retention: String?, purpose: String? = nil, actor: String, at instant: Date
    ) async throws -> UUID {
        let subject = id.storedText
        let interaction = UUID.timeOrdered(at: instant)
        try await journal.commit(
            JournalUnit { sql in
                let key = try await self.dataKey(of: subject, in: sql)
                try await sql.insert(into: "interactions").columns(
                    "id", "subject_id", "kind", "retention", "purpose", "recorded_us", "actor", "sealed"
                )
                .values(
                    [
                        interaction.storedText, subject, kind, retention, purpose, instant.microseconds, actor,
                        try key.seal(content, context: "\(subject)/interaction/\(interaction.storedText)"),
                    ] as [any Encodable & Sendable]
                ).run()
                return [
                    AuditRecord(
                        actor: actor, action: "interaction.add", object: "subject:\(subject)", field: kind, after: key.digest(content), at: instant)
                ]
            })
        return interaction
    }

    /// A subject's interaction records, oldest first, opened, when `role` (limited to `purposes`
    /// when set) may read them (`InteractionAccess`); the read is audited. Throws
    /// `VaultRefusal.subjectNotFound` or the `InteractionRefusal`, having read nothing.
    public func interactions(of id: UUID, role: Role, purposes: [String]?, actor: String, at instant: Date) async throws -> [StoredInteraction] {
        guard let state = try await state(of: id) else { throw VaultRefusal.subjectNotFound }
        if let refusal = InteractionAccess.refusal(role: role, purposes: purposes, state: state) { throw refusal }
        let records = try await openInteractions(of: id)
        if !records.isEmpty { try await journal.commit(JournalUnit(audit: [Self.interactionsRead(of: id, actor: actor, at: instant)])) }
        return records
    }

    static func interactionsRead(of id: UUID, actor: String, at instant: Date) -> AuditRecord {
        AuditRecord(actor: actor, action: "interaction.read", object: "subject:\(id.storedText)", at: instant)
    }

    /// Opens the interaction records without recording the read: callers audit it.
    func openInteractions(of id: UUID) async throws -> [StoredInteraction] {
        let subject = id.storedText
        let rows = try await database.bulkRows(
            "SELECT id, kind, retention, purpose, recorded_us, actor, sealed FROM interactions WHERE subject_id = ? ORDER BY recorded_us",
            binding: subject)
        guard !rows.isEmpty else { return [] }
        let key = try await dataKey(of: subject, in: sql)
        let records = try await rows.concurrentMap { row in
            let interaction = try row.text("id")
            return StoredInteraction(
                id: try UUID(canonical: interaction).stored(in: "interactions", row: interaction, column: "id"), kind: try row.text("kind"),
                retention: try row.optionalText("retention"), purpose: try row.optionalText("purpose"),
                recordedAt: Date(microseconds: try row.integer("recorded_us")), actor: try row.text("actor"),
                content: try key.open(try row.bytes("sealed"), context: "\(subject)/interaction/\(interaction)"))
        }
        return records
    }
}
