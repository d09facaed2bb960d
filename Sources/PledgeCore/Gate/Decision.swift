/// The gate's answer: allowed, or denied with every reason.
public struct Decision: Sendable, Equatable {
    /// Empty when the use is allowed.
    public let reasons: [DenialReason]

    public init(reasons: [DenialReason]) {
        self.reasons = reasons
    }

    public var isAllowed: Bool { reasons.isEmpty }

    public static let allow = Decision(reasons: [])
}
