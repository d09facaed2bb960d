import Foundation

/// One reason the processing gate refuses a use of personal data. Every reason has a stable
/// `code` for machines and a `message` for people; a denial lists all of them, not just the first.
public enum DenialReason: Sendable, Hashable {
    /// The purpose is not in the declaration (UK GDPR Art 5(1)(b): purposes must be specified).
    case unknownPurpose(String)
    /// The purpose has no Art 6(1) lawful basis (UK GDPR Art 6(1)).
    case noLawfulBasis
    /// A legitimate-interests purpose has no approved assessment (UK GDPR Art 6(1)(f); ICO LIA guidance).
    case assessmentMissing
    /// The assessment found the subject's interests override ours (UK GDPR Art 6(1)(f)).
    case assessmentOverridden(String)
    /// The assessment is not yet approved.
    case assessmentPending(String)
    /// The assessment says approved but records no necessity or no balancing test: an outcome without
    /// the three-part test is not one (UK GDPR Art 6(1)(f); ICO LIA guidance; OEX-25).
    case assessmentIncomplete(String)
    /// A consent-based use with no consent on record (UK GDPR Art 6(1)(a), Art 7(1)).
    case consentAbsent
    /// Consent was given and then withdrawn (UK GDPR Art 7(3)).
    case consentWithdrawn(at: Date)
    /// The subject objected (UK GDPR Art 21; absolute for direct marketing, Art 21(3)).
    case objection(at: Date)
    /// Processing is restricted for this subject (UK GDPR Art 18(2)).
    case restricted
    /// The subject's data is preserved under a legal hold and may only serve that claim.
    case legalHold
    /// The subject is a child below the declared minimum age (DPA 2018 s.9; ICO Children's code).
    case child
    /// The request names data categories the purpose does not cover (UK GDPR Art 5(1)(b)-(c)).
    case categoryNotCovered([String])
    /// Special category data with no Art 9(2) condition declared for the purpose (UK GDPR Art 9(1)).
    case specialCategoryWithoutCondition([String])
    /// The purpose relies on explicit consent for special category data and there is none (Art 9(2)(a)).
    case explicitConsentAbsent
    /// The subject belongs to no subject category the purpose covers.
    case subjectCategoryNotCovered
    /// The recipient is not in the declaration (UK GDPR Art 13(1)(e)).
    case unknownRecipient(String)
    /// The recipient is declared, but not for this purpose.
    case recipientNotForPurpose(String)
    /// The recipient is declared, but not for these categories.
    case recipientCategoryNotCovered([String])
    /// The recipient receives de-identified or aggregate data only, and these categories identify
    /// people (direct identifiers, free text; APX-17, APX-60).
    case recipientReceivesNoIdentifiers(RecipientDataForm, [String])
    /// Sharing with this recipient needs the subject's consent for that recipient (C24).
    case recipientConsentAbsent(String)
    /// A restricted transfer with no Chapter V safeguard (UK GDPR Art 44A, Arts 45A–46).
    case transferWithoutSafeguard(country: String)
    /// The transfer rests on the IDTA or the UK Addendum, but its risk assessment is not recorded (ECR-28).
    case transferRiskUnassessed(country: String)
    /// The processor's Art 28 contract is not in force today (UK GDPR Art 28(3)).
    case processorContractNotInForce(String)
    /// The purpose is new in a notice version not yet in effect: people are told of a new purpose
    /// before it starts (UK GDPR Art 13(3), Art 5(1)(a); issue 29 §5).
    case purposeNotYetNotified(from: CalendarDate)

    /// Stable, machine-readable code.
    public var code: String {
        switch self {
        case .unknownPurpose: "purpose.unknown"
        case .noLawfulBasis: "basis.missing"
        case .assessmentMissing: "lia.missing"
        case .assessmentOverridden: "lia.overridden"
        case .assessmentPending: "lia.pending"
        case .assessmentIncomplete: "lia.incomplete"
        case .consentAbsent: "consent.absent"
        case .consentWithdrawn: "consent.withdrawn"
        case .objection: "subject.objected"
        case .restricted: "subject.restricted"
        case .legalHold: "subject.legal-hold"
        case .child: "subject.child"
        case .categoryNotCovered: "category.not-covered"
        case .specialCategoryWithoutCondition: "category.special-without-condition"
        case .explicitConsentAbsent: "consent.explicit-absent"
        case .subjectCategoryNotCovered: "subject.category-not-covered"
        case .unknownRecipient: "recipient.unknown"
        case .recipientNotForPurpose: "recipient.not-for-purpose"
        case .recipientCategoryNotCovered: "recipient.category-not-covered"
        case .recipientReceivesNoIdentifiers: "recipient.identifiers-refused"
        case .recipientConsentAbsent: "recipient.consent-absent"
        case .transferWithoutSafeguard: "transfer.no-safeguard"
        case .transferRiskUnassessed: "transfer.risk-assessment-missing"
        case .processorContractNotInForce: "processor.contract-not-in-force"
        case .purposeNotYetNotified: "purpose.not-yet-notified"
        }
    }

    /// A sentence for people.
    public var message: String {
        switch self {
        case .unknownPurpose(let id): "No purpose '\(id)' is declared."
        case .noLawfulBasis: "The purpose has no lawful basis under UK GDPR Art 6(1)."
        case .assessmentMissing: "The purpose relies on legitimate interests but has no approved assessment."
        case .assessmentOverridden(let id): "Assessment '\(id)' found that people's interests override ours."
        case .assessmentPending(let id): "Assessment '\(id)' is not approved yet."
        case .assessmentIncomplete(let id): "Assessment '\(id)' is marked approved but records no necessity or no balancing test."
        case .consentAbsent: "The purpose needs consent and the subject has not given it."
        case .consentWithdrawn(let at): "The subject withdrew consent at \(at.formatted(.iso8601))."
        case .objection(let at): "The subject objected at \(at.formatted(.iso8601))."
        case .restricted: "Processing of this subject's data is restricted (UK GDPR Art 18)."
        case .legalHold: "This subject's data is held for a legal claim and may not be used for other purposes."
        case .child: "The subject is below the declared minimum age."
        case .categoryNotCovered(let list): "The purpose does not cover: \(list.joined(separator: ", "))."
        case .specialCategoryWithoutCondition(let list): "Special category data without an Art 9 condition: \(list.joined(separator: ", "))."
        case .explicitConsentAbsent: "Special category data on explicit consent, and the subject has not given it."
        case .subjectCategoryNotCovered: "The subject is in no subject category this purpose covers."
        case .unknownRecipient(let id): "No recipient '\(id)' is declared."
        case .recipientNotForPurpose(let id): "Recipient '\(id)' is not declared for this purpose."
        case .recipientCategoryNotCovered(let list): "The recipient is not declared to receive: \(list.joined(separator: ", "))."
        case .recipientReceivesNoIdentifiers(let form, let list):
            "The recipient receives \(form.rawValue) data only, and these identify people: \(list.joined(separator: ", "))."
        case .recipientConsentAbsent(let id): "Sharing with '\(id)' needs the subject's consent for that recipient."
        case .transferWithoutSafeguard(let country): "A transfer to \(country) has no adequacy regulations or Art 46 safeguard."
        case .transferRiskUnassessed(let country):
            "A transfer to \(country) under the IDTA or the UK Addendum needs its transfer risk assessment recorded (risk_assessment) first (UK GDPR Art 46(1A))."
        case .processorContractNotInForce(let id): "The Art 28 contract with '\(id)' is not in force."
        case .purposeNotYetNotified(let day):
            "This purpose is new in the notice that takes effect on \(day); it may not run before people have been told (UK GDPR Art 13(3))."
        }
    }
}
