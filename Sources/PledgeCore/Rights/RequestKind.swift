/// What a person asks for (C28). People need no magic words: staff choose the kind when they log
/// a request that came by phone, post or email.
public enum RequestKind: String, Sendable, Codable, CaseIterable {
    case access  // UK GDPR Art 15
    case portability  // Art 20
    case rectification  // Art 16
    case erasure  // Art 17
    case restriction  // Art 18
    case objection  // Art 21(1)
    case marketingOptOut = "marketing_opt_out"  // Art 21(2)-(3); PECR reg 22
    case consentWithdrawal = "consent_withdrawal"  // Art 7(3)
    case parentalDeletion = "parental_deletion"  // Art 17(1)(f), Art 8; DPA 2018 s.9
    case complaint  // DPA 2018 s.164A
    /// To see and change one's consents, objections and marketing choices in the privacy centre:
    /// Art 7(3) (withdrawal as easy as giving) and Art 21; no staff work, so it closes on verification.
    case preferences
    /// To have one's details taken off the organisation's website (APX-43): stops every purpose that
    /// publishes data about the person, by objection (Art 21(1)) and withdrawal of consent (Art 7(3)).
    case unpublish
    /// A question about the notice or how the organisation uses personal data (CAM-04, ECR-56: the contact
    /// route a notice gives, Art 13(1)(b)). No right is exercised, so nothing is disclosed or changed and no
    /// identity check is needed; staff answer it within the month, as for a request. One that turns out to
    /// ask for the person's data is opened again as that request.
    case question

    /// Requests the statutory month of Art 12(3) applies to; complaints have their own clock.
    public var hasStatutoryMonth: Bool { self != .complaint }

    /// Kinds that need the requester's identity confirmed before anything is disclosed or changed (Art 12(6)).
    public var needsVerification: Bool {
        switch self {
        case .complaint, .marketingOptOut, .question: false  // an opt-out is honoured whoever asks; a complaint or question discloses nothing
        default: true
        }
    }

    public var label: String {
        switch self {
        case .access: "a copy of your data"
        case .portability: "your data in a machine-readable format"
        case .rectification: "correction of your data"
        case .erasure: "erasure of your data"
        case .restriction: "restriction of our use of your data"
        case .objection: "objection to our use of your data"
        case .marketingOptOut: "no more marketing"
        case .consentWithdrawal: "withdrawal of your consent"
        case .parentalDeletion: "deletion of your child's data"
        case .complaint: "a complaint"
        case .preferences: "your consents and marketing preferences"
        case .unpublish: "removal of your details from our website"
        case .question: "an answer to your question about our use of personal data"
        }
    }
}

/// Where a request came in.
public enum IntakeChannel: String, Sendable, Codable, CaseIterable {
    case privacyCentre = "privacy_centre"
    case api
    case email
    case phone
    case post
    case inPerson = "in_person"
    case social
}

/// Who is asking, for whom (C29).
public enum RequesterRelation: String, Sendable, Codable, CaseIterable {
    case subject = "self"
    case authorisedAgent = "authorised_agent"
    case parent
}

extension RequestKind {
    /// Carried out by Pledge as soon as the requester confirms from the emailed link (C30-C34): the
    /// vault holds everything needed. Rectification and complaints wait for a person's judgement, and
    /// a parent's deletion request for staff to check that the requester has parental responsibility.
    public var runsOnConfirmation: Bool {
        switch self {
        case .access, .portability, .erasure, .restriction, .objection, .marketingOptOut, .consentWithdrawal, .preferences, .unpublish: true
        case .rectification, .complaint, .parentalDeletion, .question: false
        }
    }

    /// Acknowledged on receipt by the email that confirms it: a complaint must be acknowledged
    /// within 30 days (DPA 2018 s.164A(3)(a), in force 19 June 2026).
    public var acknowledgedOnReceipt: Bool { self == .complaint }
}
