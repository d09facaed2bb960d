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
    /// The campaigns' messages to them: sent or not and why, and any open or click recorded with their consent.
    public var marketingMessages: [MarketingMessage]

    public init(
        subject: UUID, categories: [String], stage: String?, createdAt: Date, restricted: Bool, marketingObjectionAt: Date?,
        values: [Value], consents: [Consent], interactions: [Interaction], accessLog: [Access], marketingMessages: [MarketingMessage] = []
    ) {
        self.marketingMessages = marketingMessages
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
        /// The dealing with the source that brought it, when one was recorded (Art 15(1)(g); OEX-43).
        public var sourceReference: String?
        public var collectedAt: Date
        public var value: String

        public init(
            field: String, category: String, purpose: String, source: String, sourceReference: String? = nil, collectedAt: Date, value: String
        ) {
            self.field = field
            self.category = category
            self.purpose = purpose
            self.source = source
            self.sourceReference = sourceReference
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
        /// The declared purpose it serves (Art 15(1)(a)), when one was named.
        public var purpose: String?
        public var recordedAt: Date
        public var content: String

        public init(kind: String, purpose: String? = nil, recordedAt: Date, content: String) {
            self.kind = kind
            self.purpose = purpose
            self.recordedAt = recordedAt
            self.content = content
        }
    }

    /// One campaign's message to the subject (issue 28; Art 15(1)).
    public struct MarketingMessage: Sendable, Equatable, Codable {
        public var campaign: UUID
        public var purpose: String
        /// The campaign's subject line, as written (a template).
        public var subjectLine: String
        /// queued, sent, excluded (with the rule's code in `detail`) or failed.
        public var state: String
        public var detail: String?
        public var sentAt: Date?
        public var tracking: String?
        public var openedAt: Date?
        public var clickedAt: Date?

        public init(
            campaign: UUID, purpose: String, subjectLine: String, state: String, detail: String?, sentAt: Date?, tracking: String?, openedAt: Date?,
            clickedAt: Date?
        ) {
            self.campaign = campaign
            self.purpose = purpose
            self.subjectLine = subjectLine
            self.state = state
            self.detail = detail
            self.sentAt = sentAt
            self.tracking = tracking
            self.openedAt = openedAt
            self.clickedAt = clickedAt
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
