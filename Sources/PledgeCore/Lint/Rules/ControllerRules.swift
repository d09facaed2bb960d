/// The controller's identity and the DPO (UK GDPR Art 13(1)(a)-(b), Art 37(7)).
enum ControllerRules {
    static let all: [LegalRule] = [l19, l30]
    static let organisation = LintContext.root.key("organisation")
    static let dpoMention = [TextPattern("data protection officer")]

    static let l19 = LegalRule(
        "L19", "dpo-without-contact", "DPO referred to without contact details", severity: .warning,
        reference: "UK GDPR Art 13(1)(b), Art 37(7)"
    ) { context in
        let dpo = context.declaration.organisation.dpo
        if let dpo, dpo.designated, !dpo.hasContact {
            return [
                Violation(
                    organisation.key("dpo"), "A DPO is designated but no email or phone is given; Art 37(7) requires published contact details.")
            ]
        }
        if dpo?.hasContact != true {
            return context.wordingViolations(dpoMention, "refers to a data protection officer, but no DPO contact is declared.")
        }
        return []
    }

    static let l30 = LegalRule(
        "L30", "controller-identity", "Controller identity or contact incomplete", severity: .warning,
        reference: "UK GDPR Art 13(1)(a), Art 12(1)"
    ) { context in
        let org = context.declaration.organisation
        var missing: [String] = []
        if (org.legalName ?? "").isEmpty { missing.append("legal_name") }
        if (org.registeredOffice ?? "").isEmpty && (org.addresses ?? []).isEmpty { missing.append("registered_office") }
        if (org.contact.email ?? "").isEmpty && (org.contact.webForm ?? "").isEmpty { missing.append("contact.email") }
        var violations: [Violation] = []
        if !missing.isEmpty {
            violations.append(
                Violation(organisation, "The controller's identity or contact is incomplete: missing \(missing.joined(separator: ", "))."))
        }
        if let legal = org.legalName, TextPattern("\\bItd\\.?$").firstMatch(in: legal) != nil {
            violations.append(Violation(organisation.key("legal_name"), "The legal name '\(legal)' looks mistyped ('Itd' for 'Ltd')."))
        }
        return violations
    }
}
