import Foundation
import PledgeCore
import SQLKit

/// Who may receive one marketing message (issue 28 §2; C17, C18): every subject the audience names,
/// decided by the `MarketingPermissionRule` from what the vault holds (their flags, provenance,
/// objections, consents to the purpose, and the suppression list for their address), read in four
/// queries over the whole store (on a SQLite file, by the scan in FastPath/AudienceScan.swift).
public struct MarketingAudience: Sendable {
    let vault: PersonalDataVault

    public init(vault: PersonalDataVault) {
        self.vault = vault
    }

    /// Whom a campaign targets: subjects in any of `categories` (none: every category) and, when
    /// given, at one of `stages` and among `among`.
    public struct Selection: Sendable, Equatable {
        public var categories: Set<String>
        public var stages: Set<String>
        /// Only these subjects (a resend to non-openers); nil: anyone.
        public var among: Set<UUID>?
        /// Only people interested in one of these topics (tailoring, OEX-24); empty: no tailoring.
        public var interests: Set<String>
        /// Where the messages go: an inbox reaches only people with an account (CAM-22).
        public var destination: MessageDestination

        public init(
            categories: Set<String> = [], stages: Set<String> = [], among: Set<UUID>? = nil, interests: Set<String> = [],
            destination: MessageDestination = .email
        ) {
            self.categories = categories
            self.stages = stages
            self.among = among
            self.interests = interests
            self.destination = destination
        }

        func contains(categories subject: Set<String>, stage: String?) -> Bool {
            (categories.isEmpty || !categories.isDisjoint(with: subject)) && (stages.isEmpty || stage.map(stages.contains) == true)
        }
    }

    /// The subjects selected, split into those the message may go to and those it may not, with why.
    public struct Resolution: Sendable, Equatable {
        public var recipients: [(subject: UUID, ground: MarketingGround)]
        public var excluded: [(subject: UUID, refusal: MarketingRefusal)]

        public static func == (a: Resolution, b: Resolution) -> Bool {
            a.recipients.map(\.subject) == b.recipients.map(\.subject) && a.recipients.map(\.ground) == b.recipients.map(\.ground)
                && a.excluded.map(\.subject) == b.excluded.map(\.subject) && a.excluded.map(\.refusal) == b.excluded.map(\.refusal)
        }

        /// How many were excluded, by refusal code.
        public var exclusionCounts: [String: Int] {
            excluded.reduce(into: [:]) { $0[$1.refusal.code, default: 0] += 1 }
        }
    }

    /// Decides `question` for every selected subject, in the order of their ids. A selection that
    /// names no categories reaches the channel's whole audience.
    public func resolve(
        _ question: MarketingQuestion, selection: Selection, rule: MarketingPermissionRule, at instant: Date
    ) async throws -> Resolution {
        try await resolve(question, selection: selection, rule: rule, at: instant, scanning: true)
    }

    /// As `resolve`, read by name even on a SQLite file when `scanning` is false (the tests compare the two).
    func resolve(
        _ question: MarketingQuestion, selection: Selection, rule: MarketingPermissionRule, at instant: Date, scanning: Bool
    ) async throws -> Resolution {
        var reached = selection
        reached.categories = rule.audience(for: question, categories: selection.categories)
        return try await resolve(question, selection: reached, only: nil, scanning: scanning, rule: rule, at: instant)
    }

    /// Decides `question` for one subject now, as the send does just before each message, so a
    /// withdrawal or an unsubscribe since the campaign started is in force (issue 28 §3); nil when
    /// the subject is gone.
    public func decide(
        _ question: MarketingQuestion, for subject: UUID, rule: MarketingPermissionRule, at instant: Date
    ) async throws
        -> MarketingVerdict?
    {
        try await decide(question, for: [subject], rule: rule, at: instant)[subject]
    }

    /// Decides `question` for each of `subjects` now, in three queries whatever their number (a
    /// sender's batch); a subject that is gone has no verdict.
    /// A tailored campaign's `interests` are checked again too (an objection to the profiling since it started).
    public func decide(
        _ question: MarketingQuestion, for subjects: [UUID], interests: Set<String> = [], destination: MessageDestination = .email,
        rule: MarketingPermissionRule, at instant: Date
    ) async throws -> [UUID: MarketingVerdict] {
        guard !subjects.isEmpty else { return [:] }
        let resolution = try await resolve(
            question, selection: Selection(interests: interests, destination: destination), only: subjects, scanning: false, rule: rule,
            at: instant)
        var verdicts: [UUID: MarketingVerdict] = [:]
        for recipient in resolution.recipients { verdicts[recipient.subject] = .allowed(recipient.ground) }
        for excluded in resolution.excluded { verdicts[excluded.subject] = .refused(excluded.refusal) }
        return verdicts
    }

    /// Decides `campaign`'s message for each of `subjects` now, with its topics and destination.
    public func decide(
        _ campaign: Campaign, for subjects: [UUID], rule: MarketingPermissionRule, at instant: Date
    ) async throws -> [UUID: MarketingVerdict] {
        try await decide(
            campaign.question, for: subjects, interests: campaign.selection.interests, destination: campaign.selection.destination, rule: rule,
            at: instant)
    }

    private func resolve(
        _ question: MarketingQuestion, selection: Selection, only subjects: [UUID]?, scanning: Bool, rule: MarketingPermissionRule,
        at instant: Date
    ) async throws -> Resolution {
        let resolution: Resolution
        if subjects == nil, scanning, let scanned = try await scanWholeStore(question, selection: selection, rule: rule, at: instant) {
            resolution = scanned
        } else {
            let only = subjects.map { $0.map(\.storedText) }
            // Four reads at once on the reading connections; the subjects are decided once all four are in.
            async let reach = reach(by: question.medium, only: only)
            async let consenting = consentStates(purpose: question.purpose, only: only)
            async let objecting = objections(purpose: question.purpose, only: only)
            async let rows = self.subjects(only: only)
            let facts = try await AudienceFacts(reach: reach, consents: SubjectMap(consenting), objections: objecting)
            var decision = AudienceDecision(question, selection: selection, rule: rule, at: instant, facts: facts)
            for row in try await rows { decision.consider(try SubjectFacts(row: row)) }
            // Read in storage order (a scan, not a walk of the id index with a lookup per row); answered in id order.
            resolution = AudienceDecision.joined([decision.resolution])
        }
        guard !selection.interests.isEmpty else { return resolution }
        return try await tailored(resolution, to: selection.interests, rule: rule.tailoring, at: instant)
    }

    /// Of `resolution`'s recipients, those the tailoring rule lets be chosen for `topics` (OEX-24):
    /// their objection to the profiling purpose and consent to it read together, then the interests of
    /// those still in, opened together and audited as one read each; the rest move to the excluded.
    private func tailored(_ resolution: Resolution, to topics: Set<String>, rule: TailoringRule, at instant: Date) async throws -> Resolution {
        guard let purpose = rule.purpose, !resolution.recipients.isEmpty else {
            return Resolution(recipients: [], excluded: resolution.excluded + resolution.recipients.map { ($0.subject, .notInterested) })
        }
        let only = resolution.recipients.map { $0.subject.storedText }
        let consents = try await consentStates(purpose: purpose.id, only: only)
        let objections = try await objections(purpose: purpose.id, only: only)
        let asked = Set(topics.map { $0.lowercased() })
        var result = Resolution(recipients: [], excluded: resolution.excluded)
        var reads: [AuditRecord] = []
        var open: [(subject: UUID, ground: MarketingGround, state: SubjectState)] = []
        for (subject, ground) in resolution.recipients {
            let state = SubjectState(consents: consents[subject] ?? ConsentState(), objections: objections[subject].map { [purpose.id: $0] } ?? [:])
            // Nothing is opened for someone the profiling may not touch.
            if let refusal = rule.refusal(for: state, interests: asked, asked: asked), refusal != .notInterested {
                result.excluded.append((subject, refusal))
            } else {
                open.append((subject, ground, state))
            }
        }
        let opened = try await vault.openValues(of: open.map(\.subject)) { _, origin in
            origin.purpose == purpose.id && Fideslang.key(origin.category, isWithin: "user.profiling")
        }
        for (subject, ground, state) in open {
            // Someone erased since they were decided has nothing left to choose them by.
            let values = try opened[subject]?.get() ?? []
            if !values.isEmpty {
                reads.append(PersonalDataVault.valuesRead(values, of: subject, purpose: purpose.id, actor: "campaign-audience", at: instant))
            }
            let interests = values.reduce(into: Set<String>()) { $0.formUnion(TailoringRule.topics($1.value)) }
            if let refusal = rule.refusal(for: state, interests: interests, asked: asked) {
                result.excluded.append((subject, refusal))
            } else {
                result.recipients.append((subject, ground))
            }
        }
        if !reads.isEmpty { try await vault.journal.commit(JournalUnit(audit: reads)) }
        return result
    }

    /// How each subject with an identifier of `medium`'s kind or an account can be reached, by
    /// subject id; a subject with two addresses is suppressed (or barred) if either is.
    private func reach(by medium: MarketingMedium, only: [String]?) async throws -> SubjectMap<Reach> {
        let kind = medium.identifierKind?.rawValue ?? IdentifierKind.account.rawValue
        let (filter, ids) = BulkBind.membership("i.subject_id", only, and: true)
        var reach = SubjectMap<Reach>()
        // One scan of the identifiers with a lookup in the (smaller) lists, rather than three joins per subject;
        // for post only accounts are read, and no list is looked up.
        for row in try await vault.database.bulkRows(
            """
            SELECT i.subject_id, i.kind, x.kind AS suppression, b.list AS barring FROM subject_identifiers i
            LEFT JOIN suppressions x ON x.digest = i.digest AND i.kind = ?
            LEFT JOIN call_barring b ON b.digest = i.digest AND i.kind = ? AND ? = 1
            WHERE i.kind IN (?, 'account') \(filter)
            """, bindings: [.text(medium.identifierKind?.rawValue ?? ""), .text(kind), .integer(medium == .phone ? 1 : 0), .text(kind)] + ids)
        {
            let text = try row.text("subject_id")
            let id = try UUID(canonical: text).stored(in: "subject_identifiers", row: text, column: "subject_id")
            let kind = IdentifierKind(rawValue: try row.text("kind"))
            let suppression = try row.optionalText("suppression").map {
                try SuppressionReason(rawValue: $0).stored(in: "suppressions", row: text, column: "kind")
            }
            let barring = try row.optionalText("barring").map { try CallBarring(rawValue: $0).stored(in: "call_barring", row: text, column: "list") }
            reach.update(id, default: Reach()) { $0.add(kind: kind, for: medium, suppression: suppression, barring: barring) }
        }
        return reach
    }

    /// Every subject (or those in `only`) with what the permission rule reads of them, in storage order.
    private func subjects(only: [String]?) async throws -> [BulkRow] {
        let (filter, ids) = BulkBind.membership("id", only)
        // Read straight from SQLite's rows (BulkRow): decoding each column through SQLKit was most of the time over 100,000 people.
        return try await vault.database.bulkRows("SELECT \(Self.subjectColumns) FROM subjects \(filter)", bindings: ids)
    }

    /// The columns of a subject's row a decision reads (`SubjectFacts`), in the order the scan reads them by position.
    static let subjectColumns =
        "id, categories, stage, is_child, restricted, marketing_objection_us, obtained, obtained_source, refusal_offered, subscriber, marketing_paused_until_us"

    /// The subjects a digest of `purpose` is due for at `instant` (CAM-23): each at the frequency they
    /// chose, or else `default`, counted from the start of the last campaign of that purpose that
    /// queued or sent them one.
    public func dueForDigest(of purpose: String, default frequency: DigestFrequency, at instant: Date) async throws -> Set<UUID> {
        var due: Set<UUID> = []
        for row in try await vault.sql.raw(
            """
            SELECT s.id, s.digest_frequency, MAX(c.started_us) AS last FROM subjects s
            LEFT JOIN campaign_messages m ON m.subject_id = s.id AND m.state IN ('queued', 'sent')
            LEFT JOIN campaigns c ON c.id = m.campaign_id AND c.purpose = \(bind: purpose)
            GROUP BY s.id, s.digest_frequency
            """
        ).all() {
            let id = try row.decode(column: "id", as: String.self)
            let chosen = try row.decode(column: "digest_frequency", as: String?.self).map {
                try DigestFrequency(rawValue: $0).stored(in: "subjects", row: id, column: "digest_frequency")
            }
            let last = try row.decode(column: "last", as: Int64?.self).map(Date.init(microseconds:))
            if (chosen ?? frequency).isDue(last: last, at: instant) {
                due.insert(try UUID(canonical: id).stored(in: "subjects", row: id, column: "id"))
            }
        }
        return due
    }

    /// The subjects whose consent to `purpose` stands now (nil: none).
    public func consenting(to purpose: String?) async throws -> Set<UUID> {
        guard let purpose else { return [] }
        return Set(
            try await consentStates(purpose: purpose, only: nil).filter { $0.value.status(purpose: purpose).isGranted }.keys)
    }

    /// Each subject's consents to `purpose`, by subject id.
    private func consentStates(purpose: String, only: [String]?) async throws -> [UUID: ConsentState] {
        var states: [UUID: ConsentState] = [:]
        let (filter, ids) = BulkBind.membership("holder", only, and: true)
        for row in try await vault.database.bulkRows(
            """
            SELECT \(Self.consentColumns) FROM consent_events WHERE holder_kind = 'subject' AND purpose = ? \(filter) ORDER BY seq
            """, bindings: [.text(purpose)] + ids)
        {
            let holder = try row.text("holder")
            guard let id = UUID(canonical: holder) else { continue }
            states[id, default: ConsentState()].apply(
                ConsentScope(purpose: purpose, recipient: try row.optionalText("recipient"), channel: try row.optionalText("channel")),
                granted: try row.text("action") == ConsentAction.granted.rawValue, at: Date(microseconds: try row.integer("recorded_us")))
        }
        return states
    }

    /// What a status reads of a consent event, in the order the scan reads them by position.
    static let consentColumns = "holder, recipient, channel, action, recorded_us"

    /// Each subject's objection to `purpose`, by subject id.
    private func objections(purpose: String, only: [String]?) async throws -> [UUID: Objection] {
        var objections: [UUID: Objection] = [:]
        let (filter, ids) = BulkBind.membership("subject_id", only, and: true)
        for row in try await vault.database.bulkRows(
            "SELECT subject_id, at_us, compelling_grounds FROM objections WHERE purpose = ? \(filter)", bindings: [.text(purpose)] + ids)
        {
            let id = try row.text("subject_id")
            objections[try UUID(canonical: id).stored(in: "objections", row: id, column: "subject_id")] = Objection(
                at: Date(microseconds: try row.integer("at_us")), compellingGrounds: try row.optionalText("compelling_grounds"))
        }
        return objections
    }
}

extension MarketingMedium {
    /// The identifier an address or number of this medium is indexed by; nil for post.
    var identifierKind: IdentifierKind? {
        switch self {
        case .email: .email
        case .sms, .phone: .phone
        case .post: nil
        }
    }
}
