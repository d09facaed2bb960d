import Foundation

/// Consent, notice changes and the law a notice cites.
enum ConsentRules {
    static let all: [LegalRule] = [l08, l09, l13, l14, l32]

    static let l08 = LegalRule(
        "L08", "inferred-consent", "Consent inferred from use, submission or 'agreement' to the policy", severity: .error,
        reference: "UK GDPR Art 4(11), Art 7(2), Art 7(4), Recitals 32 and 43; ICO consent guidance",
        wording: [
            "continued use .{0,60}(constitutes|acceptance)", "by using .{0,40}you agree", "by (submitting|providing) your information.{0,40}consent",
            "assumed that you accept",
        ]
    ) { context in
        let d = context.declaration
        var violations = d.purposes.enumerated().compactMap { i, purpose -> Violation? in
            guard let mechanism = purpose.consentMechanism, mechanism.isInferred else { return nil }
            return Violation(
                LintContext.root.key("purposes").index(i).key("consent_mechanism"),
                "Purpose '\(purpose.id)' infers consent from \(mechanism.rawValue.replacingOccurrences(of: "_", with: " ")); consent needs a clear affirmative act, separate from other matters."
            )
        }
        if d.notice.changePolicy?.deemedAcceptance == true {
            violations.append(
                Violation(
                    LintContext.root.key("notice").key("change_policy").key("deemed_acceptance"),
                    "Continued use is treated as acceptance of notice changes; a notice is information, not a contract, and silence is not consent."))
        }
        return violations
    }

    static let l09 = LegalRule(
        "L09", "changes-only-posted", "Policy changes only posted, with no advance notice of new purposes", severity: .warning,
        reference: "UK GDPR Art 13(3), Art 14(4), Art 6(4) and Art 8A (DUAA 2025 s.71), Art 5(1)(a); ICO right to be informed guidance",
        wording: ["(periodically|from time to time) (review|check)", "post (any )?changes .{0,30}(this|our) (page|site)"]
    ) { context in
        let path = LintContext.root.key("notice").key("change_policy")
        guard let policy = context.declaration.notice.changePolicy else {
            return [Violation(path, "No change policy: say how people are told of changes before they take effect.")]
        }
        var violations: [Violation] = []
        if (policy.advanceNoticeDays ?? 0) == 0 {
            violations.append(
                Violation(
                    path.key("advance_notice_days"),
                    "Changes take effect when posted; give advance notice so people learn of new purposes before the processing starts."))
        }
        if let notify = policy.notify, notify.allSatisfy({ $0 == .postedOnly }) {
            violations.append(
                Violation(path.key("notify"), "Changes are only posted; bring significant changes to people's attention (banner or email)."))
        }
        return violations
    }

    static let l13 = LegalRule(
        "L13", "dpa-1998", "Data Protection Act 1998 references and DPA-1998 terminology", severity: .error,
        reference:
            "DPA 2018 s.211 and Sch 19 (DPA 1998 repealed 25 May 2018); UK GDPR Art 18 (restriction, formerly 'blocking', DPA 1998 s.14); UK GDPR Art 12(3), 12(5) (one month and no fee, formerly 40 days and £10)",
        wording: [
            "Data Protection Act 1998", "\\bDPA 1998\\b",
            // 'Blocking' of personal data (DPA 1998 s.14) in a rights sentence; blocking cookies, spam or ads is not old law (issue 26 §7).
            "\\bright\\w*\\b[^.]{0,60}\\bblock(ing|ed)?\\b(?![^.]{0,25}\\b(cookies?|spam|ads?|advert\\w*|pop-?ups?|scripts?|trackers?)\\b)",
            "\\bblock(ing|ed)?\\b(?![^.]{0,25}\\b(cookies?|spam|ads?|advert\\w*|pop-?ups?|scripts?|trackers?)\\b)[^.]{0,30}\\b(your )?personal (data|information)\\b",
            "\\brectif\\w*,? block\\w*",
            // The DPA 1998 regime described without naming it (issue 26 §8): a £10 access fee, 40 days to answer.
            "£\\s?10(\\.00)?\\b[^.]{0,60}\\b(subject access|access request|copy of (the|your) (personal )?(data|information))",
            "\\b(subject access|access request)\\w*\\b[^.]{0,60}£\\s?10\\b",
            "\\b40 (calendar )?days\\b[^.]{0,60}\\b(request|respond|reply|answer)",
            "\\b(request|respond|reply|answer)\\w*\\b[^.]{0,60}\\b40 (calendar )?days\\b",
        ]
    )

    static let l14 = LegalRule(
        "L14", "eu-gdpr-citation", "Outdated or wrong legal citations", severity: .info,
        reference: "DPA 2018 s.3(10); DPPEC (Amendments etc.) (EU Exit) Regulations 2019; DPA 2018 Schs 2–4 (access exemptions)",
        wording: [
            "(?<!UK )General Data Protection Regulation", "(?<!UK )\\bGDPR\\b",
            "Privacy and Electronic Communications.{0,40}Regulations 2003.{0,40}(exception|exemption)",
        ]
    )

    static let l32 = LegalRule(
        "L32", "stale-notice", "Stale or undated policy (last updated before UK GDPR / DUAA, or no date)", severity: .info,
        reference: "UK GDPR Arts 12–14, Art 5(2); UK GDPR in force 1 Jan 2021; DUAA 2025 main provisions 5 Feb 2026 (SI 2026/82)"
    ) { context in
        let versions = context.declaration.notice.versions
        guard let current = versions.last else { return [] }
        let path = LintContext.root.key("notice").key("versions").index(versions.count - 1)
        guard let updated = current.statedDate else {
            // Issue 26 §11: flagged, not refused; Pledge dates what it publishes.
            return [
                Violation(
                    path,
                    "The notice carries no date, so nobody can tell which version they read (Art 12(1), 13(3)); Pledge dates it the day it publishes it.",
                    severity: .warning)
            ]
        }
        if updated < LawInForce.ukGDPR {
            return [Violation(path, "Last updated \(updated), before the UK GDPR took effect (1 Jan 2021).", severity: .warning)]
        }
        if updated < LawInForce.duaaMainProvisions {
            return [Violation(path, "Last updated \(updated), before the Data (Use and Access) Act 2025 changes (5 Feb 2026); review it.")]
        }
        return []
    }
}
