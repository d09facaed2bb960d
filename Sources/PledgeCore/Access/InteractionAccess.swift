/// Who may read the notes kept about a person: calls, meetings, letters, emails and chats (C43).
///
/// A note is free text that no purpose bounds, so reading it is not the use of a category for a
/// purpose that the gate decides: it needs its own permission (`Permission.readInteractions`), which
/// only staff roles hold. A processor acts only on the controller's instructions for the purposes of
/// its contract (UK GDPR Art 28(3)(a)) and a key limited to purposes may use nothing beyond them
/// (Art 5(1)(b), (c)), so neither reads notes. While processing is restricted, data is only stored
/// except to establish, exercise or defend legal claims (Art 18(2)): the DPO and administrators, who
/// answer those, may read; support may not.
public enum InteractionAccess {
    /// Why `role`, limited to `purposes` when set, may not read the notes of a person in `state`;
    /// nil when it may.
    public static func refusal(role: Role, purposes: [String]?, state: SubjectState) -> InteractionRefusal? {
        guard role.allows(.readInteractions) else { return .role }
        if purposes != nil { return .purposeScoped }
        if state.restricted, role != .admin, role != .dpo { return .restricted }
        return nil
    }
}

/// Why notes about a person may not be read; nothing was read.
public enum InteractionRefusal: Error, Equatable, Sendable {
    case role
    case purposeScoped
    case restricted

    /// The stable error code.
    public var code: String {
        switch self {
        case .role: "auth.role"
        case .purposeScoped: "auth.purpose-scoped"
        case .restricted: "subject.restricted"
        }
    }

    /// What the caller is told.
    public var message: String {
        switch self {
        case .role: "Only the admin, dpo and support roles read notes of interactions (needs 'interactions:read')."
        case .purposeScoped: "A key limited to purposes may not read notes of interactions, which no purpose bounds (UK GDPR Art 5(1)(b))."
        case .restricted:
            "Processing of this person's data is restricted (UK GDPR Art 18): only the DPO or an administrator may read their notes, for legal claims (Art 18(2))."
        }
    }
}
