/// The permissions a change of a subject's flags needs (issue 24 finding 4).
///
/// Marking a subject as a child erases their data at once (DPA 2018 s.9, C35), and a legal hold is
/// what stops an erasure (UK GDPR Art 17(3)(e)): both decide whether data is destroyed, so both need
/// the erase permission, not only the right to change a subject. Restriction and stage need that.
public enum SubjectFlagAccess {
    /// What changing the flags needs: `child` marks the subject as a child, `legalHold` sets or
    /// lifts a hold.
    public static func permissions(child: Bool, legalHold: Bool) -> [Permission] {
        child || legalHold ? [.writeSubjects, .erase] : [.writeSubjects]
    }
}

/// The permissions fulfilling a request needs (issue 24 finding 4): carrying out an erasure destroys
/// data (UK GDPR Art 17), so beside handling requests it needs the erase permission, as erasing a
/// subject directly does.
public enum FulfilmentAccess {
    public static func permissions(for kind: RequestKind) -> [Permission] {
        kind == .erasure || kind == .parentalDeletion ? [.handleRequests, .erase] : [.handleRequests]
    }
}
