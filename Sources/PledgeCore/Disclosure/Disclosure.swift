import Foundation

/// A disclosure of personal data outside the declared everyday flows (issue 29 §3; C22, C25): a
/// request from the police, a regulator, a court, a rights holder, or a party the register names,
/// recorded with how the requester was verified, the legal ground and the necessity assessment,
/// approved by someone other than the person who logged it, and released minimised to the data
/// categories asked for. Its rules are here; `DisclosureRegister` (Store) keeps it.
public struct Disclosure: Sendable, Equatable, Identifiable {
    public enum State: String, Sendable, CaseIterable {
        /// Logged, waiting for a second person's decision.
        case pending
        case approved
        case refused
        /// The data set went out.
        case released
    }

    public let id: UUID
    public let requester: DisclosureRequester
    /// The organisation asking (a police force, a regulator, a court, a firm): never a private person's name.
    public let requesterName: String
    /// The declared recipient it goes to, when the register names one.
    public let recipient: String?
    /// ISO 3166-1 alpha-2 country of the requester; GB unless said.
    public let country: String
    /// How the requester's identity and authority were checked (a call back to the force's switchboard…).
    public let verification: String
    public let ground: DisclosureGround
    /// The statute, order or reference the ground rests on (required for a legal obligation).
    public let reference: String?
    /// The international agreement (a mutual legal assistance treaty) a foreign authority's request rests on (Art 48).
    public let agreement: String?
    /// Why the data is necessary, and for the crime and claims exemptions why not giving it would prejudice them.
    public let necessity: String
    /// The data categories asked for and justified: the release carries nothing else.
    public let categories: [String]
    public let subjects: [UUID]
    public let loggedBy: String
    public let loggedAt: Date
    /// For a business buyer's data room: why direct identifiers must go too. Without it the release
    /// leaves them out and names people by pseudonyms (C26).
    public var identifiedBecause: String?
    /// True when the recipient is a prospective buyer of the business (C26, OEX-52).
    public var isDataRoom = false
    /// The form of data the recipient receives (APX-17, APX-60): an aggregate release holds counts only.
    public var form: RecipientDataForm = .identified
    public var state: State = .pending
    public var decidedBy: String?
    public var decidedAt: Date?
    public var decisionNote: String?
    public var releasedAt: Date?
    /// For a data room: the business sold, who holds the data now and from when (C26).
    public var saleCompletion: SaleCompletion?

    public init(
        id: UUID = UUID(), requester: DisclosureRequester, requesterName: String, recipient: String?, country: String, verification: String,
        ground: DisclosureGround, reference: String?, agreement: String?, necessity: String, categories: [String], subjects: [UUID],
        loggedBy: String, loggedAt: Date
    ) {
        self.id = id
        self.requester = requester
        self.requesterName = requesterName
        self.recipient = recipient
        self.country = country
        self.verification = verification
        self.ground = ground
        self.reference = reference
        self.agreement = agreement
        self.necessity = necessity
        self.categories = categories
        self.subjects = subjects
        self.loggedBy = loggedBy
        self.loggedAt = loggedAt
    }
}

/// Who asks for a disclosure.
public enum DisclosureRequester: String, Sendable, CaseIterable {
    case lawEnforcement = "law_enforcement"
    case regulator
    case court
    case rightsHolder = "rights_holder"
    /// A recipient the declaration registers (a group company, an adviser, a training provider, a buyer…).
    case registered

    /// Whether the requester may be outside the recipient register: an authority or a court compels,
    /// a rights holder claims; anyone else must be a registered recipient (C22 allow-list).
    public var mayBeUnregistered: Bool { self != .registered }
}

/// The legal ground a disclosure rests on (UK GDPR Art 6; DPA 2018 Sch 2).
public enum DisclosureGround: String, Sendable, CaseIterable {
    /// Required by law or a court order (Art 6(1)(c)); the statute or order is named.
    case legalObligation = "legal_obligation"
    /// Prevention or detection of crime, apprehension or prosecution of offenders (DPA 2018 Sch 2 para 2).
    case crime
    /// Assessment or collection of a tax or duty (DPA 2018 Sch 2 para 2(1)(c)).
    case taxation
    /// Legal proceedings, legal advice, or establishing, exercising or defending legal rights (DPA 2018 Sch 2 para 5).
    case legalClaims = "legal_claims"
    /// To protect someone's life (Art 6(1)(d)).
    case vitalInterests = "vital_interests"
    /// Each person's own consent to this recipient (Art 6(1)(a)); checked per person at release (C24).
    case consent
    /// The organisation's legitimate interests, balanced against the people's (Art 6(1)(f)): a sale of
    /// the business, say (C26); the necessity assessment records the balance.
    case legitimateInterests = "legitimate_interests"

    public var citation: String {
        switch self {
        case .legalObligation: "UK GDPR Art 6(1)(c)"
        case .crime: "DPA 2018 Sch 2 para 2(1)(a),(b)"
        case .taxation: "DPA 2018 Sch 2 para 2(1)(c)"
        case .legalClaims: "DPA 2018 Sch 2 para 5"
        case .vitalInterests: "UK GDPR Art 6(1)(d)"
        case .consent: "UK GDPR Art 6(1)(a)"
        case .legitimateInterests: "UK GDPR Art 6(1)(f)"
        }
    }

    /// The exemptions of Sch 2 para 2 and para 5 apply only so far as not disclosing would prejudice
    /// their aim: the assessment must say so (ICO guidance on the crime and taxation exemption).
    public var needsPrejudiceTest: Bool { self == .crime || self == .taxation || self == .legalClaims }
}
