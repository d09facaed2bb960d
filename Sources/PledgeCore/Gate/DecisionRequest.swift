/// A question for the gate: may `purpose` use these `categories` of one subject's data,
/// optionally sending them to `recipient`?
public struct DecisionRequest: Sendable, Hashable {
    public var purpose: String
    public var categories: [String]
    public var recipient: String?
    public var channel: String?

    public init(purpose: String, categories: [String] = [], recipient: String? = nil, channel: String? = nil) {
        self.purpose = purpose
        self.categories = categories
        self.recipient = recipient
        self.channel = channel
    }
}
