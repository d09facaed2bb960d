import Foundation

/// Checks a submission against the declaration before anything is stored (C03, C05, C06, C09, C35):
/// only declared fields and categories, required fields present, special category data only with
/// an Art 9 condition, and never from someone below the declared minimum age.
public struct CollectionPolicy: Sendable {
    private let declaration: Declaration
    private let purposes: [String: Purpose]
    private let sources: [String: DataSource]
    private let forms: [String: CollectionForm]
    private let known: Set<String>
    /// What each purpose's declared categories cover, worked out once.
    private let coverage: [String: CategoryCoverage]

    public init(_ declaration: Declaration) {
        self.declaration = declaration
        purposes = Dictionary(declaration.purposes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        sources = Dictionary(declaration.sources.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        forms = Dictionary((declaration.forms ?? []).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        known = declaration.knownCategories
        coverage = purposes.mapValues { [known] in CategoryCoverage(Set($0.categories), known: known) }
    }

    /// The plan for storing `submission` on `day`, or every problem with it.
    public func plan(_ submission: CollectionSubmission, on day: CalendarDate) -> Result<CollectionPlan, CollectionRefusal> {
        var problems: [CollectionProblem] = []
        var values: [CollectedValue] = []
        let sourceID: String
        var ageConfirmationRequired = false

        switch submission.route {
        case .form(let formID):
            guard let form = forms[formID] else {
                return .failure(
                    CollectionRefusal(problems: [CollectionProblem(code: .unknownForm, field: nil, message: "No form '\(formID)' is declared.")]))
            }
            sourceID = form.source
            ageConfirmationRequired = form.ageConfirmation == true
            let formPurposes = form.purposes.compactMap { purposes[$0] }
            let declared = Dictionary(form.fields.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            for name in submission.fields.keys.sorted() where declared[name] == nil {
                problems.append(
                    CollectionProblem(
                        code: .fieldUndeclared, field: name,
                        message: "Form '\(formID)' has no field '\(name)'; declared fields: \(form.fields.map(\.name).joined(separator: ", "))."))
            }
            for field in form.fields {
                guard let value = submission.fields[field.name] else {
                    if form.requires(field) {
                        problems.append(
                            CollectionProblem(
                                code: .fieldMissing, field: field.name,
                                message: "'\(field.name)' is required. \(form.ifOmitted ?? "")".trimmingCharacters(in: .whitespaces)))
                    }
                    continue
                }
                // Minimisation: an empty optional field is simply not collected (UK GDPR Art 5(1)(c)).
                if value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    if form.requires(field) {
                        problems.append(CollectionProblem(code: .fieldEmpty, field: field.name, message: "'\(field.name)' is required and is empty."))
                    }
                    continue
                }
                let purpose = formPurposes.first { coverage[$0.id]?.covers(field.category) == true } ?? formPurposes.first
                guard let purpose else { continue }
                values.append(CollectedValue(field: field.name, category: field.category, purpose: purpose.id, value: value))
            }
        case .direct(let purposeID, let source):
            sourceID = source
            guard let purpose = purposes[purposeID] else {
                return .failure(
                    CollectionRefusal(problems: [
                        CollectionProblem(code: .unknownPurpose, field: nil, message: "No purpose '\(purposeID)' is declared.")
                    ]))
            }
            for (category, value) in submission.fields.sorted(by: { $0.key < $1.key }) {
                if !known.contains(category) {
                    problems.append(
                        CollectionProblem(
                            code: .categoryUndeclared, field: category,
                            message: "'\(category)' is not a data category of the taxonomy or the declaration."))
                } else if coverage[purposeID]?.covers(category) != true {
                    problems.append(
                        CollectionProblem(
                            code: .categoryNotCovered, field: category,
                            message: "Purpose '\(purposeID)' does not collect '\(category)'; it covers \(purpose.categories.joined(separator: ", "))."
                        ))
                } else if value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    problems.append(CollectionProblem(code: .fieldEmpty, field: category, message: "'\(category)' is empty."))
                } else {
                    values.append(CollectedValue(field: category, category: category, purpose: purposeID, value: value))
                }
            }
        }

        guard let source = sources[sourceID] else {
            return .failure(
                CollectionRefusal(
                    problems: problems + [CollectionProblem(code: .unknownSource, field: nil, message: "No source '\(sourceID)' is declared.")]))
        }

        // DPA 2018 s.9 and the declared age limit: refuse below it, and require the confirmation a form asks for.
        if let minimum = declaration.children?.minimumAge {
            if let age = submission.age, age < minimum {
                problems.append(
                    CollectionProblem(code: .belowMinimumAge, field: nil, message: "We do not collect data from anyone under \(minimum)."))
            } else if ageConfirmationRequired, submission.ageConfirmed != true, submission.age == nil {
                problems.append(
                    CollectionProblem(
                        code: .ageConfirmationMissing, field: nil, message: "This form needs confirmation that the person is \(minimum) or over."))
            }
        }

        // UK GDPR Art 9(1): special category data only for a purpose with an Art 9(2) condition.
        for value in values where declaration.isSpecial(value.category) && purposes[value.purpose]?.specialCondition == nil {
            problems.append(
                CollectionProblem(
                    code: .specialCategoryWithoutCondition, field: value.field,
                    message: "'\(value.category)' is special category data and purpose '\(value.purpose)' declares no Art 9 condition."))
        }

        // PCI DSS v4.0 Req 3.3–3.5, UK GDPR Art 32(1)(a): a card is kept as the payment provider's token,
        // never its number (OEX-11); bank details are sealed like every value.
        for value in values where ProcessingGate.covers(Fideslang.paymentCategories, value.category) && PaymentCard.isCardNumber(value.value) {
            problems.append(
                CollectionProblem(
                    code: .cardNumber, field: value.field,
                    message: "'\(value.field)' holds a card number: store the payment provider's token for the card, never its number."))
        }

        let reference = submission.sourceReference?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let reference,
            reference.isEmpty || reference.count > CollectionSubmission.sourceReferenceLimit
                || reference.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        {
            problems.append(
                CollectionProblem(
                    code: .sourceReferenceInvalid, field: nil,
                    message:
                        "A source reference is 1 to \(CollectionSubmission.sourceReferenceLimit) characters on one line, such as a project or agreement reference."
                ))
        }

        if problems.isEmpty, values.isEmpty {
            problems.append(CollectionProblem(code: .nothingToStore, field: nil, message: "The submission holds no values."))
        }
        guard problems.isEmpty else { return .failure(CollectionRefusal(problems: problems)) }

        // UK GDPR Art 14(3)(a): indirectly obtained data needs the Art 14 information within one month at the latest.
        let art14 = source.kind.isIndirect && source.art14?.inform != .exempt ? day.adding(months: 1) : nil
        return .success(CollectionPlan(values: values, source: source, sourceReference: reference, art14DueBy: art14))
    }
}
