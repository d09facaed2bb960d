import Foundation

/// Why an address or number is on the suppression list, checked at every send (issue 28 §4; C18).
public enum SuppressionReason: String, Codable, Sendable, CaseIterable {
    /// The person unsubscribed from a message's link or header (PECR reg 23).
    case unsubscribed
    /// An objection to direct marketing (UK GDPR Art 21(3)).
    case objection
    /// The mailbox does not exist.
    case hardBounce = "hard_bounce"
    /// The person marked a message as spam.
    case complaint
    /// An opt-out staff entered from a call, a letter or an email.
    case staffOptOut = "staff_opt_out"
    /// Kept from an erased subject who had objected: a keyed hash only.
    case marketing

    /// The suppression a bounce report calls for: `hard` and `complaint` suppress the address; a
    /// `soft` bounce (a full mailbox) calls for none (ICO direct marketing guidance: keep lists accurate).
    public init?(bounce kind: String) {
        switch kind {
        case "hard": self = .hardBounce
        case "complaint": self = .complaint
        default: return nil
        }
    }

    /// Whether it is an objection to direct marketing (Art 21(3)), which a subject created again
    /// with the address inherits; a bounce or a single list's unsubscribe stops mail to the address only.
    public var isObjection: Bool {
        switch self {
        case .objection, .staffOptOut, .marketing: true
        case .unsubscribed, .hardBounce, .complaint: false
        }
    }

    /// The reason a suppression holds once `new` is written over it: the newer, except that an
    /// objection is never narrowed to an address-only reason. An objection covers every channel of
    /// direct marketing and outlives erasure (UK GDPR Art 21(3)); an unsubscribe or a bounce written
    /// later would otherwise leave a person collected again free to be called or written to.
    public func renewed(by new: SuppressionReason) -> SuppressionReason {
        isObjection && !new.isObjection ? self : new
    }
}

/// A number's place on a call-barring list (PECR reg 21).
public enum CallBarring: String, Codable, Sendable, CaseIterable {
    /// The Telephone Preference Service (individual subscribers).
    case tps
    /// The Corporate Telephone Preference Service.
    case ctps
    /// The organisation's own do-not-call list (reg 21(1)(b)).
    case doNotCall = "do_not_call"
}
