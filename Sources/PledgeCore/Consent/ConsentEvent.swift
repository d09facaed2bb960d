import Foundation

/// Whose consent an event records: a known subject, or an anonymous website visitor.
public enum ConsentHolder: Sendable, Hashable {
    case subject(UUID)
    case visitor(String)
}

/// What a consent covers: a purpose, optionally narrowed to one recipient and one channel.
public struct ConsentScope: Sendable, Hashable {
    public var purpose: String
    public var recipient: String?
    public var channel: String?

    public init(purpose: String, recipient: String? = nil, channel: String? = nil) {
        self.purpose = purpose
        self.recipient = recipient
        self.channel = channel
    }
}

/// Given or withdrawn.
public enum ConsentAction: String, Sendable, Hashable, Codable, CaseIterable {
    case granted
    case withdrawn
}

/// One append-only entry of the consent ledger (C10): the proof that a person gave or withdrew
/// consent, how, against which notice version and which exact wording (UK GDPR Art 7(1)).
public struct ConsentEvent: Sendable, Hashable {
    public var holder: ConsentHolder
    public var scope: ConsentScope
    public var action: ConsentAction
    /// How it was given or withdrawn: `opt_in_checkbox`, `banner`, `unsubscribe_link` ...
    public var mechanism: String
    public var noticeVersion: String
    /// SHA-256 (hex) of the exact wording the person saw.
    public var wordingHash: String
    public var recordedAt: Date

    public init(
        holder: ConsentHolder, scope: ConsentScope, action: ConsentAction, mechanism: String,
        noticeVersion: String, wordingHash: String, recordedAt: Date
    ) {
        self.holder = holder
        self.scope = scope
        self.action = action
        self.mechanism = mechanism
        self.noticeVersion = noticeVersion
        self.wordingHash = wordingHash
        self.recordedAt = recordedAt
    }
}

extension ConsentEvent {
    /// A subject's withdrawal of consent to `purpose` made through request `request` (Art 7(3)); with no
    /// wording shown, the ledger entry points at the case that carries the proof.
    public static func withdrawal(
        of purpose: String, by subject: UUID, through request: UUID, mechanism: String,
        noticeVersion: String, at instant: Date
    ) -> ConsentEvent {
        withdrawal(
            of: purpose, by: subject, reference: "request:\(request.lowercasedString)", mechanism: mechanism, noticeVersion: noticeVersion,
            at: instant)
    }

    /// A withdrawal made through `reference` (`request:ID`, `campaign:ID`), which stands where a grant keeps its wording's hash.
    /// With `channel`, only that channel's consent is withdrawn.
    public static func withdrawal(
        of purpose: String, channel: String? = nil, by subject: UUID, reference: String, mechanism: String, noticeVersion: String, at instant: Date
    ) -> ConsentEvent {
        ConsentEvent(
            holder: .subject(subject), scope: ConsentScope(purpose: purpose, channel: channel), action: .withdrawn, mechanism: mechanism,
            noticeVersion: noticeVersion, wordingHash: reference, recordedAt: instant)
    }
}
