import Foundation
import PledgeCore

extension PersonalDataVault {
    /// Everything held about a subject, opened, for an access or portability request (Art 15, 20; C30,
    /// C43): values with their source, the consent ledger, interaction records, and the audit trail's
    /// record of who read or changed their data (the disclosure log). Nil when there is no such subject.
    public func records(of id: UUID, purpose: String, actor: String, at instant: Date) async throws -> SubjectRecords? {
        guard let (records, read) = try await reading(id, purpose: purpose, actor: actor, at: instant) else { return nil }
        try await journal.commit([read])
        return records
    }

    /// Everything held about a subject and the write that audits the read, not yet committed: the
    /// caller commits it before anything leaves (with the export it becomes, in one unit).
    func reading(_ id: UUID, purpose: String, actor: String, at instant: Date) async throws -> (SubjectRecords, VaultWrite)? {
        guard let summary = try await summary(of: id) else { return nil }
        // Read side by side: opening one list overlaps the database's work on the next. The reads are
        // audited by the caller's commit before anything is returned; the disclosure log shows earlier uses.
        async let openedValues = openValues(of: id)
        async let openedInteractions = openInteractions(of: id)
        async let consentEvents = consentEvents(of: .subject(id))
        async let disclosures = AuditTrail(database: database).records(about: "subject:\(id.storedText)", limit: 100_000)
        async let messages = marketingMessages(of: id)
        let (values, interactions, consents, log) = try await (openedValues, openedInteractions, consentEvents, disclosures)
        let read = VaultWrite(
            unit: JournalUnit(
                audit: [Self.valuesRead(values, of: id, purpose: purpose, actor: actor, at: instant)]
                    + (interactions.isEmpty ? [] : [Self.interactionsRead(of: id, actor: actor, at: instant)])))
        return (
            SubjectRecords(
                subject: id, categories: summary.categories, stage: summary.stage, createdAt: summary.createdAt,
                restricted: summary.restricted, marketingObjectionAt: summary.marketingObjectionAt,
                values: values.map {
                    .init(
                        field: $0.field, category: $0.category, purpose: $0.purpose, source: $0.source, sourceReference: $0.sourceReference,
                        collectedAt: $0.collectedAt, value: $0.value)
                },
                consents: consents.map(\.event).map {
                    .init(
                        purpose: $0.scope.purpose, recipient: $0.scope.recipient, channel: $0.scope.channel, action: $0.action.rawValue,
                        mechanism: $0.mechanism, noticeVersion: $0.noticeVersion, recordedAt: $0.recordedAt)
                },
                interactions: interactions.map { .init(kind: $0.kind, purpose: $0.purpose, recordedAt: $0.recordedAt, content: $0.content) },
                accessLog: log.map {
                    .init(at: Date(microseconds: $0.atMicros), actor: $0.actor, action: $0.action, purpose: $0.purpose, fields: $0.field)
                }, marketingMessages: try await messages), read
        )
    }
}
