import Foundation
import PledgeCore

/// A new subject: how to find them again, and who they are to us (C04).
public struct NewSubject: Sendable {
    public var identifiers: [SubjectIdentifier]
    public var categories: [String]
    public var stage: String?

    public init(identifiers: [SubjectIdentifier], categories: [String], stage: String? = nil) {
        self.identifiers = identifiers
        self.categories = categories
        self.stage = stage
    }
}

/// A subject as the API shows it: no personal values, only categories, stage and flags.
public struct SubjectSummary: Sendable, Equatable {
    public var id: UUID
    public var categories: [String]
    public var stage: String?
    public var stageChangedAt: Date?
    public var isChild: Bool
    public var restricted: Bool
    public var legalHold: Bool
    /// When the subject objected to all direct marketing (Art 21(2)), if they did.
    public var marketingObjectionAt: Date?
    /// How their contact details were obtained, when recorded (issue 28 §1).
    public var provenance: ContactProvenance?
    public var createdAt: Date
}

/// A stored value, opened, with its provenance (C05).
public struct StoredValue: Sendable, Equatable {
    public var field: String
    public var category: String
    public var purpose: String
    public var source: String
    /// The dealing with the source that brought it (a project, an agreement), when one was given.
    public var sourceReference: String?
    public var noticeVersion: String?
    public var collectedAt: Date
    public var value: String
}

/// What a purpose may read of a subject now: the values the gate allowed, and those it withheld with why.
public struct GatedValues: Sendable {
    /// A value the gate withheld, unopened.
    public struct Withheld: Sendable {
        public var origin: StoredValueOrigin
        public var decision: Decision
    }

    public var values: [StoredValue]
    public var withheld: [Withheld]
}

/// The gate refused a use of a subject's data (C07-C10); nothing was stored or read.
public struct GateRefusal: Error, Equatable {
    public var purpose: String
    public var decision: Decision

    public var code: String { "collection.denied" }
    public var message: String {
        "Purpose '\(purpose)' may not collect this now: \(decision.reasons.map(\.message).joined(separator: " "))"
    }
}

/// The provenance of a stored value, without the value: what a filter sees before anything is opened.
public struct StoredValueOrigin: Sendable, Equatable {
    public var field: String
    public var category: String
    public var purpose: String
}

/// A ledger entry with its place in the ledger.
public struct StoredConsentEvent: Sendable, Equatable {
    public var sequence: Int64
    public var event: ConsentEvent

    public init(sequence: Int64, event: ConsentEvent) {
        self.sequence = sequence
        self.event = event
    }
}

/// A note, call, letter, email or chat about a subject (C43).
public struct StoredInteraction: Sendable, Equatable {
    public var id: UUID
    public var kind: String
    public var retention: String?
    /// The declared purpose it serves, when one was named.
    public var purpose: String?
    public var recordedAt: Date
    public var actor: String
    public var content: String
}
