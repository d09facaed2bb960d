import Foundation

/// Data subject rights, fees, deadlines, verification and complaints.
enum RightsRules {
    static let all: [LegalRule] = [l10, l11, l12, l20, l22, l33]
    static let rights = LintContext.root.key("rights")

    static let l10 = LegalRule(
        "L10", "access-fee", "Charging for subject access", severity: .error,
        reference: "UK GDPR Art 12(5), Art 15(3); ICO right of access guidance ('Can we charge a fee?')",
        wording: ["(recover|charge).{0,40}(cost|fee).{0,60}access", "£\\s?10 fee"]
    ) { context in
        guard let fee = context.declaration.rights.fee, fee != .free else { return [] }
        // A reasonable fee only for further copies (Art 15(3)) or manifestly unfounded or excessive requests (Art 12(5)) is lawful (issue 26 §11).
        if let cases = context.declaration.rights.feeAppliesTo, !cases.isEmpty, fee == .reasonableCost { return [] }
        return [
            Violation(
                rights.key("fee"),
                "Requests cost '\(fee.rawValue)'; they are free unless manifestly unfounded or excessive. Pledge sets the fee to zero unless a request is recorded as such."
            )
        ]
    }

    static let l11 = LegalRule(
        "L11", "response-time", "SAR response time not stated or wrong", severity: .info,
        reference: "UK GDPR Art 12(3) and Art 12A (DUAA 2025 s.76): one month from the relevant time, extendable by two months",
        wording: ["40 days"]
    ) { context in
        let path = rights.key("response_time")
        guard let stated = context.declaration.rights.responseTime else {
            return [Violation(path, "No response time is stated; Pledge answers within one calendar month (Art 12(3)), so say so.")]
        }
        if ResponseTimeWording.statesOneMonth(stated) { return [] }
        if let period = RetentionPeriod(stated), period.years == 0,
            (period.months == 0 && period.days <= 28) || (period.months == 1 && period.days == 0)
        {
            return []
        }
        return [
            Violation(
                path,
                "The stated response time '\(stated)' is longer than, or differs from, the legal one month; Pledge enforces one month plus up to two only for complexity.",
                severity: .warning)
        ]
    }

    static let l12 = LegalRule(
        "L12", "disproportionate-id", "Disproportionate identity-verification demands", severity: .warning,
        reference: "UK GDPR Art 12(2), Art 12(6), Recital 64, Art 5(1)(c); ICO right of access guidance ('Can we ask for ID?')",
        wording: ["certified by a (solicitor|bank)", "original (copy of )?(a )?utility bill", "photocopy of your passport"]
    ) { context in
        guard let verification = context.declaration.rights.verification, !(verification.documents ?? []).isEmpty,
            verification.documentsOnlyOnReasonableDoubt != true
        else { return [] }
        return [
            Violation(
                rights.key("verification").key("documents"),
                "Documents are asked for as a matter of course; ask only when there is reasonable doubt, and use what is already held first.")
        ]
    }

    static let l20 = LegalRule(
        "L20", "ico-complaint-route", "Right to complain to the ICO missing or mis-linked; no internal complaints procedure", severity: .error,
        reference: "UK GDPR Art 13(2)(d), Art 14(2)(e), Art 77; DPA 2018 s.164A (DUAA 2025 s.103, in force 19 June 2026)",
        wording: ["Information Commissioner.{0,60}(www\\.|https?://)(?!(www\\.)?ico\\.org\\.uk)"]
    ) { context in
        let path = rights.key("complaints")
        guard let complaints = context.declaration.rights.complaints else {
            return [Violation(path, "No complaints route: say how to complain to the organisation and to the ICO (ico.org.uk).")]
        }
        var violations: [Violation] = []
        if let url = complaints.icoUrl, !(url.contains("://ico.org.uk") || url.contains("://www.ico.org.uk")) {
            violations.append(Violation(path.key("ico_url"), "The ICO link '\(url)' does not point to ico.org.uk."))
        }
        if complaints.internalProcedure != true {
            violations.append(
                Violation(
                    path.key("internal_procedure"),
                    "No internal complaints procedure; controllers must make it easy to complain, e.g. with an electronic form (s.164A)."))
        }
        if let days = complaints.acknowledgeWithinDays, days > 30 {
            violations.append(Violation(path.key("acknowledge_within_days"), "Complaints must be acknowledged within 30 days; \(days) is too long."))
        }
        return violations
    }

    static let l22 = LegalRule(
        "L22", "rights-incomplete", "Rights list incomplete or narrowed", severity: .error,
        reference: "UK GDPR Art 13(2)(b)-(d), Arts 15–21, Art 17(1), Art 21(4), Art 7(3)",
        wording: ["right to (request )?(the )?(blocking|deletion).{0,80}does not comply"]
    ) { context in
        let offered = Set(context.declaration.rights.offered)
        let missing = DataSubjectRight.mandatory.filter { !offered.contains($0) }
        guard !missing.isEmpty else { return [] }
        return [
            Violation(
                rights.key("offered"),
                "The notice omits the right\(missing.count == 1 ? "" : "s") \(missing.map(\.rawValue).joined(separator: ", ")). Pledge handles every right regardless; the notice must list them."
            )
        ]
    }

    static let l33 = LegalRule(
        "L33", "portability-format", "Portability format under-specified", severity: .info,
        reference: "UK GDPR Art 20(1)-(2) (structured, commonly used and machine-readable; direct transmission)",
        wording: ["commonly used electronic format"]
    ) { context in
        let formats = context.declaration.rights.portabilityFormats ?? []
        guard !formats.contains(.json), !formats.contains(.csv), !formats.contains(.xml) else { return [] }
        return [Violation(rights.key("portability_formats"), "No machine-readable portability format is named; Pledge exports JSON and CSV.")]
    }
}
