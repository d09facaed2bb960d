import Foundation

/// Everything the vault holds about one subject, opened, for an access or portability request
/// (UK GDPR Art 15, Art 20; C30, C33, C43).
public struct SubjectRecords: Sendable, Equatable {
    public var subject: UUID
    public var categories: [String]
    public var stage: String?
    public var createdAt: Date
    public var restricted: Bool
    public var marketingObjectionAt: Date?
    public var values: [Value]
    public var consents: [Consent]
    public var interactions: [Interaction]
    /// Who read or changed the data, when and for which purpose (the disclosure log).
    public var accessLog: [Access]

    public init(
        subject: UUID, categories: [String], stage: String?, createdAt: Date, restricted: Bool, marketingObjectionAt: Date?,
        values: [Value], consents: [Consent], interactions: [Interaction], accessLog: [Access]
    ) {
        self.subject = subject
        self.categories = categories
        self.stage = stage
        self.createdAt = createdAt
        self.restricted = restricted
        self.marketingObjectionAt = marketingObjectionAt
        self.values = values
        self.consents = consents
        self.interactions = interactions
        self.accessLog = accessLog
    }

    public struct Value: Sendable, Equatable, Codable {
        public var field: String
        public var category: String
        public var purpose: String
        public var source: String
        public var collectedAt: Date
        public var value: String

        public init(field: String, category: String, purpose: String, source: String, collectedAt: Date, value: String) {
            self.field = field
            self.category = category
            self.purpose = purpose
            self.source = source
            self.collectedAt = collectedAt
            self.value = value
        }
    }

    public struct Consent: Sendable, Equatable, Codable {
        public var purpose: String
        public var recipient: String?
        public var channel: String?
        public var action: String
        public var mechanism: String
        public var noticeVersion: String
        public var recordedAt: Date

        public init(purpose: String, recipient: String?, channel: String?, action: String, mechanism: String, noticeVersion: String, recordedAt: Date)
        {
            self.purpose = purpose
            self.recipient = recipient
            self.channel = channel
            self.action = action
            self.mechanism = mechanism
            self.noticeVersion = noticeVersion
            self.recordedAt = recordedAt
        }
    }

    public struct Interaction: Sendable, Equatable, Codable {
        public var kind: String
        public var recordedAt: Date
        public var content: String

        public init(kind: String, recordedAt: Date, content: String) {
            self.kind = kind
            self.recordedAt = recordedAt
            self.content = content
        }
    }

    public struct Access: Sendable, Equatable, Codable {
        public var at: Date
        public var actor: String
        public var action: String
        public var purpose: String?
        public var fields: String?

        public init(at: Date, actor: String, action: String, purpose: String?, fields: String?) {
            self.at = at
            self.actor = actor
            self.action = action
            self.purpose = purpose
            self.fields = fields
        }
    }
}
