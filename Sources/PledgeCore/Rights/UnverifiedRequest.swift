import Foundation

/// A request made through the public privacy centre is not known to be the requester's until they
/// confirm it from the link emailed to them: anyone may have typed the address (issue 24 finding 5).
public enum UnverifiedRequest {
    /// How long the emailed confirmation link works. An unconfirmed request is kept no longer: its
    /// sealed details (someone's email address, perhaps not the typist's) are deleted with it
    /// (UK GDPR Art 5(1)(c), (e)).
    public static let lifetime: TimeInterval = 48 * 3600
}
