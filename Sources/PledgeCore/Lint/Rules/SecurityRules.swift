/// Security of processing and breaches.
enum SecurityRules {
    static let all: [LegalRule] = [l16, l17, l18, l36]

    /// Issue 29 §6: what `ReviewDates` finds past or within 30 days of its date, named where it is declared.
    static let l36 = LegalRule(
        "L36", "review-overdue",
        "Security review, legitimate-interests assessment, processor contract or privacy notice past or near its review date",
        severity: .warning,
        reference:
            "UK GDPR Art 32(1)(d) (regularly testing and evaluating security), Art 28(3) (a processor only under a contract in force), Art 6(1)(f) with the ICO's LIA guidance (keep it under review), Art 12(1) and 13(3) with the ICO's right to be informed guidance (review the notice regularly)"
    ) { context in
        let declaration = context.declaration
        return ReviewDates.attention(declaration, on: context.today).compactMap { item -> Violation? in
            guard let due = item.due else { return nil }  // no date recorded: other rules (and the console) say so
            let when = item.standing == .overdue ? "was due on \(due)" : "is due on \(due)"
            switch item.kind {
            case .security:
                return Violation(
                    LintContext.root.key("security").key("reviewed"),
                    "The security review \(when) (every \(declaration.security.reviewInterval ?? ReviewDates.defaultInterval)).")
            case .lia:
                let index = declaration.legitimateInterests?.firstIndex { $0.id == item.name } ?? 0
                return Violation(
                    LintContext.root.key("legitimate_interests").index(index).key("reviewed"),
                    "The legitimate-interests assessment '\(item.name)' \(when) for review.")
            case .contract:
                let index = declaration.recipients?.firstIndex { $0.id == item.name } ?? 0
                let what = item.standing == .overdue ? "ended before \(due)" : "ends before \(due)"
                return Violation(
                    LintContext.root.key("recipients").index(index).key("contract").key("expires"),
                    "The processor contract with '\(item.name)' \(what): no data flows to it without one in force.")
            case .notice:
                guard let index = declaration.notice.versions.indices.last else { return nil }
                let version = declaration.notice.versions[index]
                return Violation(
                    LintContext.root.key("notice").key("versions").index(index).key(version.lastUpdated == nil ? "published" : "last_updated"),
                    "The privacy notice (version \(item.name)) \(when) for its yearly review: check it still says what is done, and publish a new version."
                )
            }
        }
    }

    static let l16 = LegalRule(
        "L16", "no-encryption-in-transit", "No encryption in transit / no firewalls", severity: .error,
        reference: "UK GDPR Art 5(1)(f), Art 32(1)(a), Art 25; ICO encryption guidance ('Encryption and data transfer')",
        wording: ["do not use encryption", "without (SSL|TLS|encryption)", "no (SSL|firewall)"]
    ) { context in
        let security = context.declaration.security
        let path = LintContext.root.key("security")
        var violations: [Violation] = []
        if !security.tls {
            violations.append(
                Violation(
                    path.key("tls"),
                    "Personal data travels without TLS. Pledge serves every page and API over HTTPS (TLS 1.2 or later) behind a TLS-terminating proxy; the declaration must say so."
                ))
        }
        if security.firewall == false {
            violations.append(Violation(path.key("firewall"), "No firewall protects the systems that hold personal data."))
        }
        return violations
    }

    static let l17 = LegalRule(
        "L17", "risk-shifting-disclaimer", "Risk-shifting security disclaimers", severity: .info,
        reference: "UK GDPR Art 5(1)(f), Art 24, Art 32, Art 82; Consumer Rights Act 2015 Part 2",
        wording: ["at your own risk", "cannot (ensure|warrant|guarantee).{0,30}security"]
    )

    static let l18 = LegalRule(
        "L18", "breach-handling", "Breach handling vague: no 72-hour ICO notification or high-risk notice", severity: .info,
        reference: "UK GDPR Art 33(1), Art 33(3), Art 33(5), Art 34; ICO personal data breach guidance"
    ) { context in
        let path = LintContext.root.key("breach")
        guard let breach = context.declaration.breach else {
            return [
                Violation(
                    path,
                    "No breach policy: record every breach, notify the ICO within 72 hours where there is a risk, and tell people without undue delay when the risk is high."
                )
            ]
        }
        var violations: [Violation] = []
        if breach.icoNotificationHours > 72 {
            violations.append(
                Violation(
                    path.key("ico_notification_hours"),
                    "The ICO must be told within 72 hours of awareness where feasible; \(breach.icoNotificationHours) hours is too long.",
                    severity: .error))
        }
        if !breach.notifyIndividualsWhenHighRisk {
            violations.append(
                Violation(
                    path.key("notify_individuals_when_high_risk"),
                    "People must be told without undue delay when a breach is likely to result in a high risk to them (Art 34).", severity: .error))
        }
        return violations
    }
}
