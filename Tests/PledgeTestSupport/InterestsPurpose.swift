import PledgeCore

extension Declaration {
    /// This declaration (compliant.yaml's) with `interests`: a direct-marketing purpose that profiles
    /// (OEX-24), on legitimate interests with an LIA, holding `user.profiling`; `change` edits it first.
    public func addingInterestsPurpose(_ change: (inout Purpose) -> Void = { _ in }) -> Declaration {
        guard var interests = purposes.first(where: { $0.id == "newsletter" }) else { return self }
        interests.id = "interests"
        interests.name = "Choose which of our products to tell you about, from what you told us interests you"
        interests.dataUse = "marketing.advertising.profiling"
        interests.basis = .legitimateInterests
        interests.lia = "lia-statistics"
        interests.profiling = true
        interests.categories = ["user.profiling"]
        interests.consentMechanism = nil
        change(&interests)
        var declaration = self
        declaration.purposes.append(interests)
        return declaration
    }
}
