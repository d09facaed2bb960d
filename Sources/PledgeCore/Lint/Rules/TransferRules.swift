/// Recipients, international transfers, disclosures to authorities and indirect collection.
enum TransferRules {
    static let all: [LegalRule] = [l15, l27, l31]
    static let thirdPartyMention = [TextPattern("(from|obtain).{0,40}third part(y|ies)"), TextPattern("data lists")]

    static let l15 = LegalRule(
        "L15", "transfer-without-safeguard", "International transfers: EEA framing, deemed consent, no safeguards named", severity: .error,
        reference:
            "UK GDPR Chapter V as substituted by DUAA 2025 s.85 and Sch 7 (SI 2026/82): Art 44A, Arts 45A–45B, Art 46(1A), Art 49(1)(a); Art 13(1)(f) (Sch 9 para 2); ICO international transfers guidance",
        wording: ["outside the (European Economic Area|EEA)", "consent to (this|the) transfer", "outside of your state, province"]
    ) { context in
        (context.declaration.recipients ?? []).enumerated().compactMap { i, recipient in
            guard recipient.isRestrictedTransfer else { return nil }
            let path = LintContext.root.key("recipients").index(i).key("transfer")
            guard let transfer = recipient.transfer else {
                return Violation(
                    path, "\(recipient.name) processes data in \(recipient.country), outside the UK, but no transfer mechanism is named.")
            }
            switch transfer.mechanism {
            case .deemedConsent:
                return Violation(
                    path.key("mechanism"),
                    "Transfers to \(recipient.name) (\(recipient.country)) rely on deemed consent; that is no Chapter V mechanism. Use adequacy, the IDTA or the UK Addendum."
                )
            case .adequacy where !recipient.isAdequateDestination:
                let why =
                    UKAdequacy.certifiedOnly.contains(recipient.country.uppercased())
                    ? "\(recipient.country) is adequate only for recipients certified under the UK Extension to the EU-US Data Privacy Framework (Art 45A-45B), and \(recipient.name) is not declared certified (dpf_certified)"
                    : "\(recipient.country) has no UK adequacy regulations"
                return Violation(
                    path.key("mechanism"),
                    "\(why); name another safeguard (IDTA or EU SCCs with the UK Addendum, with a risk assessment).")
            case .idta where transfer.riskAssessment == nil, .euSccUkAddendum where transfer.riskAssessment == nil:
                return Violation(
                    path.key("risk_assessment"),
                    "Transfers to \(recipient.name) under \(transfer.mechanism.rawValue) need a transfer risk assessment date; until one is recorded the gate refuses them (Art 46(1A))."
                )
            case .art49ExplicitConsent:
                return Violation(
                    path.key("mechanism"),
                    "Art 49(1)(a) explicit consent is for occasional transfers only, with the risks explained; regular transfers to \(recipient.name) need a safeguard.",
                    severity: .warning)
            default:
                return nil
            }
        }
    }

    static let l27 = LegalRule(
        "L27", "open-ended-disclosure", "Open-ended law-enforcement disclosure", severity: .warning,
        reference: "UK GDPR Art 5(1)(a)-(c), Art 6(1)(c)/(f); DPA 2018 Sch 2 Part 1 paras 2 and 5; Art 48 and Chapter V",
        wording: ["sole discretion", "you authori[sz]e us to disclose", "international law enforcement"]
    ) { context in
        (context.declaration.recipients ?? []).enumerated().compactMap { i, recipient in
            guard recipient.disclosureTest == .soleDiscretion else { return nil }
            return Violation(
                LintContext.root.key("recipients").index(i).key("disclosure_test"),
                "Disclosures to \(recipient.name) are at the organisation's sole discretion; each needs a legal ground, a necessity and prejudice test and an approver."
            )
        }
    }

    static let l31 = LegalRule(
        "L31", "art14-information", "Indirect collection without Art 14 information", severity: .info,
        reference: "UK GDPR Art 14(1)-(3), Art 14(2)(f), Art 14(5)"
    ) { context in
        let d = context.declaration
        var violations = d.sources.enumerated().compactMap { i, source -> Violation? in
            guard source.kind.isIndirect else { return nil }
            let path = LintContext.root.key("sources").index(i).key("art14")
            guard let art14 = source.art14 else {
                return Violation(
                    path,
                    "Data from \(source.name) is obtained indirectly; say how people are told within one month (Pledge opens an Art 14 notice task for each)."
                )
            }
            if art14.inform == .exempt, (art14.exemptionReason ?? "").isEmpty {
                return Violation(path.key("exemption_reason"), "An Art 14(5) exemption for \(source.name) needs a documented reason.")
            }
            return nil
        }
        if !d.sources.contains(where: { $0.kind.isIndirect }) {
            violations += context.wordingViolations(
                thirdPartyMention,
                "says data comes from third parties, but no indirect source is declared.")
        }
        return violations
    }
}
