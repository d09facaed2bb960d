import Foundation

/// Marketing tailored to what a person is interested in (OEX-16, OEX-24; C45): choosing who hears
/// about a product from their interests is profiling (UK GDPR Art 4(4)), so a campaign may select by
/// interest only under a declared profiling purpose (`profiling: true`) on consent or legitimate
/// interests, which reads no payment data (C42), and never for someone who objected to it or to
/// direct marketing: an objection to profiling for direct marketing is absolute (Art 21(2)-(3)).
public struct TailoringRule: Sendable, Equatable {
    /// The purpose under which interests are held and read for marketing; nil when none is declared.
    public let purpose: Purpose?

    public init(_ declaration: Declaration) {
        purpose = declaration.purposes.first { $0.profiling == true && $0.isDirectMarketing }
    }

    /// Why a campaign may not select people by interest; nil when it may.
    public func refusal() -> CampaignRefusal? {
        guard let purpose else { return .tailoringUndeclared }
        // C42: payment data is never used for marketing or profiling.
        if let category = purpose.categories.first(where: { category in
            Fideslang.paymentCategories.contains { Fideslang.key(category, isWithin: $0) }
        }) {
            return .tailoringReadsPaymentData(category)
        }
        // Art 6(1)(a) or (f): profiling for marketing rests on consent or an assessed legitimate interest.
        guard purpose.basis == .consent || (purpose.basis == .legitimateInterests && purpose.lia != nil) else {
            return .tailoringBasis(purpose.id)
        }
        return nil
    }

    /// Whether someone whose stored interests are `interests` may be chosen for a campaign on `asked`
    /// topics: nil when they may, else why not.
    public func refusal(for state: SubjectState, interests: Set<String>, asked: Set<String>) -> MarketingRefusal? {
        guard let purpose else { return .notInterested }
        // Art 21(2)-(3): objecting to the profiling, or to direct marketing, stops it outright.
        if let at = state.objections[purpose.id]?.at ?? state.marketingObjection { return .profilingObjected(at: at) }
        if purpose.basis == .consent, !state.consents.status(purpose: purpose.id).isGranted { return .profilingConsentAbsent }
        return interests.isDisjoint(with: asked) ? .notInterested : nil
    }

    /// The topics a stored interests value names: separated by commas or new lines, trimmed, in lower case.
    public static func topics(_ value: String) -> Set<String> {
        Set(value.split { $0 == "," || $0 == "\n" }.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty })
    }
}
