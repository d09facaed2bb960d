import Foundation
import PledgeCore
import SQLKit

extension PersonalDataVault {
    /// Appends consent events (C10) and their audit entries; durable before this returns. The
    /// next decision for the subject already sees them (withdrawal takes effect at once, Art 7(3)).
    /// Returns the ledger sequence number of each event.
    @discardableResult
    public func record(_ events: [ConsentEvent], actor: String, at instant: Date) async throws -> [Int64] {
        let write = recording(events, actor: actor, at: instant)
        let sequences = try await journal.commit(write.unit)
        write.committed()
        return sequences
    }

    /// The write that appends `events`, not yet committed.
    func recording(_ events: [ConsentEvent], actor: String, at instant: Date) -> VaultWrite {
        let audit = events.map { event in
            AuditRecord(
                actor: actor, action: "consent.\(event.action.rawValue)", object: event.holder.auditObject,
                purpose: event.scope.purpose,
                field: [event.scope.recipient, event.scope.channel].compactMap { $0 }.joined(separator: "/").nilIfEmpty,
                after: event.wordingHash, at: instant)
        }
        return VaultWrite(
            unit: JournalUnit(consents: events, audit: audit),
            committed: { [cache] in
                for event in events {
                    if case .subject(let id) = event.holder {
                        cache.update(id, moved: GateVersion(flags: 0, consents: 1)) { $0.consents.apply(event) }
                    }
                }
            })
    }

    /// Records what a preference form changed, the consent events and the objections in one unit:
    /// all or none.
    public func apply(
        _ preferences: PreferenceChanges, to subject: UUID, mechanism: String, reference: String, noticeVersion: String, actor: String,
        at instant: Date
    ) async throws {
        let (events, changes) = preferences.recorded(
            for: subject, mechanism: mechanism, reference: reference, noticeVersion: noticeVersion, at: instant)
        var writes: [VaultWrite] = []
        if !events.isEmpty { writes.append(recording(events, actor: actor, at: instant)) }
        if !changes.isEmpty { writes.append(applying(changes, to: subject, actor: actor, at: instant)) }
        if !writes.isEmpty { try await journal.commit(writes) }
    }

    /// The ledger of one holder, oldest first: the proof of every consent given and withdrawn.
    public func consentEvents(of holder: ConsentHolder) async throws -> [StoredConsentEvent] {
        let (kind, key) = holder.columns
        return try await sql.raw(
            """
            SELECT seq, \(unsafeRaw: Self.consentEventColumns)
            FROM consent_events WHERE holder = \(bind: key) AND holder_kind = \(bind: kind) ORDER BY seq
            """
        ).all().map { row in
            StoredConsentEvent(sequence: try row.decode(column: "seq", as: Int64.self), event: try Self.consentEvent(BulkRow(sql: row), of: holder))
        }
    }

    /// The columns of `consent_events` that `consentEvent(_:of:)` reads, for the statements that select them.
    static let consentEventColumns = "purpose, recipient, channel, action, mechanism, notice_version, wording_hash, recorded_us"

    /// The event in a `consent_events` row of `holder`. An action this version does not know reads as
    /// a withdrawal: never a consent nobody gave.
    static func consentEvent(_ row: BulkRow, of holder: ConsentHolder) throws -> ConsentEvent {
        ConsentEvent(
            holder: holder,
            scope: ConsentScope(
                purpose: try row.text("purpose"), recipient: try row.optionalText("recipient"), channel: try row.optionalText("channel")),
            action: ConsentAction(rawValue: try row.text("action")) ?? .withdrawn, mechanism: try row.text("mechanism"),
            noticeVersion: try row.text("notice_version"), wordingHash: try row.text("wording_hash"),
            recordedAt: Date(microseconds: try row.integer("recorded_us")))
    }

    /// How many consent events the ledger holds.
    public func consentEventCount() async throws -> Int {
        try await sql.count("SELECT COUNT(*) AS n FROM consent_events", table: "consent_events")
    }
}

extension ConsentHolder {
    var auditObject: String {
        switch self {
        case .subject(let id): "subject:\(id.storedText)"
        case .visitor(let id): "visitor:\(id)"
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
