import Foundation

/// Screening live marketing calls (issue 28 §1; PECR reg 21(1)(b)-(c), reg 21(4)-(5); ICO direct
/// marketing guidance: screen numbers against the TPS and the CTPS no more than 28 days before a call,
/// as a number registered 28 days ago is protected from then). A phone channel that relies on
/// screening can only be decided when both lists were imported within that window; each number is
/// then checked against them and the organisation's own do-not-call list.
extension MarketingPermissionRule {
    /// How old a TPS or CTPS import may be, in days.
    public static let screeningWindow = 28

    /// Why `question` cannot be decided with the lists as imported (`imports`: when each list was
    /// last imported); nil when it can, or when it is not a call screened against the lists.
    public func screeningRefusal(for question: MarketingQuestion, imports: [CallBarring: Date], at instant: Date) -> CampaignRefusal? {
        guard question.medium == .phone, let channel = channel(for: question), channel.tpsScreening == true else { return nil }
        let stale = [CallBarring.tps, .ctps].filter { list in
            guard let imported = imports[list] else { return true }
            return instant.timeIntervalSince(imported) > Double(Self.screeningWindow) * 86_400
        }
        return stale.isEmpty ? nil : .callListsStale(stale)
    }
}
