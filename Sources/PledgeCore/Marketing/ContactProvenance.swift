/// How a person's contact details came to the organisation, which is what PECR's permissions turn on
/// (issue 28 §1): the soft opt-in needs details obtained in a sale or negotiations with a chance to
/// refuse (reg 22(3)), the corporate-subscriber rule a company's address (reg 22 protects individual
/// subscribers only), and a bought-in list gives no permission of its own (ICO direct marketing guidance).
public struct ContactProvenance: Codable, Sendable, Equatable {
    /// How the details were obtained.
    public var obtained: ContactOrigin
    /// The declared source they came from (`sources[].id`), when known.
    public var source: String?
    /// Whether the person was given a simple way to refuse marketing when the details were collected
    /// (PECR reg 22(3)(c)).
    public var refusalOffered: Bool
    /// What kind of subscriber the address or number belongs to.
    public var subscriber: SubscriberKind

    public init(obtained: ContactOrigin, source: String? = nil, refusalOffered: Bool = false, subscriber: SubscriberKind = .individual) {
        self.obtained = obtained
        self.source = source
        self.refusalOffered = refusalOffered
        self.subscriber = subscriber
    }
}

/// How contact details were obtained.
public enum ContactOrigin: String, Codable, Sendable, CaseIterable {
    /// In the course of a sale of a product or service (PECR reg 22(3)(a)).
    case sale
    /// In negotiations for a sale: a quote asked for, a trial (reg 22(3)(a)).
    case negotiation
    /// A charity's supporter, or someone who expressed an interest in its purposes (reg 22(3A), DUAA 2025 s.114).
    case supporter
    /// Given to sign up for messages: consent is what counts.
    case signup
    /// Given with a question or a request.
    case enquiry
    /// From a list bought or rented from another organisation.
    case boughtIn = "bought_in"
    case other
}

/// The kind of subscriber an address or number belongs to (PECR reg 2).
public enum SubscriberKind: String, Codable, Sendable, CaseIterable {
    case individual
    /// A company, LLP, Scottish partnership or public body.
    case corporate
    /// Individual subscribers under PECR, though in business.
    case soleTrader = "sole_trader"
    case partnership

    /// Whether PECR reg 22's protection of individual subscribers applies.
    public var isIndividualSubscriber: Bool { self != .corporate }
}
