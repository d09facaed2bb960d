import Foundation

/// Why a breach, or a change to one, is refused; nothing is stored.
public enum BreachRefusal: Error, Sendable, Equatable {
    /// The ICO clock runs from awareness (Art 33(1)): a breach needs it.
    case awarenessMissing
    /// Awareness cannot be after the moment it is recorded.
    case awarenessInFuture
    /// Facts are what the register is for (Art 33(5)).
    case factsMissing
    case notFound
    /// The ICO was told already.
    case alreadyNotified
    /// After 72 hours the notification must come with the reasons for the delay (Art 33(1)).
    case latenessReasonMissing
    /// A notification cannot be before the breach was known of, nor in the future.
    case notificationTimeInvalid
    /// Telling the people concerned follows an assessment of high risk (Art 34(1)).
    case individualsNotRequired
    /// A risk assessment needs its reasoning (Art 5(2), accountability).
    case reasoningMissing
    /// The people concerned were told already: the notice goes once.
    case individualsAlreadyNotified
    /// The notice lacks what Art 34(2) requires (the missing parts named).
    case noticeIncomplete([String])

    public var code: String {
        switch self {
        case .awarenessMissing: "breach.awareness-missing"
        case .awarenessInFuture: "breach.awareness-in-future"
        case .factsMissing: "breach.facts-missing"
        case .notFound: "breach.not-found"
        case .alreadyNotified: "breach.already-notified"
        case .latenessReasonMissing: "breach.lateness-reason-missing"
        case .notificationTimeInvalid: "breach.notification-time-invalid"
        case .individualsNotRequired: "breach.individuals-not-required"
        case .reasoningMissing: "breach.reasoning-missing"
        case .individualsAlreadyNotified: "breach.individuals-already-notified"
        case .noticeIncomplete: "breach.notice-incomplete"
        }
    }

    public var message: String {
        switch self {
        case .awarenessMissing: "Give awareAt: when you became aware of the breach. The ICO's 72 hours run from then (UK GDPR Art 33(1))."
        case .awarenessInFuture: "awareAt is in the future."
        case .factsMissing: "Describe what happened: the register keeps the facts of every breach (UK GDPR Art 33(5))."
        case .notFound: "No such breach."
        case .alreadyNotified: "The ICO notification of this breach is recorded already."
        case .latenessReasonMissing: "More than 72 hours after awareness, the notification must give the reasons for the delay (UK GDPR Art 33(1))."
        case .notificationTimeInvalid: "The notification time is before awareness of the breach, or in the future."
        case .individualsNotRequired: "The people concerned are told of a breach assessed as high risk (UK GDPR Art 34(1)); assess it first."
        case .reasoningMissing: "A risk assessment needs its reasoning (UK GDPR Art 5(2))."
        case .individualsAlreadyNotified: "The people concerned have been told of this breach already."
        case .noticeIncomplete(let missing):
            "The notice to the people concerned must give \(missing.joined(separator: ", ")) (UK GDPR Art 34(2)); add them to the breach first."
        }
    }
}

extension Breach {
    /// A new breach, checked: refused without awareness or facts, or with awareness after `instant`.
    public static func recorded(
        awareAt: Date?, facts: String, categories: [String], reportedBy: String, at instant: Date, approximateSubjects: Int? = nil,
        approximateRecords: Int? = nil, consequences: String? = nil, measures: String? = nil
    ) throws(BreachRefusal) -> Breach {
        guard let awareAt else { throw .awarenessMissing }
        guard awareAt <= instant else { throw .awarenessInFuture }
        guard !facts.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .factsMissing }
        return Breach(
            awareAt: awareAt, reportedBy: reportedBy, recordedAt: instant, facts: facts, categories: categories,
            approximateSubjects: approximateSubjects, approximateRecords: approximateRecords, consequences: consequences, measures: measures)
    }

    /// This breach with its risk assessed and, where given, its likely consequences and measures as
    /// now understood (Art 33(3)(c), (d); Art 33(4) allows the information in phases).
    public func assessed(
        _ risk: BreachRisk, reasoning: String, consequences: String? = nil, measures: String? = nil
    ) throws(BreachRefusal) -> Breach {
        guard !reasoning.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .reasoningMissing }
        var breach = self
        breach.risk = risk
        breach.riskReasoning = reasoning
        if let consequences, !consequences.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { breach.consequences = consequences }
        if let measures, !measures.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { breach.measures = measures }
        return breach
    }

    /// This breach with the ICO told at `notifiedAt` (checked at `instant`); after 72 hours only with
    /// the reasons for the delay (Art 33(1)).
    public func notifiedToICO(
        at notifiedAt: Date, reference: String?, latenessReason: String?, checkedAt instant: Date
    ) throws(BreachRefusal)
        -> Breach
    {
        guard icoNotifiedAt == nil else { throw .alreadyNotified }
        guard notifiedAt >= awareAt, notifiedAt <= instant else { throw .notificationTimeInvalid }
        let reason = latenessReason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if notifiedAt > icoDue, reason?.isEmpty ?? true { throw .latenessReasonMissing }
        var breach = self
        breach.icoNotifiedAt = notifiedAt
        breach.icoReference = reference
        breach.latenessReason = notifiedAt > icoDue ? reason : nil
        return breach
    }

    /// This breach with the people concerned told at `notifiedAt`: only after a high-risk assessment (Art 34(1)), and once.
    public func notifiedToIndividuals(at notifiedAt: Date, checkedAt instant: Date) throws(BreachRefusal) -> Breach {
        guard risk == .high else { throw .individualsNotRequired }
        guard individualsNotifiedAt == nil else { throw .individualsAlreadyNotified }
        guard notifiedAt >= awareAt, notifiedAt <= instant else { throw .notificationTimeInvalid }
        var breach = self
        breach.individualsNotifiedAt = notifiedAt
        return breach
    }
}
