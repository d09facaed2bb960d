import Foundation

/// A purpose of processing with its lawful basis and the data it uses (C07; UK GDPR Art 6(1)).
public struct Purpose: Codable, Sendable, Equatable, SchemaDescribed {
    public var id: String
    public var name: String
    public var description: String?
    public var dataUse: String?
    /// Nil when the organisation's policy names no basis (L21).
    public var basis: LawfulBasis?
    public var categories: [String]
    public var subjects: [String]
    /// The legitimate-interests assessment (legitimate_interests[].id) when the basis is LI.
    public var lia: String?
    /// The law that imposes the obligation (legal obligation) or lays down the task (public task):
    /// UK GDPR Art 6(3) requires one, and the record and the notice name it (ECR-22).
    public var statute: String?
    /// The Annex 1 condition a purpose on recognised legitimate interests meets (Art 6(1)(ea), 6(5)).
    public var recognisedInterest: RecognisedInterest?
    /// When the purpose uses data collected for another purpose: which, and why that is compatible (Art 8A).
    public var furtherProcessing: FurtherProcessing?
    /// The Art 9(2) condition for special category data.
    public var specialCondition: SpecialCategoryCondition?
    public var recipients: [String]?
    public var retention: String?
    public var consentMechanism: ConsentMechanism?
    public var automatedDecisions: AutomatedDecisions?
    public var profiling: Bool?
    /// The purpose shows the data to the public on a website (testimonials, case studies, staff pages):
    /// a request to remove one's details from the website stops it (APX-43, C32).
    public var publishes: Bool?
    /// The purpose's messages are digests (C16; CAM-23): each person gets one at the frequency they
    /// chose, this one until they choose.
    public var digest: DigestFrequency?

    public static let schema: Schema = .object(
        description: "A purpose of processing (C07).",
        properties: [
            .required("id", .identifier("Id used to refer to this purpose.")),
            .required("name", .text("Plain-English name: 'Send our newsletter'.")),
            .optional("description", .text("What is done and why.")),
            .optional("data_use", .text("The fideslang data use (marketing.communications.email ...).")),
            .optional("basis", .oneOf(LawfulBasis.self, "Lawful basis under UK GDPR Art 6(1).")),
            .required("categories", .list("Data categories the purpose uses.", .text("A data category."))),
            .required("subjects", .list("Subject categories (subjects[].id) it concerns.", .identifier("A subject id."))),
            .optional("lia", .identifier("The legitimate-interests assessment (legitimate_interests[].id).")),
            .optional(
                "statute",
                .text(
                    "For a legal obligation or a public task, the law that imposes it (Art 6(3)): 'Companies Act 2006 s.386 (accounting records)'."
                )),
            .optional(
                "recognised_interest",
                .oneOf(
                    RecognisedInterest.self, "The UK GDPR Annex 1 condition, for a purpose on recognised_legitimate_interest (Art 6(1)(ea), 6(5)).")),
            .optional("further_processing", FurtherProcessing.schema),
            .optional("special_condition", .oneOf(SpecialCategoryCondition.self, "UK GDPR Art 9(2) condition for special category data.")),
            .optional("recipients", .list("Recipients (recipients[].id) who receive data for it.", .identifier("A recipient id."))),
            .optional("retention", .identifier("The retention rule (retention[].id).")),
            .optional("consent_mechanism", .oneOf(ConsentMechanism.self, "How consent is obtained, for consent-based purposes.")),
            .optional("automated_decisions", AutomatedDecisions.schema),
            .optional("profiling", .flag("True if the purpose profiles people.")),
            .optional(
                "publishes",
                .flag(
                    "True if the purpose shows the data publicly on a website (testimonials, case studies); 'remove from the website' requests stop it, and the site asks the gate before showing it (C32)."
                )),
            .optional(
                "digest",
                .oneOf(
                    DigestFrequency.self,
                    "The purpose's messages are digests, sent to each person at the frequency they choose in the preference centre; this is the frequency until they choose (never: only to people who asked)."
                )),
        ])
}

extension Purpose {
    /// Whether the basis must rest on a law that the declaration should name (UK GDPR Art 6(3)).
    public var needsStatute: Bool { basis == .legalObligation || basis == .publicTask }

    /// `statute`, trimmed; nil when blank.
    public var namedStatute: String? {
        guard let statute = statute?.trimmingCharacters(in: .whitespacesAndNewlines), !statute.isEmpty else { return nil }
        return statute
    }

    /// Whether the purpose is direct marketing (its fideslang data use is under `marketing`), to which
    /// an objection is absolute (UK GDPR Art 21(3)).
    public var isDirectMarketing: Bool { dataUse.map { Fideslang.key($0, isWithin: "marketing") } ?? false }

    /// Whether it applies to someone in `categories`; a subject not yet classified is in scope of every purpose.
    public func concerns(_ categories: Set<String>) -> Bool {
        categories.isEmpty || !categories.isDisjoint(with: subjects)
    }
}

/// UK GDPR Art 6(1) bases, with Art 6(1)(ea) recognised legitimate interests (DUAA 2025 s.70).
public enum LawfulBasis: String, Codable, Sendable, CaseIterable {
    case consent
    case contract
    case legalObligation = "legal_obligation"
    case vitalInterests = "vital_interests"
    case publicTask = "public_task"
    case legitimateInterests = "legitimate_interests"
    case recognisedLegitimateInterest = "recognised_legitimate_interest"

    /// The article that grants it.
    public var article: String {
        switch self {
        case .consent: "Art 6(1)(a)"
        case .contract: "Art 6(1)(b)"
        case .legalObligation: "Art 6(1)(c)"
        case .vitalInterests: "Art 6(1)(d)"
        case .publicTask: "Art 6(1)(e)"
        case .recognisedLegitimateInterest: "Art 6(1)(ea)"
        case .legitimateInterests: "Art 6(1)(f)"
        }
    }

    /// Whether processing on this basis carries the right to object of UK GDPR Art 21(1): public task,
    /// legitimate interests and recognised legitimate interests. It yields to compelling grounds the
    /// controller records; an objection to direct marketing is absolute whatever the basis (Art 21(3)).
    public var carriesRightToObject: Bool {
        switch self {
        case .publicTask, .legitimateInterests, .recognisedLegitimateInterest: true
        case .consent, .contract, .legalObligation, .vitalInterests: false
        }
    }

    /// Plain-English label.
    public var label: String {
        switch self {
        case .consent: "your consent"
        case .contract: "a contract with you, or steps you asked for before one"
        case .legalObligation: "a legal obligation"
        case .vitalInterests: "protecting someone's life"
        case .publicTask: "a task in the public interest"
        case .recognisedLegitimateInterest: "a recognised legitimate interest"
        case .legitimateInterests: "our legitimate interests"
        }
    }
}

/// UK GDPR Art 9(2) conditions, with DPA 2018 Sch 1 where it applies. `consent` is plain consent,
/// which Art 9(2)(a) does not accept (it needs explicit consent); it is here so the linter can say so.
public enum SpecialCategoryCondition: String, Codable, Sendable, CaseIterable {
    case explicitConsent = "explicit_consent"
    case consent
    case employmentSocialSecurity = "employment_social_security"
    case vitalInterests = "vital_interests"
    case notForProfitBody = "not_for_profit_body"
    case madePublic = "made_public"
    case legalClaims = "legal_claims"
    case substantialPublicInterest = "substantial_public_interest"
    case healthOrSocialCare = "health_or_social_care"
    case publicHealth = "public_health"
    case archivingResearchStatistics = "archiving_research_statistics"
    case requiredByLaw = "required_by_law"

    public var article: String {
        switch self {
        case .explicitConsent, .consent: "Art 9(2)(a)"
        case .employmentSocialSecurity: "Art 9(2)(b)"
        case .vitalInterests: "Art 9(2)(c)"
        case .notForProfitBody: "Art 9(2)(d)"
        case .madePublic: "Art 9(2)(e)"
        case .legalClaims: "Art 9(2)(f)"
        case .substantialPublicInterest, .requiredByLaw: "Art 9(2)(g) and DPA 2018 Sch 1 Part 2"
        case .healthOrSocialCare: "Art 9(2)(h)"
        case .publicHealth: "Art 9(2)(i)"
        case .archivingResearchStatistics: "Art 9(2)(j)"
        }
    }
}

/// How consent is obtained. Only a clear affirmative act is consent (UK GDPR Art 4(11), Recital 32).
public enum ConsentMechanism: String, Codable, Sendable, CaseIterable {
    case optInCheckbox = "opt_in_checkbox"
    case banner
    case signedForm = "signed_form"
    case verbalRecorded = "verbal_recorded"
    case continuedUse = "continued_use"
    case formSubmission = "form_submission"
    case policyAgreement = "policy_agreement"

    /// Mechanisms that infer consent rather than obtain it.
    public var isInferred: Bool {
        switch self {
        case .continuedUse, .formSubmission, .policyAgreement: true
        default: false
        }
    }
}

/// Solely automated decisions and their safeguards (UK GDPR Arts 22A–22D as inserted by DUAA s.80).
public struct AutomatedDecisions: Codable, Sendable, Equatable, SchemaDescribed {
    public var solelyAutomated: Bool
    public var significantEffects: Bool?
    public var logic: String?
    public var safeguards: String?

    public static let schema: Schema = .object(
        description: "Automated decision-making (Art 22A–22D).",
        properties: [
            .required("solely_automated", .flag("True if decisions are made without meaningful human involvement.")),
            .optional("significant_effects", .flag("True if they have legal or similarly significant effects.")),
            .optional("logic", .text("Meaningful information about the logic involved.")),
            .optional("safeguards", .text("Representations, human intervention, contestation.")),
        ])
}

/// The conditions of UK GDPR Annex 1 (DUAA 2025 s.70, Sch 4): processing is necessary for a
/// recognised legitimate interest only if it meets one of them (Art 6(5)).
public enum RecognisedInterest: String, Codable, Sendable, CaseIterable {
    /// Para 1: a disclosure to someone who asks for it for a task carried out in the public interest or official authority.
    case publicTaskDisclosure = "public_task_disclosure"
    /// Para 2: national security, public security and defence.
    case nationalSecurity = "national_security"
    /// Para 3: responding to an emergency.
    case emergencies
    /// Para 4: detecting, investigating or preventing crime, or apprehending or prosecuting offenders.
    case crime
    /// Para 5: safeguarding vulnerable individuals.
    case safeguarding

    /// Its words and paragraph, for the notice.
    public var label: String {
        switch self {
        case .publicTaskDisclosure: "disclosure to a body that needs it for its public task (UK GDPR Annex 1 para 1)"
        case .nationalSecurity: "national security, public security and defence (Annex 1 para 2)"
        case .emergencies: "responding to emergencies (Annex 1 para 3)"
        case .crime: "detecting, investigating or preventing crime (Annex 1 para 4)"
        case .safeguarding: "safeguarding vulnerable individuals (Annex 1 para 5)"
        }
    }
}
