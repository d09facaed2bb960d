/// Purposes and lawful bases, retention, special category data, children, automated decisions
/// and public content.
enum ProcessingRules {
    static let all: [LegalRule] = [l21, l23, l26, l28, l29, l34, l41, l42]
    static let creditCheckMention = [TextPattern("credit check")]

    static func purposes(_ context: LintContext) -> [(DeclarationPath, Purpose)] {
        context.declaration.purposes.enumerated().map { (LintContext.root.key("purposes").index($0), $1) }
    }

    static let l21 = LegalRule(
        "L21", "lawful-basis-missing", "Lawful basis missing or not mapped to purposes", severity: .error,
        reference: "UK GDPR Art 6(1) (incl. Art 6(1)(ea), DUAA 2025 s.70), Art 13(1)(c)-(d), Art 14(1)(c); ICO lawful basis and LIA guidance",
        wording: ["to pursue our legitimate interests"]
    ) { context in
        let assessments = Dictionary((context.declaration.legitimateInterests ?? []).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return purposes(context).flatMap { path, purpose -> [Violation] in
            guard let basis = purpose.basis else {
                return [Violation(path.key("basis"), "Purpose '\(purpose.id)' has no lawful basis; Pledge will not let it run.")]
            }
            let further = purpose.furtherProcessing.map { furtherProcessingViolations($0, of: purpose, at: path, in: context.declaration) } ?? []
            return further + basisViolations(basis, of: purpose, at: path, in: context.declaration, assessments: assessments)
        }
    }

    /// What the purpose's own basis lacks: a public authority on (ea) or (f), an Annex 1 condition for
    /// (ea), an approved assessment for (f).
    static func basisViolations(
        _ basis: LawfulBasis, of purpose: Purpose, at path: DeclarationPath, in declaration: Declaration,
        assessments: [String: LegitimateInterestAssessment]
    ) -> [Violation] {
        // Art 6(1), last subparagraph as DUAA 2025 s.70(2)(c) amends it: points (ea) and (f) do not apply
        // to processing by public authorities in the performance of their tasks.
        if declaration.organisation.publicAuthority == true, basis == .legitimateInterests || basis == .recognisedLegitimateInterest {
            return [
                Violation(
                    path.key("basis"),
                    "A public authority cannot rely on \(basis == .legitimateInterests ? "legitimate interests" : "recognised legitimate interests") (\(basis.article)) for its tasks; use public task (Art 6(1)(e)) or another basis."
                )
            ]
        }
        // Art 6(3): the basis for (c) and (e) is laid down by law, which the record of processing names.
        if purpose.needsStatute, purpose.namedStatute == nil {
            return [
                Violation(
                    path.key("statute"),
                    "Purpose '\(purpose.id)' relies on \(basis == .publicTask ? "a public task" : "a legal obligation") without naming the law that imposes it (Art 6(3)); name it so the record of processing and the notice can say which.",
                    severity: .warning)
            ]
        }
        if basis == .recognisedLegitimateInterest { return recognisedInterestViolations(purpose, at: path) }
        guard basis == .legitimateInterests else { return [] }
        guard let id = purpose.lia, let lia = assessments[id] else {
            return [
                Violation(
                    path.key("lia"),
                    "Purpose '\(purpose.id)' relies on legitimate interests without an assessment saying which interest and why it is not overridden."
                )
            ]
        }
        if lia.outcome != .approved {
            return [
                Violation(
                    path.key("lia"),
                    "Purpose '\(purpose.id)' relies on an assessment whose outcome is '\(lia.outcome.rawValue)'; it cannot run until the assessment is approved."
                )
            ]
        }
        if !lia.recordsTheTest {
            let index = declaration.legitimateInterests?.firstIndex { $0.id == id } ?? 0
            return [
                Violation(
                    LintContext.root.key("legitimate_interests").index(index),
                    "Assessment '\(id)' is approved without its necessity and balancing tests written down; purpose '\(purpose.id)' cannot run until they are."
                )
            ]
        }
        return []
    }

    /// A purpose on recognised legitimate interests names the Annex 1 condition it meets (Art 6(5));
    /// direct marketing meets none, being an example of ordinary legitimate interests (Art 6(9)). Issue 26 §3.
    static func recognisedInterestViolations(_ purpose: Purpose, at path: DeclarationPath) -> [Violation] {
        if purpose.isDirectMarketing {
            return [
                Violation(
                    path.key("basis"),
                    "Purpose '\(purpose.id)' is direct marketing, which meets no condition of UK GDPR Annex 1; it cannot rely on recognised legitimate interests (Art 6(1)(ea), 6(5))."
                )
            ]
        }
        guard purpose.recognisedInterest != nil else {
            return [
                Violation(
                    path.key("recognised_interest"),
                    "Purpose '\(purpose.id)' relies on recognised legitimate interests without naming the Annex 1 condition it meets (Art 6(5)): public_task_disclosure, national_security, emergencies, crime or safeguarding."
                )
            ]
        }
        return []
    }

    /// Further processing is compatible only on a ground of Art 8A(3), stated in full; data collected
    /// on consent is used for a new purpose only with consent to it or under Annex 2 (Art 8A(4)). Issue 26 §4.
    static func furtherProcessingViolations(
        _ further: FurtherProcessing, of purpose: Purpose, at path: DeclarationPath, in declaration: Declaration
    ) -> [Violation] {
        let at = path.key("further_processing")
        guard let original = declaration.purposes.first(where: { $0.id == further.of }) else {
            return [Violation(at.key("of"), "Purpose '\(purpose.id)' further processes data of '\(further.of)', which is not a declared purpose.")]
        }
        var violations: [Violation] = []
        switch further.ground {
        case .annex2 where further.annex2Condition == nil:
            violations.append(
                Violation(at.key("annex_2_condition"), "Name the UK GDPR Annex 2 condition that makes '\(purpose.id)' compatible (Art 8A(3)(b))."))
        case .assessment where (further.assessment ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty:
            violations.append(
                Violation(
                    at.key("assessment"),
                    "Record the Art 8A(2) assessment for '\(purpose.id)': the link between the purposes, the context, the data, the consequences and the safeguards."
                ))
        default:
            break
        }
        if original.basis == .consent, further.ground != .consent, further.ground != .annex2 {
            violations.append(
                Violation(
                    at.key("ground"),
                    "'\(original.id)' is on consent, so its data may be used for '\(purpose.id)' only with consent to that or under an Annex 2 condition (Art 8A(4))."
                ))
        }
        return violations
    }

    static let l23 = LegalRule(
        "L23", "retention-vague", "Retention periods missing or vague", severity: .warning,
        reference: "UK GDPR Art 13(2)(a), Art 14(2)(a), Art 5(1)(e), Art 30(1)(f); ICO storage limitation guidance",
        wording: ["reasonable period", "as long as (is )?necessary"]
    ) { context in
        var violations = context.declaration.retention.enumerated().compactMap { i, rule -> Violation? in
            guard rule.period == nil, (rule.criteria ?? "").isEmpty else { return nil }
            return Violation(
                LintContext.root.key("retention").index(i), "Retention rule '\(rule.id)' gives neither a period nor the criteria used to set one.")
        }
        violations += purposes(context).compactMap { path, purpose in
            purpose.retention == nil ? Violation(path.key("retention"), "Purpose '\(purpose.id)' names no retention rule.") : nil
        }
        return violations
    }

    static let l26 = LegalRule(
        "L26", "public-by-default", "Commenter name and country published by default", severity: .warning,
        reference: "UK GDPR Art 25(2), Art 5(1)(a)",
        wording: ["by default,? your name"]
    ) { context in
        guard let display = context.declaration.publicContent?.defaultDisplay, [.fullName, .fullNameAndCountry].contains(display) else { return [] }
        return [
            Violation(
                LintContext.root.key("public_content").key("default_display"),
                "Posts show '\(display.rawValue)' by default; by default nothing personal should be published without the poster choosing it.")
        ]
    }

    static let l28 = LegalRule(
        "L28", "special-category-condition", "Special category data on plain 'consent'", severity: .warning,
        reference: "UK GDPR Art 9(1), Art 9(2)(a); DPA 2018 s.10 and Sch 1",
        wording: ["sensitive information.{0,120}consent"]
    ) { context in
        purposes(context).compactMap { path, purpose in
            let special = purpose.categories.filter(context.declaration.isSpecial)
            guard !special.isEmpty else { return nil }
            switch purpose.specialCondition {
            case nil:
                return Violation(
                    path.key("special_condition"),
                    "Purpose '\(purpose.id)' uses special category data (\(special.joined(separator: ", "))) with no Art 9(2) condition.",
                    severity: .error)
            case .consent?:
                return Violation(
                    path.key("special_condition"),
                    "Purpose '\(purpose.id)' relies on plain consent for special category data; Art 9(2)(a) needs explicit consent.")
            default:
                return nil
            }
        }
    }

    static let l29 = LegalRule(
        "L29", "children", "Children: age thresholds and the Children's code", severity: .info,
        reference: "UK GDPR Art 8; DPA 2018 s.9 and s.123 (Age Appropriate Design Code); Art 25 as amended by DUAA 2025 s.81"
    ) { context in
        let path = LintContext.root.key("children")
        guard let children = context.declaration.children else {
            return [Violation(path, "No age policy: state the minimum age and whether children are likely to use the service.")]
        }
        var violations: [Violation] = []
        if let age = children.issConsentAge {
            if age < 13 {
                violations.append(
                    Violation(
                        path.key("iss_consent_age"), "A child under 13 cannot consent to an online service in the UK (DPA 2018 s.9).",
                        severity: .error))
            } else if age == 16 {
                violations.append(
                    Violation(path.key("iss_consent_age"), "16 is the EU default; the UK age of digital consent is 13.", severity: .warning))
            }
        }
        if children.likelyToBeAccessed == true, children.childrensCodeAssessment == nil {
            violations.append(
                Violation(
                    path.key("childrens_code_assessment"), "Children are likely to use the service, but no Children's code assessment is recorded."))
        }
        return violations
    }

    /// A solely automated significant decision (Art 22A): never on special category data without explicit
    /// consent or substantial public interest (Art 22B(1)-(2)), never on recognised legitimate interests
    /// (Art 22B(4)), always with the Art 22C safeguards; the logic is told (Art 13(2)(f)). Issue 26 §2.
    static func automatedDecisionViolations(
        _ decisions: AutomatedDecisions, of purpose: Purpose, at path: DeclarationPath, in declaration: Declaration
    ) -> [Violation] {
        guard decisions.solelyAutomated, decisions.significantEffects != false else { return [] }
        var violations: [Violation] = []
        let special = purpose.categories.filter { declaration.isSpecial($0) }
        if !special.isEmpty, purpose.specialCondition != .explicitConsent, purpose.specialCondition != .substantialPublicInterest {
            violations.append(
                Violation(
                    path,
                    "Purpose '\(purpose.id)' takes solely automated significant decisions on special category data (\(special.joined(separator: ", ")));"
                        + " that needs explicit consent or substantial public interest (UK GDPR Art 22B(1)-(2)).",
                    severity: .error))
        }
        if purpose.basis == .recognisedLegitimateInterest {
            violations.append(
                Violation(
                    path,
                    "Purpose '\(purpose.id)' takes solely automated significant decisions on recognised legitimate interests, which Art 22B(4) does not allow.",
                    severity: .error))
        }
        if (decisions.safeguards ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            violations.append(
                Violation(
                    path.key("safeguards"),
                    "Purpose '\(purpose.id)' takes solely automated significant decisions without the Art 22C safeguards:"
                        + " tell people, let them make representations, obtain human intervention and contest the decision.",
                    severity: .error))
        }
        if (decisions.logic ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            violations.append(
                Violation(
                    path.key("logic"),
                    "Purpose '\(purpose.id)' makes solely automated decisions; describe the logic involved (Art 13(2)(f), 14(2)(g)).")
            )
        }
        return violations
    }

    static let l34 = LegalRule(
        "L34", "automated-decisions", "Credit checks or profiling without automated-decision information", severity: .info,
        reference: "UK GDPR Art 13(2)(f), Art 14(2)(g), Arts 22A–22D (DUAA 2025 s.80)"
    ) { context in
        var violations = purposes(context).flatMap { path, purpose -> [Violation] in
            if let decisions = purpose.automatedDecisions {
                return automatedDecisionViolations(decisions, of: purpose, at: path.key("automated_decisions"), in: context.declaration)
            }
            guard purpose.profiling == true else { return [] }
            return [
                Violation(
                    path.key("automated_decisions"),
                    "Purpose '\(purpose.id)' profiles people; say whether any decision about them is solely automated.")
            ]
        }
        if !context.declaration.purposes.contains(where: { $0.automatedDecisions != nil }) {
            violations += context.wordingViolations(
                creditCheckMention, "describes credit checks, but no purpose says whether decisions are automated.")
            // Issue 26 §10: the notice never says "no automated decisions" unless that is declared.
            if violations.isEmpty {
                violations.append(
                    Violation(
                        LintContext.root.key("purposes"),
                        "No purpose says whether decisions about people are solely automated (automated_decisions); the notice states only the right to human review until they do."
                    ))
            }
        }
        return violations
    }

    /// ECR-06: "The Personal Data might include, but is not limited to:" leaves the reader unable to know what is held.
    /// Pledge holds only the categories the declaration lists (anything else is refused at collection), so the notice lists
    /// exactly those; the wording is flagged wherever it describes the data held.
    static let l42 = LegalRule(
        "L42", "open-ended-inventory", "The data collected is described as open-ended", severity: .warning,
        reference:
            "UK GDPR Art 5(1)(a), Art 12(1), Art 13(1)(c), Art 14(1)(d), Art 30(1)(c); ICO right to be informed: say what personal data you hold, specifically",
        wording: [
            "(?:personal data|information|data)(?: we collect)? (?:might|may|will|can|could) include,? (?:but|and) (?:is |are )?not (?:be )?limited to"
        ])

    static let l41 = LegalRule(
        "L41", "provider-form-field-required", "A form a provider runs for us requires an answer", severity: .warning,
        reference: "UK GDPR Art 5(1)(c), Art 7(4); a survey is voluntary: Pledge collects every answer of a provider-run form as optional"
    ) { context in
        (context.declaration.forms ?? []).enumerated().filter { $0.element.runBy != nil }.flatMap { i, form in
            form.fields.enumerated().filter { $0.element.required }.map { j, field in
                Violation(
                    LintContext.root.key("forms").index(i).key("fields").index(j).key("required"),
                    "'\(field.name)' is required on '\(form.id)', which \(form.runBy ?? "a provider") runs for us; its answers are optional (CLQ-56), and Pledge takes the form without it."
                )
            }
        }
    }
}
