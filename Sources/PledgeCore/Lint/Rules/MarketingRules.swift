/// Direct marketing: PECR regs 21–23 and UK GDPR Art 21.
enum MarketingRules {
    static let all: [LegalRule] = [l24, l25]
    static let newsletterMention = [TextPattern("newsletter")]

    static let l24 = LegalRule(
        "L24", "soft-opt-in-misapplied", "Soft opt-in misapplied (partners' products, bought-in lists, prospects, phone)", severity: .error,
        reference: "PECR reg 21 (TPS/CTPS), reg 22(2)-(3) (soft opt-in), reg 23; ICO direct marketing and B2B guidance; DUAA 2025 s.114",
        wording: [
            "soft opt-in.{0,120}partners", "(our|of ours).{0,20}(and/or )?our partners", "supplying data lists",
            // A UK GDPR basis is not a PECR permission (issue 26 §1).
            "\\b(do not|don't|no|never) need (your |any )?(consent|permission)\\b[^.]{0,60}\\b(market\\w*|newsletters?|promot\\w*|offers?)\\b",
        ]
    ) { context in
        let d = context.declaration
        let sources = Dictionary(d.sources.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let subjects = Dictionary(d.subjects.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var violations: [Violation] = []
        for (i, channel) in (d.marketing ?? []).enumerated() {
            let path = LintContext.root.key("marketing").index(i)
            if channel.channel == .phone, channel.tpsScreening != true {
                violations.append(
                    Violation(path.key("tps_screening"), "Live marketing calls must be screened against TPS/CTPS and the do-not-call list (reg 21)."))
            }
            // PECR reg 22(2): email and SMS marketing to individual subscribers needs consent or the soft opt-in;
            // legitimate interests is an Art 6 basis, not a PECR permission (issue 26 §1).
            if channel.basis == .legitimateInterests, [.email, .sms].contains(channel.channel), channel.subscribers != .corporate {
                violations.append(
                    Violation(
                        path.key("basis"),
                        "\(channel.channel == .sms ? "SMS" : "Email") marketing to individuals needs their consent or the soft opt-in (PECR reg 22(2)); legitimate interests is a UK GDPR basis, not a permission under PECR."
                    ))
            }
            guard channel.basis == .softOptIn, channel.subscribers != .corporate else { continue }
            if [.phone, .post].contains(channel.channel) {
                violations.append(
                    Violation(
                        path.key("basis"),
                        "The soft opt-in applies to email and SMS only; '\(channel.channel.rawValue)' marketing needs its own basis.",
                        severity: .warning))
            }
            if channel.products == .ownAndPartners {
                violations.append(
                    Violation(path.key("products"), "The soft opt-in covers only the sender's own similar products; partners' products need consent.")
                )
            }
            let bought = (channel.sources ?? []).compactMap { sources[$0] }.filter { $0.kind == .listVendor || $0.kind == .thirdParty }
            if !bought.isEmpty {
                violations.append(
                    Violation(
                        path.key("sources"),
                        "Contacts from \(bought.map(\.name).joined(separator: ", ")) did not give their details to the sender in a sale; the soft opt-in cannot apply."
                    ))
            }
            let prospects = channel.audience.compactMap { subjects[$0] }.filter {
                $0.fides == "prospect" || $0.id == "prospect" || $0.id == "prospects"
            }
            // A prospect who asked about a product directly may be in "negotiations for a sale" (reg 22(3)(a));
            // a charity may write to people who expressed an interest or offered support (reg 22(3A)).
            let channelSources = (channel.sources ?? []).compactMap { sources[$0] }
            let enquired = !channelSources.isEmpty && channelSources.allSatisfy { $0.kind == .direct }
            if !prospects.isEmpty, !enquired, d.organisation.charity != true {
                violations.append(
                    Violation(path.key("audience"), "Prospects who have not bought or negotiated to buy cannot be marketed to on the soft opt-in."))
            }
        }
        return violations
    }

    static let l25 = LegalRule(
        "L25", "marketing-opt-out", "Newsletters or marketing without a stated opt-out", severity: .warning,
        reference: "PECR reg 22(2)-(3)(c), reg 23(b); UK GDPR Art 21(2)-(4)"
    ) { context in
        let d = context.declaration
        var violations = (d.marketing ?? []).enumerated().compactMap { i, channel -> Violation? in
            channel.optOut.isEmpty
                ? Violation(
                    LintContext.root.key("marketing").index(i).key("opt_out"),
                    "Channel '\(channel.id)' offers no way to opt out; every message needs one.") : nil
        }
        let marketingPurposes = d.purposes.enumerated().filter { ($0.element.dataUse ?? "").hasPrefix("marketing.communications") }
        if (d.marketing ?? []).isEmpty {
            violations += marketingPurposes.map { i, purpose in
                Violation(
                    LintContext.root.key("purposes").index(i),
                    "Purpose '\(purpose.id)' sends marketing, but no marketing channel with an opt-out is declared.")
            }
            if marketingPurposes.isEmpty {
                violations += context.wordingViolations(
                    newsletterMention, "promises newsletters, but no marketing channel with an opt-out is declared.")
            }
        }
        return violations
    }
}
