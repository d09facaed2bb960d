/// Which purposes a key may use (C07, C23).
///
/// A key limited to purposes may use nothing beyond them (UK GDPR Art 5(1)(b)). A processor acts
/// only on the controller's documented instructions (Art 28(3)(a)): its key works only while the
/// declared contract with that recipient is in force, and only for the purposes it is declared to
/// serve (the recipient lists the purpose, or the purpose lists the recipient).
public enum PurposeAccess {
    /// Why a key of `role`, limited to `scopedTo` when set, may not use `purpose`; nil when it may.
    public static func refusal(
        role: Role, scopedTo: [String]?, keyName: String, purpose: String, in declaration: Declaration
    ) -> PurposeAccessRefusal? {
        if let scopedTo, !scopedTo.contains(purpose) { return .outsideScope(key: keyName, scope: scopedTo) }
        guard case .processor(let name) = role else { return nil }
        let recipient = declaration.recipients?.first { $0.id == name }
        let declaredPurpose = declaration.purposes.first { $0.id == purpose }
        let serves = recipient?.purposes?.contains(purpose) == true || declaredPurpose?.recipients?.contains(name) == true
        return serves ? nil : .notServedByProcessor(processor: name, purpose: purpose)
    }

    /// Why a key of `role` may not act at all on `day`: a processor whose declared contract is not
    /// in force (Art 28(3): when the contract ends, so does access); nil when it may.
    public static func contractRefusal(role: Role, in declaration: Declaration?, on day: CalendarDate) -> PurposeAccessRefusal? {
        guard case .processor(let name) = role else { return nil }
        let recipient = declaration?.recipients?.first { $0.id == name }
        guard let recipient, recipient.kind == .processor, recipient.contract?.isInForce(on: day) == true else {
            return .contractNotInForce(processor: name)
        }
        return nil
    }
}

/// Why a key may not use a purpose, or may not act at all; nothing was done.
public enum PurposeAccessRefusal: Error, Equatable, Sendable {
    case outsideScope(key: String, scope: [String])
    case notServedByProcessor(processor: String, purpose: String)
    case contractNotInForce(processor: String)

    /// The stable error code.
    public var code: String {
        switch self {
        case .outsideScope, .notServedByProcessor: "auth.purpose"
        case .contractNotInForce: "auth.contract-ended"
        }
    }

    /// What the caller is told.
    public var message: String {
        switch self {
        case .outsideScope(let key, let scope): "Key '\(key)' may use only: \(scope.joined(separator: ", "))."
        case .notServedByProcessor(let processor, let purpose): "Processor '\(processor)' is not declared for purpose '\(purpose)'."
        case .contractNotInForce(let processor): "The processor contract for '\(processor)' is not in force, so its key does not work."
        }
    }
}
