/// Something done to a request. Each is checked against the case's state and kind, and recorded.
public enum CaseAction: Sendable, Equatable {
    /// Identity confirmed: the month starts again from today (Art 12A(2)(b)).
    case verify(VerificationRoute, note: String?)
    /// A staff document check asked for, with the reasonable doubt that justifies it (C29; Recital 64).
    case askForDocuments(reason: String)
    /// The ID copies seen are deleted after the check; recorded so the deletion is provable.
    case documentsDeleted
    /// Ask the requester what they mean; stops the clock (Art 12A(3)).
    case askForClarification(question: String)
    case clarified
    /// Up to two further months for complexity or number of requests, with reasons (Art 12(3)).
    case extend(months: Int, reasons: String)
    /// Record the request as manifestly unfounded or excessive, with reasons (Art 12(5)).
    case markExcessive(reasons: String)
    /// A reasonable fee, in pence, for a request recorded as excessive (Art 12(5)(a)).
    case chargeFee(pence: Int)
    case feePaid
    /// A complaint's receipt acknowledged (DPA 2018 s.164A(3)(a)).
    case acknowledge(note: String?)
    /// Done; anything held back is listed with its ground.
    case complete(outcome: String, withheld: [Withholding])
    case refuse(RefusalGround, reason: String)
    case withdraw

    /// The action's name in the case history and the API.
    public var name: String {
        switch self {
        case .verify: "verify"
        case .askForDocuments: "ask_for_documents"
        case .documentsDeleted: "documents_deleted"
        case .askForClarification: "ask_for_clarification"
        case .clarified: "clarified"
        case .extend: "extend"
        case .markExcessive: "mark_excessive"
        case .chargeFee: "charge_fee"
        case .feePaid: "fee_paid"
        case .acknowledge: "acknowledge"
        case .complete: "complete"
        case .refuse: "refuse"
        case .withdraw: "withdraw"
        }
    }
}
