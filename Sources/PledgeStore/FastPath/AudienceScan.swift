import Foundation
import PledgeCore

extension MarketingAudience {
    /// The audience of the whole store on a SQLite file, read by `SQLiteScanner` (README.md): first
    /// the identifiers with the suppression list beside the consents and objections, then the
    /// subjects in two halves by rowid, each decided as it is read; nil on PostgreSQL.
    /// The same decision (`AudienceDecision`) as the reads by name; `AudienceScanTests` compare the two.
    func scanWholeStore(
        _ question: MarketingQuestion, selection: Selection, rule: MarketingPermissionRule, at instant: Date
    ) async throws -> Resolution? {
        guard let scanner = vault.database.scanner else { return nil }
        guard let rowids = try await scanner.run({ try AudienceScan.rowids(in: $0) }) else { return Resolution(recipients: [], excluded: []) }
        // The table of how to reach them is sized once for every subject there can be (no more than
        // the span of rowids; a span of more than 4M grows as it fills).
        let subjects = min(Int(clamping: rowids.upperBound - rowids.lowerBound + 1), 1 << 22)
        async let reach = scanner.run { try AudienceScan.reach(by: question.medium, in: $0, subjects: subjects) }
        async let standing = scanner.run { try AudienceScan.standing(purpose: question.purpose, in: $0) }
        let (consents, objections) = try await standing
        let facts = AudienceFacts(reach: try await reach, consents: consents, objections: objections)
        let middle = rowids.lowerBound + (rowids.upperBound - rowids.lowerBound) / 2
        let decision = AudienceDecision(question, selection: selection, rule: rule, at: instant, facts: facts)
        async let first = scanner.run { try AudienceScan.decide(rowids.lowerBound...middle, with: decision, in: $0) }
        async let second = scanner.run { try AudienceScan.decide((middle + 1)...max(middle + 1, rowids.upperBound), with: decision, in: $0) }
        return AudienceDecision.joined([try await first, try await second])
    }
}

/// The reads of `MarketingAudience.scanWholeStore`, each on one connection.
enum AudienceScan {
    /// How each subject can be reached by `medium`: their identifiers of its kind and accounts, each
    /// looked up in the suppression list (and for calls the call-barring list) read into memory first.
    static func reach(by medium: MarketingMedium, in handle: SQLiteHandle, subjects: Int) throws -> SubjectMap<Reach> {
        let kind = medium.identifierKind
        var suppressed: [BlindDigest: SuppressionReason] = [:]
        var barred: [BlindDigest: CallBarring] = [:]
        if kind != nil {
            let lists = try handle.statement("SELECT digest, kind FROM suppressions")
            while try lists.step() {
                guard let reason = lists.text(at: 1).flatMap(SuppressionReason.init(rawValue:)) else {
                    throw CorruptRow(table: "suppressions", row: Data(lists.bytes(at: 0)).hexString, column: "kind")
                }
                suppressed[BlindDigest(lists.bytes(at: 0))] = reason
            }
        }
        if medium == .phone {
            let lists = try handle.statement("SELECT digest, list FROM call_barring")
            while try lists.step() {
                guard let list = lists.text(at: 1).flatMap(CallBarring.init(rawValue:)) else {
                    throw CorruptRow(table: "call_barring", row: Data(lists.bytes(at: 0)).hexString, column: "list")
                }
                barred[BlindDigest(lists.bytes(at: 0))] = list
            }
        }
        var reach = SubjectMap<Reach>(minimumCapacity: subjects)
        let identifiers = try handle.statement("SELECT subject_id, kind, digest FROM subject_identifiers WHERE kind IN (?, 'account')")
        try identifiers.bind([.text(kind?.rawValue ?? IdentifierKind.account.rawValue)])
        while try identifiers.step() {
            let id = try identifiers.uuid(at: 0, table: "subject_identifiers", name: "subject_id")
            guard let kind, identifiers.holds(kind.rawValue, at: 1) else {
                reach.update(id, default: Reach()) { $0.add(kind: .account, for: medium, suppression: nil, barring: nil) }
                continue
            }
            let digest = suppressed.isEmpty && barred.isEmpty ? nil : BlindDigest(identifiers.bytes(at: 2))
            let (suppression, barring) = (digest.flatMap { suppressed[$0] }, digest.flatMap { barred[$0] })
            reach.update(id, default: Reach()) { $0.add(kind: kind, for: medium, suppression: suppression, barring: barring) }
        }
        return reach
    }

    /// Each subject's consents to `purpose` (in ledger order) and objection to it.
    static func standing(purpose: String, in handle: SQLiteHandle) throws -> (SubjectMap<ConsentState>, [UUID: Objection]) {
        var consents = SubjectMap<ConsentState>()
        let events = try handle.statement(
            "SELECT \(MarketingAudience.consentColumns) FROM consent_events WHERE holder_kind = 'subject' AND purpose = ? ORDER BY seq")
        try events.bind([.text(purpose)])
        while try events.step() {
            // As the read by name: a holder that is not a subject id holds nothing here.
            guard let id = UUID(canonicalUTF8: events.bytes(at: 0)) else { continue }
            let scope = ConsentScope(purpose: purpose, recipient: events.text(at: 1), channel: events.text(at: 2))
            let (granted, at) = (events.holds(ConsentAction.granted.rawValue, at: 3), Date(microseconds: events.int64(at: 4)))
            consents.update(id, default: ConsentState()) { $0.apply(scope, granted: granted, at: at) }
        }
        var objections: [UUID: Objection] = [:]
        let objected = try handle.statement("SELECT subject_id, at_us, compelling_grounds FROM objections WHERE purpose = ?")
        try objected.bind([.text(purpose)])
        while try objected.step() {
            objections[try objected.uuid(at: 0, table: "objections", name: "subject_id")] = Objection(
                at: Date(microseconds: objected.int64(at: 1)), compellingGrounds: objected.text(at: 2))
        }
        return (consents, objections)
    }

    /// The first and last rowid of the subjects; nil when there are none.
    static func rowids(in handle: SQLiteHandle) throws -> ClosedRange<Int64>? {
        // Two subqueries: each is one step down the table's b-tree, where min and max together scan it.
        let bounds = try handle.statement("SELECT (SELECT min(rowid) FROM subjects), (SELECT max(rowid) FROM subjects)")
        guard try bounds.step() else { return nil }
        defer { while (try? bounds.step()) == true {} }
        guard let low = bounds.optionalInt64(at: 0), let high = bounds.optionalInt64(at: 1) else { return nil }
        return low...high
    }

    /// `decision` over the subjects whose rowids are in `rowids`, in storage order; its columns by position
    /// (`MarketingAudience.subjectColumns`).
    static func decide(
        _ rowids: ClosedRange<Int64>, with decision: AudienceDecision, in handle: SQLiteHandle
    ) throws
        -> MarketingAudience.Resolution
    {
        var decision = decision
        var categories = ColumnInterner { Set($0.splitList) }
        var stages = ColumnInterner { $0 }
        let rows = try handle.statement("SELECT \(MarketingAudience.subjectColumns) FROM subjects WHERE rowid BETWEEN ? AND ?")
        try rows.bind([.integer(rowids.lowerBound), .integer(rowids.upperBound)])
        while try rows.step() {
            let id = try rows.uuid(at: 0, table: "subjects", name: "id")
            let provenance = try rows.text(at: 6).map {
                try ContactProvenance(
                    stored: $0, source: rows.text(at: 7), refusalOffered: rows.optionalInt64(at: 8).map { $0 != 0 },
                    subscriber: rows.text(at: 9), subject: id.storedText)
            }
            decision.consider(
                SubjectFacts(
                    id: id, categories: categories.value(rows.bytes(at: 1)), stage: rows.isNull(at: 2) ? nil : stages.value(rows.bytes(at: 2)),
                    isChild: rows.int64(at: 3) != 0, restricted: rows.int64(at: 4) != 0,
                    marketingObjection: rows.optionalInt64(at: 5).map(Date.init(microseconds:)), provenance: provenance,
                    pausedUntil: rows.optionalInt64(at: 10).map(Date.init(microseconds:))))
        }
        return decision.resolution
    }
}
