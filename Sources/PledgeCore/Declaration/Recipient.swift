/// Someone who receives personal data: processor, controller, authority (C22, C23, C27).
public struct Recipient: Codable, Sendable, Equatable, SchemaDescribed {
    public var id: String
    public var name: String
    public var kind: RecipientKind
    public var purposes: [String]?
    public var categories: [String]?
    public var requiresConsent: Bool?
    public var contract: ProcessorContract?
    /// ISO 3166-1 alpha-2 country where the data is processed; default GB.
    public var location: String?
    public var transfer: TransferSafeguard?
    public var disclosureTest: DisclosureTest?
    public var sale: Bool?
    /// The form of data it may receive; identified when not said.
    public var receives: RecipientDataForm?
    public var description: String?

    public static let schema: Schema = .object(
        description: "A recipient of personal data (C22).",
        properties: [
            .required("id", .identifier("Id used to refer to this recipient.")),
            .required("name", .text("Name, or category of recipient.")),
            .required("kind", .oneOf(RecipientKind.self, "The recipient's role.")),
            .optional("purposes", .list("Purposes (purposes[].id) the data is shared for.", .identifier("A purpose id."))),
            .optional("categories", .list("Data categories shared.", .text("A data category."))),
            .optional("requires_consent", .flag("True if sharing needs the person's express consent (C24).")),
            .optional("contract", ProcessorContract.schema),
            .optional("location", .string(description: "Country of processing (ISO 3166-1 alpha-2), default GB.", format: .country)),
            .optional("transfer", TransferSafeguard.schema),
            .optional("disclosure_test", .oneOf(DisclosureTest.self, "How requests from authorities are decided (C25).")),
            .optional("sale", .flag("True if the data is sold or rented to the recipient.")),
            .optional(
                "receives",
                .oneOf(
                    RecipientDataForm.self,
                    "The form of data it may receive: identified (default), deidentified (direct identifiers and free text removed, people as pseudonyms) or aggregate (counts only)."
                )),
            .optional("description", .text("What they do with the data.")),
        ])

    /// The form of data it may receive, identified when the declaration does not say.
    public var form: RecipientDataForm { receives ?? .identified }

    /// The country of processing, upper-cased, GB when not given.
    public var country: String { UKAdequacy.country(location) }

    /// True when the data leaves the UK (a restricted transfer, UK GDPR Chapter V).
    public var isRestrictedTransfer: Bool { country != UKAdequacy.home }

    /// Whether the declaration shares `purpose`'s data with this recipient, from either side: the
    /// recipient lists the purpose, or the purpose lists the recipient. The gate compiles the same
    /// relation into sets for its hot path (`ProcessingGate`).
    public func isDeclared(for purpose: Purpose) -> Bool {
        (purposes ?? []).contains(purpose.id) || (purpose.recipients ?? []).contains(id)
    }
}

public enum RecipientKind: String, Codable, Sendable, CaseIterable {
    case processor
    case controller
    case jointController = "joint_controller"
    case groupCompany = "group_company"
    case professionalAdviser = "professional_adviser"
    case creditReferenceAgency = "credit_reference_agency"
    case regulator
    case lawEnforcement = "law_enforcement"
    case businessBuyer = "business_buyer"
    case partner
    case sponsor
    case trainingProvider = "training_provider"
}

/// An Art 28 processor contract (C23).
public struct ProcessorContract: Codable, Sendable, Equatable, SchemaDescribed {
    public var art28: Bool
    public var signed: CalendarDate?
    public var expires: CalendarDate?
    public var subProcessors: [String]?

    public static let schema: Schema = .object(
        description: "Processor contract (UK GDPR Art 28).",
        properties: [
            .required("art28", .flag("True if the contract has the Art 28(3) terms.")),
            .optional("signed", .date("When it was signed.")),
            .optional("expires", .date("When it ends; data stops flowing then.")),
            .optional("sub_processors", .list("Sub-processors.", .text("A sub-processor."))),
        ])

    /// True on `day` when the contract is signed and not yet expired.
    public func isInForce(on day: CalendarDate) -> Bool {
        guard art28, let signed, signed <= day else { return false }
        if let expires { return day <= expires }
        return true
    }
}

/// The Chapter V mechanism for a restricted transfer (C27).
public struct TransferSafeguard: Codable, Sendable, Equatable, SchemaDescribed {
    public var mechanism: TransferMechanism
    public var riskAssessment: CalendarDate?
    public var note: String?
    /// The recipient is certified under the UK Extension to the EU-US Data Privacy Framework, which is
    /// what makes a US destination adequate (Art 45A-45B).
    public var dpfCertified: Bool?

    public static let schema: Schema = .object(
        description: "International transfer safeguard (C27).",
        properties: [
            .required("mechanism", .oneOf(TransferMechanism.self, "The UK GDPR Chapter V mechanism.")),
            .optional("risk_assessment", .date("Date of the transfer risk assessment.")),
            .optional(
                "dpf_certified",
                .flag("True if a US recipient is certified under the UK Extension to the EU-US Data Privacy Framework (adequacy for it alone).")),
            .optional("note", .text("Details.")),
        ])
}

/// UK GDPR Chapter V mechanisms. `deemed_consent` is what some policies claim ("by submitting
/// your information you consent to this transfer"); it is not a mechanism and the linter says so.
public enum TransferMechanism: String, Codable, Sendable, CaseIterable {
    case adequacy
    case idta
    case euSccUkAddendum = "eu_scc_uk_addendum"
    case bindingCorporateRules = "binding_corporate_rules"
    case art49ExplicitConsent = "art49_explicit_consent"
    case art49Other = "art49_other"
    case deemedConsent = "deemed_consent"

    public var label: String {
        switch self {
        case .adequacy: "UK adequacy regulations (Art 45A)"
        case .idta: "the ICO's International Data Transfer Agreement (Art 46)"
        case .euSccUkAddendum: "EU standard contractual clauses with the UK Addendum (Art 46)"
        case .bindingCorporateRules: "binding corporate rules (Art 47)"
        case .art49ExplicitConsent: "your explicit consent to this transfer (Art 49(1)(a))"
        case .art49Other: "a specific exception (Art 49)"
        case .deemedConsent: "none"
        }
    }
}

/// How requests from authorities are decided (C25).
public enum DisclosureTest: String, Codable, Sendable, CaseIterable {
    case necessityAndPrejudice = "necessity_and_prejudice"
    case legalObligationOnly = "legal_obligation_only"
    case soleDiscretion = "sole_discretion"
}

extension Recipient {
    /// Whether data may go to this recipient's country on adequacy alone (Art 45A; for the US, only a
    /// recipient declared certified under the UK Extension, Art 45A-45B).
    public var isAdequateDestination: Bool {
        UKAdequacy.isAdequate(country, certified: transfer?.dpfCertified == true)
    }

    /// Why data may not go to this recipient abroad yet, or nil when it may (C27; ECR-28): a
    /// restricted transfer to a country without adequacy needs a Chapter V safeguard ("deemed
    /// consent" is none, Art 44A, Art 46), and one on the IDTA or the EU SCCs with the UK Addendum
    /// needs its transfer risk assessment recorded first (Art 46(1A): the data protection test;
    /// ICO transfer risk assessment guidance).
    public var transferGap: TransferGap? {
        guard isRestrictedTransfer, !isAdequateDestination else { return nil }
        switch transfer?.mechanism {
        case nil, .deemedConsent?, .adequacy?: return .noSafeguard
        case .idta?, .euSccUkAddendum?: return transfer?.riskAssessment == nil ? .riskUnassessed : nil
        default: return nil
        }
    }
}

/// What a restricted transfer lacks before any data may go (`Recipient.transferGap`).
public enum TransferGap: Sendable, Equatable {
    /// No adequacy and no Art 46 safeguard (or Art 49 derogation).
    case noSafeguard
    /// An IDTA or UK Addendum whose transfer risk assessment is not recorded.
    case riskUnassessed
}
