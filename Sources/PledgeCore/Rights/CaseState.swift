/// Where a request stands. Open states run the clock (or pause it); the rest are final.
public enum CaseState: String, Sendable, Codable, CaseIterable {
    /// Waiting for the requester to confirm who they are; the month runs from when they do (Art 12A(2)).
    case awaitingVerification = "awaiting_verification"
    /// Waiting for clarification; the clock stands still (Art 12A(3)).
    case awaitingClarification = "awaiting_clarification"
    /// Waiting for a fee charged for a manifestly unfounded or excessive request (Art 12(5), 12A(2)).
    case awaitingFee = "awaiting_fee"
    /// Being worked on, with the clock running.
    case inProgress = "in_progress"
    /// A complaint acknowledged, its investigation under way (DPA 2018 s.164A(3)).
    case acknowledged
    case completed
    case refused
    case withdrawn

    public var isOpen: Bool {
        switch self {
        case .completed, .refused, .withdrawn: false
        default: true
        }
    }
}

/// Why a request was refused; the response always carries it and the ICO route (Art 12(4)).
public enum RefusalGround: String, Sendable, Codable, CaseIterable {
    case manifestlyUnfounded = "manifestly_unfounded"  // Art 12(5)(b)
    case excessive  // Art 12(5)(b)
    case identityNotConfirmed = "identity_not_confirmed"  // Art 12(6)
    case exemption  // DPA 2018 Sch 2-4
    case noDataHeld = "no_data_held"
    case rightDoesNotApply = "right_does_not_apply"  // e.g. Art 17(3), Art 21(1) compelling grounds
}

/// How identity was confirmed (C29); documents only where there is a recorded reasonable doubt.
public enum VerificationRoute: String, Sendable, Codable, CaseIterable {
    case emailLink = "email_link"
    case accountSession = "account_session"
    case knownContact = "known_contact"
    case documentCheck = "document_check"
}

/// Data kept back from an access request, or kept through an erasure, with the ground in law it relies on (C30).
public struct Withholding: Sendable, Equatable, Codable {
    public var ground: WithholdingGround
    public var detail: String

    public init(ground: WithholdingGround, detail: String) {
        self.ground = ground
        self.detail = detail
    }

    private enum CodingKeys: String, CodingKey { case ground, detail, label }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let stored = try container.decode(String.self, forKey: .ground)
        guard let ground = WithholdingGround(stored: stored) else {
            throw DecodingError.dataCorruptedError(forKey: .ground, in: container, debugDescription: "no ground in law is cited")
        }
        self.ground = ground
        self.detail = try container.decode(String.self, forKey: .detail)
    }

    /// The code, the detail, and the label the requester reads (an export carries all three).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ground.rawValue, forKey: .ground)
        try container.encode(detail, forKey: .detail)
        try container.encode(ground.label, forKey: .label)
    }
}
