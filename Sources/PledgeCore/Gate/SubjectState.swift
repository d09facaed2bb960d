import Foundation

/// A recorded objection (UK GDPR Art 21).
public struct Objection: Sendable, Equatable {
    public var at: Date
    /// Compelling legitimate grounds recorded by the controller, which let a legitimate-interests
    /// purpose continue (Art 21(1)). Never effective against direct marketing (Art 21(3)).
    public var compellingGrounds: String?

    public init(at: Date, compellingGrounds: String? = nil) {
        self.at = at
        self.compellingGrounds = compellingGrounds
    }
}

/// What the gate needs to know about one subject: their categories, consents, objections and flags.
public struct SubjectState: Sendable, Equatable {
    /// Declared subject-category ids (`customer`, `enquirer` ...). Empty means not yet classified.
    public var categories: Set<String>
    public var consents: ConsentState
    /// Objections by purpose id.
    public var objections: [String: Objection]
    /// An objection to all direct marketing (Art 21(2)-(3)).
    public var marketingObjection: Date?
    public var restricted: Bool
    public var legalHold: Bool
    public var isChild: Bool

    public init(
        categories: Set<String> = [], consents: ConsentState = ConsentState(), objections: [String: Objection] = [:],
        marketingObjection: Date? = nil, restricted: Bool = false, legalHold: Bool = false, isChild: Bool = false
    ) {
        self.categories = categories
        self.consents = consents
        self.objections = objections
        self.marketingObjection = marketingObjection
        self.restricted = restricted
        self.legalHold = legalHold
        self.isChild = isChild
    }
}
