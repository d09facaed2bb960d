/// What an erasure must leave because a statute requires it to be kept (UK GDPR Art 17(3)(b), (e)):
/// the purposes whose declared retention rule names a statute, each with how long it keeps data.
/// Every path that erases (a request, the API, a child's data, retention) passes one, so no path
/// destroys records the law obliges the organisation to keep.
public struct StatutoryRetention: Sendable, Equatable {
    /// How long each kept purpose's data stays, by purpose id.
    public let purposes: [String: String]

    /// Keeps nothing: for a store with no declaration (tests, benchmarks).
    public static let nothing = StatutoryRetention(purposes: [:])

    public init(purposes: [String: String]) { self.purposes = purposes }

    /// The purposes of `declaration` whose retention rule names a statute.
    public init(_ declaration: Declaration) {
        let rules = Dictionary(declaration.retention.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var keep: [String: String] = [:]
        for purpose in declaration.purposes {
            guard let rule = purpose.retention.flatMap({ rules[$0] }), rule.statute != nil else { continue }
            keep[purpose.id] = rule.howLong()
        }
        purposes = keep
    }
}
