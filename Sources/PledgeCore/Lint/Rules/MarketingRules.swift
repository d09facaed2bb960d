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
            violations += permissionViolations(channel, at: path, subjects: subjects)
            guard channel.effectivePermission == .softOptIn, channel.subscribers != .corporate else { continue }
            let permissionPath = Self.permissionPath(of: channel, at: path)
            if [.phone, .post].contains(channel.channel) {
                violations.append(
                    Violation(
                        permissionPath,
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

    /// The PECR permission against the channel, audience and Art 6 basis (issue 26 §1).
    static func permissionViolations(_ channel: MarketingChannel, at path: DeclarationPath, subjects: [String: SubjectCategory]) -> [Violation] {
        let electronic = [MarketingMedium.email, .sms].contains(channel.channel)
        let medium = channel.channel == .sms ? "SMS" : channel.channel == .email ? "Email" : channel.channel.rawValue.capitalized
        let permissionPath = Self.permissionPath(of: channel, at: path)
        var violations: [Violation] = []
        switch channel.effectivePermission {
        case nil where electronic:
            // PECR reg 22(2): a UK GDPR basis is not a PECR permission.
            violations.append(
                Violation(
                    permissionPath,
                    "\(medium) marketing to individuals needs their consent or the soft opt-in (PECR reg 22(2)); legitimate interests is a UK GDPR basis, not a permission under PECR."
                ))
        case .notRequired? where electronic && channel.subscribers != .corporate:
            violations.append(
                Violation(
                    permissionPath,
                    "\(medium) marketing to individuals always needs a PECR permission (reg 22(2)): consent, the soft opt-in, or corporate subscribers only."
                ))
        case .notRequired? where channel.channel == .phone && channel.tpsScreening != true:
            violations.append(
                Violation(
                    permissionPath,
                    "Live calls need no consent only when screened against TPS/CTPS (PECR reg 21); declare tps_screening or rely on consent."))
        case .corporateSubscriber? where channel.subscribers != .corporate:
            violations.append(
                Violation(
                    permissionPath,
                    "The corporate-subscriber rule covers only company addresses (PECR reg 22 protects individual subscribers); declare subscribers: corporate or another permission."
                ))
        case .consent? where channel.basis == .legitimateInterests:
            // ICO direct marketing guidance: where PECR requires consent, consent is in practice the Art 6 basis.
            violations.append(
                Violation(
                    path.key("basis"),
                    "Where PECR needs consent, the UK GDPR basis is consent too (ICO direct marketing guidance), not legitimate interests.",
                    severity: .warning))
        default: break
        }
        // C24 (ICO direct marketing guidance): consent to a third party's marketing must name it, so
        // Pledge can check it per partner only when the channel names its partners.
        if channel.products == .ownAndPartners, (channel.partners ?? []).isEmpty {
            violations.append(
                Violation(
                    path.key("products"),
                    "Partners' products are marketed, but no partners are named: list them under partners (recipients[].id), so each person's consent can name them.",
                    severity: .warning))
        }
        if !(channel.partners ?? []).isEmpty, channel.products != .ownAndPartners {
            violations.append(
                Violation(
                    path.key("partners"), "Partners are named, but products is not own_and_partners: no partner marketing is declared.",
                    severity: .warning))
        }
        // PECR reg 2: sole traders and (non-Scottish) partnerships are individual subscribers.
        let relyOnCorporate =
            channel.subscribers == .corporate && electronic && [nil, .corporateSubscriber, .notRequired].contains(channel.effectivePermission)
        let soleTraders = channel.audience.compactMap { subjects[$0] }.filter { $0.includesSoleTraders == true }
        if relyOnCorporate, !soleTraders.isEmpty {
            violations.append(
                Violation(
                    path.key("audience"),
                    "\(soleTraders.map(\.name).joined(separator: ", ")) include sole traders or partnerships, who are individual subscribers (PECR reg 2): \(medium.lowercased()) marketing to them needs consent or the soft opt-in."
                ))
        }
        return violations
    }

    /// Where the channel's PECR permission is declared: `permission`, or `basis` when it is read from there.
    static func permissionPath(of channel: MarketingChannel, at path: DeclarationPath) -> DeclarationPath {
        path.key(channel.permission == nil ? "basis" : "permission")
    }
}
