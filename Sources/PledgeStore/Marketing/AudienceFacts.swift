import Foundation
import PledgeCore

/// What a marketing decision reads of one subject's own row (`MarketingAudience.subjectColumns`).
struct SubjectFacts {
    var id: UUID
    var categories: Set<String>
    var stage: String?
    var isChild: Bool
    var restricted: Bool
    var marketingObjection: Date?
    var provenance: ContactProvenance?
    var pausedUntil: Date?
}

extension SubjectFacts {
    /// The facts in a row read by name.
    init(row: BulkRow) throws {
        let id = try row.text("id")
        self.id = try UUID(canonical: id).stored(in: "subjects", row: id, column: "id")
        categories = Set(try row.text("categories").splitList)
        stage = try row.optionalText("stage")
        isChild = try row.bool("is_child")
        restricted = try row.bool("restricted")
        marketingObjection = try row.optionalInteger("marketing_objection_us").map(Date.init(microseconds:))
        provenance = try ContactProvenance(row: row, subject: id)
        pausedUntil = try row.optionalInteger("marketing_paused_until_us").map(Date.init(microseconds:))
    }
}

/// What the vault holds about reaching a subject by one medium: an identifier for it, the
/// suppression and (for calls) the call-barring list one of those identifiers is on, and an account.
struct Reach: Sendable {
    var reachable = false
    var suppression: SuppressionReason?
    var barring: CallBarring?
    var hasAccount = false

    /// Adds one identifier of kind `kind`, with the lists its digest is on, to what is known of reaching them by `medium`;
    /// a subject with two addresses is suppressed (or barred) if either is.
    mutating func add(kind: IdentifierKind?, for medium: MarketingMedium, suppression: SuppressionReason?, barring: CallBarring?) {
        if kind == .account { hasAccount = true }
        guard let kind, kind == medium.identifierKind else { return }
        reachable = true
        if let suppression { self.suppression = suppression }
        if let barring { self.barring = barring }
    }
}

/// Everything a decision reads besides the subject's own row, by subject id: read first, then each
/// subject is decided as their row is read.
struct AudienceFacts: Sendable {
    var reach = SubjectMap<Reach>()
    var consents = SubjectMap<ConsentState>()
    var objections: [UUID: Objection] = [:]
}

/// Decides subjects one at a time, as their rows are read, into a resolution in reading order.
/// One of these runs per reading thread; their resolutions are joined and put in id order after.
struct AudienceDecision {
    let selection: MarketingAudience.Selection
    /// The rule with the question's channel found once, not per person.
    let rule: MarketingPermissionRule.Asked
    let instant: Date
    let facts: AudienceFacts
    var resolution = MarketingAudience.Resolution(recipients: [], excluded: [])

    init(
        _ question: MarketingQuestion, selection: MarketingAudience.Selection, rule: MarketingPermissionRule, at instant: Date,
        facts: AudienceFacts
    ) {
        (self.selection, self.rule, self.instant, self.facts) = (selection, rule.asking(question), instant, facts)
    }

    /// Decides `subject` when the selection takes them; anyone it does not take is left out.
    mutating func consider(_ subject: SubjectFacts) {
        guard selection.contains(categories: subject.categories, stage: subject.stage) else { return }
        if let among = selection.among, !among.contains(subject.id) { return }
        let state = SubjectState(
            categories: subject.categories, consents: facts.consents[subject.id] ?? ConsentState(),
            objections: facts.objections.isEmpty ? [:] : facts.objections[subject.id].map { [rule.question.purpose: $0] } ?? [:],
            marketingObjection: subject.marketingObjection,
            restricted: subject.restricted, legalHold: false, isChild: subject.isChild)
        let found = facts.reach[subject.id]
        let contact = MarketingContact(
            state: state, provenance: subject.provenance, suppression: found?.suppression, barring: found?.barring,
            reachable: rule.question.medium.identifierKind == nil || found?.reachable == true, pausedUntil: subject.pausedUntil)
        let hasInbox = selection.destination == .email || found?.hasAccount == true
        switch rule.decide(for: contact, at: instant) {
        case .allowed where !hasInbox: resolution.excluded.append((subject.id, .noInbox))
        case .allowed(let ground): resolution.recipients.append((subject.id, ground))
        case .refused(let refusal): resolution.excluded.append((subject.id, refusal))
        }
    }

    /// The resolutions of several readers as one, in id order.
    static func joined(_ parts: [MarketingAudience.Resolution]) -> MarketingAudience.Resolution {
        var joined = MarketingAudience.Resolution(recipients: parts.flatMap(\.recipients), excluded: parts.flatMap(\.excluded))
        joined.recipients.sort { $0.subject < $1.subject }
        joined.excluded.sort { $0.subject < $1.subject }
        return joined
    }
}
