/// What an erasure removed, and what it kept and why.
public struct ErasureReceipt: Sendable, Equatable {
    public var values: Int
    public var identifiers: Int
    public var interactions: Int
    /// Data a retention duty requires, kept and restricted (UK GDPR Art 17(3), Art 18(2)).
    public var kept: [KeptData]

    public init(values: Int, identifiers: Int, interactions: Int, kept: [KeptData] = []) {
        self.values = values
        self.identifiers = identifiers
        self.interactions = interactions
        self.kept = kept
    }
}

/// Values of one purpose kept through an erasure, with the reason told to the requester.
public struct KeptData: Sendable, Equatable {
    public var purpose: String
    public var values: Int
    public var reason: String

    public init(purpose: String, values: Int, reason: String) {
        self.purpose = purpose
        self.values = values
        self.reason = reason
    }
}
