import Foundation

/// Why a disclosure, or a step of one, is refused; nothing is stored or sent.
public enum DisclosureRefusal: Error, Sendable, Equatable {
    /// The requester's identity and authority must be checked first (C25).
    case verificationMissing
    /// Each disclosure is decided case by case on its necessity; the crime, taxation and claims
    /// exemptions also on the prejudice not disclosing would cause (CLQ-50).
    case necessityMissing
    /// A legal obligation names its statute or order (ECR-31).
    case referenceMissing
    case requesterNameMissing
    case categoriesMissing
    case categoryUnknown
    case subjectsMissing
    /// A person named is not on file.
    case subjectUnknown
    /// Data goes only to recipients the declaration registers, save to authorities, courts and rights holders (OEX-56, CLQ-48).
    case recipientUndeclared
    /// No flow for money: the register forbids sale and rental (CLQ-47).
    case recipientSale
    /// A registered recipient receives only the categories the register gives it.
    case categoryNotForRecipient
    /// The recipient receives de-identified or aggregate data only: nothing identifying is asked for
    /// it, and no override sends it identified (APX-17, APX-60).
    case identifiersNotForRecipient
    /// Consent is given to a named recipient: the consent ground needs one (C24).
    case consentNeedsRecipient
    /// A request from outside the UK: a foreign authority's demand is recognised only through an
    /// international agreement (Art 48), and data goes abroad only under a Chapter V mechanism (CLQ-54).
    case transferUngrounded
    /// A processor receives data only under an Art 28 contract in force (APX-34).
    case contractNotInForce
    /// Four eyes: whoever logged a disclosure cannot decide it (CLQ-49).
    case deciderIsLogger
    case notPending
    case notApproved
    case notFound
    /// A sale completes only after its data room (C26).
    case notASale
    /// The sale's completion comes after the data room's release, and once.
    case saleNotReleased
    case saleCompletedAlready
    /// The people are told who is responsible for their data now: the buyer's name and how to reach them.
    case newControllerMissing

    public var code: String {
        switch self {
        case .verificationMissing: "disclosure.verification-missing"
        case .necessityMissing: "disclosure.necessity-missing"
        case .referenceMissing: "disclosure.reference-missing"
        case .requesterNameMissing: "disclosure.requester-missing"
        case .categoriesMissing: "disclosure.categories-missing"
        case .categoryUnknown: "disclosure.category-unknown"
        case .subjectsMissing: "disclosure.subjects-missing"
        case .subjectUnknown: "disclosure.subject-unknown"
        case .recipientUndeclared: "disclosure.recipient-undeclared"
        case .recipientSale: "disclosure.recipient-sale"
        case .categoryNotForRecipient: "disclosure.category-not-for-recipient"
        case .identifiersNotForRecipient: "disclosure.identifiers-not-for-recipient"
        case .consentNeedsRecipient: "disclosure.consent-needs-recipient"
        case .transferUngrounded: "disclosure.transfer-ungrounded"
        case .contractNotInForce: "disclosure.contract-not-in-force"
        case .deciderIsLogger: "disclosure.decider-is-logger"
        case .notPending: "disclosure.not-pending"
        case .notApproved: "disclosure.not-approved"
        case .notFound: "disclosure.not-found"
        case .notASale: "disclosure.not-a-sale"
        case .saleNotReleased: "disclosure.sale-not-released"
        case .saleCompletedAlready: "disclosure.sale-completed-already"
        case .newControllerMissing: "disclosure.new-controller-missing"
        }
    }

    public var message: String {
        switch self {
        case .verificationMissing: "Say how the requester's identity and authority were checked."
        case .necessityMissing:
            "Record why the data is necessary and, for the crime, taxation and legal-claims exemptions, how not disclosing it would prejudice them (DPA 2018 Sch 2 paras 2, 5)."
        case .referenceMissing: "A legal obligation names the statute or order that requires the disclosure (UK GDPR Art 6(1)(c), 6(3))."
        case .requesterNameMissing: "Name the organisation asking."
        case .categoriesMissing: "Name the data categories asked for: the disclosure carries nothing else (UK GDPR Art 5(1)(c))."
        case .categoryUnknown: "A category asked for is not a data category."
        case .subjectsMissing: "Name the people whose data is asked for."
        case .subjectUnknown: "A person named is not on file."
        case .recipientUndeclared: "The declaration does not register this recipient: data goes only to registered recipients (C22)."
        case .recipientSale: "The recipient is marked as buying or renting data: no such flow is allowed."
        case .categoryNotForRecipient: "The declaration does not give this recipient one of the categories asked for."
        case .identifiersNotForRecipient:
            "The declaration gives this recipient de-identified or aggregate data only: ask for no direct identifiers or free text, and no identified override."
        case .consentNeedsRecipient: "Consent is given to a named recipient: give a registered recipient for the consent ground (C24)."
        case .transferUngrounded:
            "The data would leave the UK without a ground: a foreign authority's request needs an international agreement (UK GDPR Art 48), a registered recipient abroad a Chapter V mechanism."
        case .contractNotInForce: "The processor has no Art 28 contract in force: no data goes to it (UK GDPR Art 28(3))."
        case .deciderIsLogger: "Someone other than the person who logged the disclosure must decide it."
        case .notPending: "This disclosure was decided already."
        case .notApproved: "Only an approved disclosure is released."
        case .notFound: "No such disclosure."
        case .notASale: "Only a prospective buyer's data room is completed as a sale of the business (C26)."
        case .saleNotReleased: "The sale completes after its data room was released."
        case .saleCompletedAlready: "This sale's completion is recorded already, and the people were told."
        case .newControllerMissing: "Give the buyer's name and how people reach them about their data: the new controller (UK GDPR Art 13(1)(a))."
        }
    }
}
