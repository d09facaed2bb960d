/// Why an action on a request was refused; each has a stable code and never changes the case.
public enum CaseRefusal: Error, Sendable, Equatable {
    case transition(action: String, state: CaseState)
    case notForKind(action: String, kind: RequestKind)
    case extensionTooLong(already: Int)
    case extensionTooLate(firstMonthEnded: CalendarDate)
    case reasonMissing(String)
    case feeNotAllowed
    case feeInvalid

    public var code: String {
        switch self {
        case .transition: "case.transition-invalid"
        case .notForKind: "case.action-not-for-kind"
        case .extensionTooLong: "case.extension-too-long"
        case .extensionTooLate: "case.extension-too-late"
        case .reasonMissing: "case.reason-missing"
        case .feeNotAllowed: "case.fee-not-allowed"
        case .feeInvalid: "case.fee-invalid"
        }
    }

    public var message: String {
        switch self {
        case .transition(let action, let state):
            "A case that is \(state.rawValue.replacingOccurrences(of: "_", with: " ")) cannot be given '\(action)'."
        case .notForKind(let action, let kind):
            "'\(action)' does not apply to a \(kind.rawValue.replacingOccurrences(of: "_", with: " ")) case."
        case .extensionTooLong(let already):
            "An extension adds one or two months in all (UK GDPR Art 12(3)); this case has \(already) already."
        case .extensionTooLate(let end):
            "An extension must be recorded, and the requester told, within the first month, which ended on \(end) (UK GDPR Art 12(3))."
        case .reasonMissing(let what):
            "Give the reasons for \(what); they are sent to the requester."
        case .feeNotAllowed:
            "A request is free; a fee may be charged only once it is recorded as manifestly unfounded or excessive (UK GDPR Art 12(5))."
        case .feeInvalid:
            "A fee is a whole number of pence, more than zero."
        }
    }
}
