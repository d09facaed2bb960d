import Foundation
import PledgeCore

/// Who made a request and what they wrote: personal data, sealed with the case's own key.
public struct Requester: Codable, Sendable, Equatable {
    public var name: String?
    public var email: String?
    public var phone: String?
    /// The request in the requester's words.
    public var details: String?
    /// For an agent or parent: whom the request is for.
    public var onBehalfOf: String?

    public init(name: String? = nil, email: String? = nil, phone: String? = nil, details: String? = nil, onBehalfOf: String? = nil) {
        self.name = name
        self.email = email
        self.phone = phone
        self.details = details
        self.onBehalfOf = onBehalfOf
    }
}

/// One entry of a case's history, which is append-only.
public struct CaseEvent: Sendable, Equatable {
    public var sequence: Int64
    public var at: Date
    public var actor: String
    public var action: String
    public var state: String
    public var detail: String?
}

/// What a one-time token is for.
public enum CaseTokenPurpose: String, Sendable {
    /// The link sent to confirm the requester controls the email address (C29).
    case verify
    /// The requester's access to their case page and download after verification.
    case follow
}

/// A case operation refused because of what is stored.
public enum CaseStoreRefusal: Error, Equatable {
    case notFound
    case tokenInvalid
    /// A document sent for a case that is not waiting for one.
    case documentNotRequested
    /// A document that is none of the accepted formats, or too large.
    case documentUnsupported
    /// The case already holds `IdentityDocument.maximumPerCase` documents.
    case documentLimit
    /// The subject was erased or changed while the request was being fulfilled; nothing was done.
    case subjectChanged

    public var code: String {
        switch self {
        case .notFound: "case.not-found"
        case .tokenInvalid: "case.token-invalid"
        case .documentNotRequested: "case.document-not-requested"
        case .documentUnsupported: "case.document-unsupported"
        case .documentLimit: "case.document-limit"
        case .subjectChanged: "case.subject-changed"
        }
    }

    public var message: String {
        switch self {
        case .notFound: "No such request."
        case .tokenInvalid: "This link is not valid: it has expired or has been used. Ask for a new one from the privacy centre."
        case .documentNotRequested: "We have not asked for a document for this request, or we already have what we need."
        case .documentUnsupported: "Send a photo or scan as a JPEG, PNG or PDF file of at most 5 MB."
        case .documentLimit:
            "We already have \(IdentityDocument.maximumPerCase) documents for this request, which is all we keep. We will check them and be in touch."
        case .subjectChanged: "The person this request is about changed while it was being fulfilled, so nothing was done. Fulfil it again."
        }
    }
}
