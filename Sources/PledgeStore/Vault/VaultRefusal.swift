/// A vault operation refused because of the stored state; nothing was changed.
public enum VaultRefusal: Error, Equatable, CustomStringConvertible {
    case subjectNotFound
    case identifierTaken(String)
    case legalHold

    public var code: String {
        switch self {
        case .subjectNotFound: "subject.not-found"
        case .identifierTaken: "subject.identifier-taken"
        case .legalHold: "subject.legal-hold"
        }
    }

    public var description: String {
        switch self {
        case .subjectNotFound: "No such subject (it may have been erased)."
        case .identifierTaken(let kind): "Another subject already has this \(kind)."
        case .legalHold: "The subject's data is under a legal hold and cannot be erased until the hold ends (UK GDPR Art 17(3)(e))."
        }
    }
}
