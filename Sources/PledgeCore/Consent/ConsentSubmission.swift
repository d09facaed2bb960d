import Crypto
import Foundation

/// A consent given or withdrawn, as staff or an application report it (C10), before it is checked.
public struct ConsentSubmission: Sendable, Equatable {
    public var purpose: String
    public var recipient: String?
    public var channel: String?
    public var action: ConsentAction
    public var mechanism: String
    /// The exact words shown, or their SHA-256 in hex (`wordingSHA256`): one of the two.
    public var wording: String?
    public var wordingSHA256: String?

    public init(
        purpose: String, recipient: String? = nil, channel: String? = nil, action: ConsentAction, mechanism: String,
        wording: String? = nil, wordingSHA256: String? = nil
    ) {
        self.purpose = purpose
        self.recipient = recipient
        self.channel = channel
        self.action = action
        self.mechanism = mechanism
        self.wording = wording
        self.wordingSHA256 = wordingSHA256
    }

    /// The ledger event for `holder`, once the submission is valid consent under `declaration`:
    /// a declared purpose and recipient; a grant only from a clear affirmative act, never inferred
    /// from use, submission or agreement to a policy (UK GDPR Art 4(11), Recital 32); and the
    /// wording shown, so the consent can be proved (Art 7(1)).
    public func event(
        for holder: ConsentHolder, noticeVersion: String, in declaration: Declaration, at instant: Date
    ) throws(ConsentRefusal) -> ConsentEvent {
        guard declaration.purposes.contains(where: { $0.id == purpose }) else { throw .purposeUnknown(purpose) }
        if let recipient, !(declaration.recipients ?? []).contains(where: { $0.id == recipient }) { throw .recipientUnknown(recipient) }
        if action == .granted, ConsentMechanism(rawValue: mechanism)?.isInferred == true { throw .inferred(mechanism) }
        guard (1...64).contains(mechanism.count) else { throw .mechanismInvalid }
        let hash: String
        switch (wording, wordingSHA256) {
        case (let wording?, nil): hash = SHA256.hex(wording)
        case (nil, let given?) where given.count == 64 && given.allSatisfy(\.isHexDigit): hash = given.lowercased()
        default: throw .wordingMissing
        }
        return ConsentEvent(
            holder: holder, scope: ConsentScope(purpose: purpose, recipient: recipient, channel: channel), action: action,
            mechanism: mechanism, noticeVersion: noticeVersion, wordingHash: hash, recordedAt: instant)
    }
}

/// Why a reported consent is not recorded; nothing was stored.
public enum ConsentRefusal: Error, Equatable, Sendable {
    case purposeUnknown(String)
    case recipientUnknown(String)
    case inferred(String)
    case mechanismInvalid
    case wordingMissing

    /// The stable error code.
    public var code: String {
        switch self {
        case .purposeUnknown: "consent.purpose-unknown"
        case .recipientUnknown: "consent.recipient-unknown"
        case .inferred: "consent.inferred"
        case .mechanismInvalid: "consent.mechanism-invalid"
        case .wordingMissing: "consent.wording-missing"
        }
    }

    /// What the caller is told.
    public var message: String {
        switch self {
        case .purposeUnknown(let purpose): "No purpose '\(purpose)' is declared."
        case .recipientUnknown(let recipient): "No recipient '\(recipient)' is declared."
        case .inferred(let mechanism): "'\(mechanism)' is not consent: consent needs a clear affirmative act (UK GDPR Art 4(11))."
        case .mechanismInvalid: "The mechanism must be a short name such as opt_in_checkbox."
        case .wordingMissing:
            "Give the exact wording shown (wording) or its SHA-256 in hex (wordingSha256): consent must be provable (UK GDPR Art 7(1))."
        }
    }
}
