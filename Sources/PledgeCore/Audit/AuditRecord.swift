import Foundation

/// What happened, by whom, to what, for which purpose (C14). Values themselves are never in the
/// trail: `before`/`after` hold keyed digests, so the trail proves a change without repeating
/// the personal data it protects.
public struct AuditRecord: Sendable, Equatable {
    /// The API key name, `cli:USER`, `system:retention` ...
    public var actor: String
    /// A dotted verb: `subject.create`, `data.read`, `consent.record`, `declaration.publish` ...
    public var action: String
    /// What it touched: `subject:UUID`, `declaration`, `key:NAME` ...
    public var object: String
    public var purpose: String?
    public var field: String?
    public var before: String?
    public var after: String?
    /// Microseconds since 1970 (UTC): an integer, so the hash is the same on every backend.
    public var atMicros: Int64

    public init(
        actor: String, action: String, object: String, purpose: String? = nil, field: String? = nil,
        before: String? = nil, after: String? = nil, at: Date
    ) {
        self.init(
            actor: actor, action: action, object: object, purpose: purpose, field: field, before: before, after: after,
            atMicros: at.microseconds)
    }

    public init(
        actor: String, action: String, object: String, purpose: String?, field: String?,
        before: String?, after: String?, atMicros: Int64
    ) {
        self.actor = actor
        self.action = action
        self.object = object
        self.purpose = purpose
        self.field = field
        self.before = before
        self.after = after
        self.atMicros = atMicros
    }

    public var at: Date { Date(microseconds: atMicros) }
}

/// A record in its place in the chain.
public struct AuditEntry: Sendable, Equatable {
    public var sequence: Int64
    public var record: AuditRecord
    /// The hash of the entry before (64 zeros for the first).
    public var previousHash: String
    /// SHA-256 over the previous hash, the sequence number and every field of the record.
    public var hash: String

    public init(sequence: Int64, record: AuditRecord, previousHash: String, hash: String) {
        self.sequence = sequence
        self.record = record
        self.previousHash = previousHash
        self.hash = hash
    }
}
