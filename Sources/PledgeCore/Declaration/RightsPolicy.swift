/// The rights offered, how requests are verified and answered, and complaints (C28, C29, C40).
public struct RightsPolicy: Codable, Sendable, Equatable, SchemaDescribed {
    public var offered: [DataSubjectRight]
    public var fee: RequestFee?
    /// The only requests the fee is for, when it is not for every request: further copies (Art 15(3))
    /// and requests that are manifestly unfounded or excessive (Art 12(5)).
    public var feeAppliesTo: [FeeCase]?
    public var responseTime: String?
    /// How an access request is searched: which systems, and the limits that keep the search reasonable
    /// and proportionate (UK GDPR Art 15(1A), as the DUAA 2025 inserted it).
    public var searchScope: String?
    public var verification: VerificationPolicy?
    public var portabilityFormats: [PortabilityFormat]?
    public var complaints: ComplaintsPolicy?

    public static let schema: Schema = .object(
        description: "Rights and requests (C28).",
        properties: [
            .required("offered", .list("Rights the notice tells people about.", .oneOf(DataSubjectRight.self, "A right."))),
            .optional("fee", .oneOf(RequestFee.self, "What a request costs; default free.")),
            .optional(
                "fee_applies_to",
                .list("The only requests the fee is for (Art 12(5), 15(3)).", .oneOf(FeeCase.self, "A case the law lets a fee be charged for."))),
            .optional("response_time", .text("Response time as the policy states it, e.g. P1M or '40 days'.")),
            .optional(
                "search_scope",
                .text("Where an access request is searched, and why the search is reasonable and proportionate (Art 15(1A)).")),
            .optional("verification", VerificationPolicy.schema),
            .optional("portability_formats", .list("Formats for portability.", .oneOf(PortabilityFormat.self, "A format."))),
            .optional("complaints", ComplaintsPolicy.schema),
        ])
}

/// The rights of UK GDPR Arts 15–22 and Art 7(3), and the right to complain (Art 77).
public enum DataSubjectRight: String, Codable, Sendable, CaseIterable {
    case informed
    case access
    case rectification
    case erasure
    case restriction
    case portability
    case objection
    case withdrawConsent = "withdraw_consent"
    case automatedDecisions = "automated_decisions"
    case complain

    /// Rights a notice must mention (UK GDPR Art 13(2)(b)-(d)).
    public static let mandatory: [DataSubjectRight] = [
        .access, .rectification, .erasure, .restriction, .portability, .objection, .withdrawConsent, .complain,
    ]

    public var label: String {
        switch self {
        case .informed: "to be told how your data is used"
        case .access: "to get a copy of your data (access)"
        case .rectification: "to have inaccurate data corrected"
        case .erasure: "to have your data erased"
        case .restriction: "to restrict how we use your data"
        case .portability: "to receive your data in a machine-readable format, or have it sent to another organisation (portability)"
        case .objection: "to object to our use of your data, including to direct marketing at any time"
        case .withdrawConsent: "to withdraw consent at any time, as easily as you gave it"
        case .automatedDecisions: "not to be subject to significant decisions made solely by automated means without safeguards"
        case .complain: "to complain to us and to the Information Commissioner's Office"
        }
    }

    public var article: String {
        switch self {
        case .informed: "Arts 13–14"
        case .access: "Art 15"
        case .rectification: "Art 16"
        case .erasure: "Art 17"
        case .restriction: "Art 18"
        case .portability: "Art 20"
        case .objection: "Art 21"
        case .withdrawConsent: "Art 7(3)"
        case .automatedDecisions: "Arts 22A–22D"
        case .complain: "Art 77; DPA 2018 s.164A"
        }
    }
}

/// What a request costs. Free unless manifestly unfounded or excessive (UK GDPR Art 12(5)).
public enum RequestFee: String, Codable, Sendable, CaseIterable {
    case free
    case reasonableCost = "reasonable_cost"
    case fixed
}

/// The requests the law lets a reasonable fee be charged for.
public enum FeeCase: String, Codable, Sendable, CaseIterable {
    /// Art 15(3): further copies of the data.
    case furtherCopies = "further_copies"
    /// Art 12(5): requests that are manifestly unfounded or excessive.
    case manifestlyUnfoundedOrExcessive = "manifestly_unfounded_or_excessive"
}

public enum PortabilityFormat: String, Codable, Sendable, CaseIterable {
    case json
    case csv
    case xml
    case commonlyUsedElectronic = "commonly_used_electronic"
}

/// How requesters are identified (C29; UK GDPR Art 12(6), Recital 64).
public struct VerificationPolicy: Codable, Sendable, Equatable, SchemaDescribed {
    public var methods: [VerificationMethod]
    public var documents: [String]?
    public var documentsOnlyOnReasonableDoubt: Bool?
    public var agents: Bool?

    public static let schema: Schema = .object(
        description: "Identity verification (C29).",
        properties: [
            .required("methods", .list("Usual ways of confirming identity.", .oneOf(VerificationMethod.self, "A method."))),
            .optional("documents", .list("Documents asked for, if any.", .text("A document."))),
            .optional("documents_only_on_reasonable_doubt", .flag("True if documents are asked for only when there is reasonable doubt.")),
            .optional("agents", .flag("True if authorised agents and parents may make requests.")),
        ])
}

public enum VerificationMethod: String, Codable, Sendable, CaseIterable {
    case emailLink = "email_link"
    case accountSession = "account_session"
    case smsCode = "sms_code"
    case knowledgeCheck = "knowledge_check"
    case documentCheck = "document_check"
}

/// Complaints to the organisation and the ICO (C40; UK GDPR Art 77, DPA 2018 s.164A).
public struct ComplaintsPolicy: Codable, Sendable, Equatable, SchemaDescribed {
    public var icoUrl: String?
    public var internalProcedure: Bool?
    public var acknowledgeWithinDays: Int?
    /// Where the organisation's complaint form is (DPA 2018 s.164A(2)(a): a form that can be completed
    /// electronically); Pledge's privacy centre takes complaints when none is named.
    public var formUrl: String?

    public static let schema: Schema = .object(
        description: "Complaints (C40).",
        properties: [
            .optional(
                "ico_url", .string(description: "Link to the ICO given in the notice; https://ico.org.uk/make-a-complaint/ by default.", format: .url)
            ),
            .optional("internal_procedure", .flag("True if complaints can be made to the organisation, e.g. by web form.")),
            .optional("acknowledge_within_days", .integer(description: "Days to acknowledge a complaint; 30 at most.", minimum: 1)),
            .optional(
                "form_url",
                .string(description: "The complaint form (s.164A(2)); Pledge's privacy centre takes complaints when none is named.", format: .url)),
        ])

    public static let defaultICOURL = "https://ico.org.uk/make-a-complaint/"
}
