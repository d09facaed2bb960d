import Foundation

/// A data-subject request or complaint, from intake to proof of completion (C28, C29, C40).
/// A value: `applying(_:at:clock:)` returns the next case or refuses, so a refused action changes nothing.
public struct RequestCase: Sendable, Equatable, Codable {
    public var id: UUID
    public var kind: RequestKind
    public var state: CaseState
    public var channel: IntakeChannel
    public var relation: RequesterRelation
    /// The subject the request is about, once known.
    public var subject: UUID?
    public var timing: CaseTiming
    public var verifiedBy: VerificationRoute?
    /// The reasonable doubt recorded before documents were asked for.
    public var documentsReason: String?
    public var documentsDeleted: Bool
    public var extensionReasons: String?
    /// Recorded when the request is manifestly unfounded or excessive; the only way to a fee.
    public var excessiveReasons: String?
    public var feePence: Int
    public var acknowledgedAt: Date?
    public var outcome: String?
    public var withheld: [Withholding]
    public var refusalGround: RefusalGround?
    public var refusalReason: String?
    public var closedAt: Date?

    /// A new case. Requests that need identity start by waiting for it unless it was confirmed at intake
    /// (a signed-in session, a known contact: C29).
    public init(
        id: UUID = UUID(), kind: RequestKind, channel: IntakeChannel, relation: RequesterRelation = .subject,
        subject: UUID? = nil, receivedAt: Date, verifiedBy: VerificationRoute? = nil
    ) {
        self.id = id
        self.kind = kind
        self.channel = channel
        self.relation = relation
        self.subject = subject
        self.timing = CaseTiming(receivedAt: receivedAt)
        self.verifiedBy = verifiedBy
        self.state = kind.needsVerification && verifiedBy == nil ? .awaitingVerification : .inProgress
        self.documentsDeleted = false
        self.feePence = 0
        self.withheld = []
    }

    /// The case after `action` at `instant`, or the reason it cannot be done.
    public func applying(_ action: CaseAction, at instant: Date, clock: StatutoryClock) throws(CaseRefusal) -> RequestCase {
        var next = self
        func require(_ states: CaseState...) throws(CaseRefusal) {
            guard states.contains(state) else { throw .transition(action: action.name, state: state) }
        }
        func requireStatutoryMonth() throws(CaseRefusal) {
            guard kind.hasStatutoryMonth else { throw .notForKind(action: action.name, kind: kind) }
        }
        func requireText(_ text: String?, _ what: String) throws(CaseRefusal) {
            guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .reasonMissing(what) }
        }
        switch action {
        case .verify(let route, let note):
            try require(.awaitingVerification)
            if relation != .subject {
                // ICO, "Right of access: requests made on behalf of others": the controller must be
                // satisfied the third party is entitled to act; for a child, whether the child can act
                // for themselves (in Scotland presumed from 12, DPA 2018 s.208).
                try requireText(
                    note,
                    "verifying a request made for someone else (the authority seen: a signed authority, a power of attorney, or parental responsibility and why the child cannot act alone)"
                )
            }
            next.verifiedBy = route
            // Art 12A(2)(b): the month runs from receipt of information the controller asked for under
            // Art 12(6) to confirm identity: documents asked for with a recorded reasonable doubt, or the
            // privacy centre's confirmation link sent to an unknown sender. Staff satisfied without asking
            // for anything leave the month running from receipt (issue 26 §9).
            if documentsReason != nil || (channel == .privacyCentre && route == .emailLink) {
                next.timing.startsAt = instant
            }
            next.state = .inProgress
        case .askForDocuments(let reason):
            try requireStatutoryMonth()
            try require(.awaitingVerification, .inProgress)
            try requireText(reason, "asking for documents (the reasonable doubt about identity)")
            next.documentsReason = reason
            next.verifiedBy = nil
            next.state = .awaitingVerification
        case .documentsDeleted:
            guard documentsReason != nil, !documentsDeleted else { throw .transition(action: action.name, state: state) }
            next.documentsDeleted = true
        case .askForClarification(let question):
            try requireStatutoryMonth()
            try require(.inProgress)
            try requireText(question, "asking for clarification (the question)")
            next.timing.pauses.append(ClockPause(from: instant))
            next.state = .awaitingClarification
        case .clarified:
            try require(.awaitingClarification)
            next.timing.pauses[next.timing.pauses.count - 1].until = instant
            next.state = .inProgress
        case .extend(let months, let reasons):
            try requireStatutoryMonth()
            try require(.inProgress, .awaitingClarification)
            try clock.checkExtension(months: months, reasons: reasons, for: timing, at: instant)
            next.timing.extensionMonths += months
            next.extensionReasons = [extensionReasons, reasons].compactMap { $0 }.joined(separator: "\n")
        case .markExcessive(let reasons):
            try requireStatutoryMonth()
            try require(.awaitingVerification, .inProgress, .awaitingClarification)
            try requireText(reasons, "recording the request as manifestly unfounded or excessive")
            next.excessiveReasons = reasons
        case .chargeFee(let pence):
            try require(.inProgress)
            guard excessiveReasons != nil else { throw .feeNotAllowed }  // Art 12(5)
            guard pence > 0 else { throw .feeInvalid }
            next.feePence = pence
            next.state = .awaitingFee
        case .feePaid:
            try require(.awaitingFee)
            next.timing.startsAt = instant  // Art 12A(2)(c)
            next.state = .inProgress
        case .acknowledge:
            guard kind == .complaint else { throw .notForKind(action: action.name, kind: kind) }
            try require(.inProgress)
            next.acknowledgedAt = instant
            next.state = .acknowledged
        case .complete(let outcome, let withheld):
            try require(.inProgress, .acknowledged)
            try requireText(outcome, "completing the case (the outcome sent to the requester)")
            for item in withheld { try requireText(item.detail, "withholding data (what is kept back)") }
            next.outcome = outcome
            next.withheld = withheld
            next.close(as: .completed, at: instant)
        case .refuse(let ground, let reason):
            guard state.isOpen else { throw .transition(action: action.name, state: state) }
            try requireText(reason, "the refusal")  // Art 12(4): reasons, and the right to complain
            next.refusalGround = ground
            next.refusalReason = reason
            next.close(as: .refused, at: instant)
        case .withdraw:
            guard state.isOpen else { throw .transition(action: action.name, state: state) }
            next.close(as: .withdrawn, at: instant)
        }
        return next
    }

    private mutating func close(as final: CaseState, at instant: Date) {
        if let last = timing.pauses.indices.last, timing.pauses[last].until == nil { timing.pauses[last].until = instant }
        state = final
        closedAt = instant
    }

    /// The due date: the statutory month, or for a complaint the day its acknowledgement is due.
    public func dueOn(clock: StatutoryClock, at now: Date) -> CalendarDate {
        guard kind.hasStatutoryMonth else { return clock.acknowledgementDue(receivedAt: timing.receivedAt) }
        return clock.deadline(timing, at: now).dueOn
    }

    /// How close the case is to its due date; nil once closed (or a complaint acknowledged).
    public func urgency(clock: StatutoryClock, at now: Date) -> Urgency? {
        guard state.isOpen, state != .acknowledged else { return nil }
        if kind == .complaint {
            if clock.day(of: now) > dueOn(clock: clock, at: now) { return .overdue }
            return clock.acknowledgementEscalates(receivedAt: timing.receivedAt, at: now) ? .dueSoon : .onTrack
        }
        return clock.urgency(clock.deadline(timing, at: now), at: now)
    }
}
