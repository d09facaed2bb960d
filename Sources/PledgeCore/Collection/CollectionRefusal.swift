/// One thing wrong with a submission.
public struct CollectionProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case unknownForm = "collection.form-unknown"
        case unknownPurpose = "collection.purpose-unknown"
        case unknownSource = "collection.source-unknown"
        case fieldUndeclared = "collection.field-undeclared"
        case categoryUndeclared = "collection.category-undeclared"
        case categoryNotCovered = "collection.category-not-covered"
        case fieldMissing = "collection.field-missing"
        case fieldEmpty = "collection.field-empty"
        case ageConfirmationMissing = "collection.age-confirmation-missing"
        case belowMinimumAge = "collection.below-minimum-age"
        case specialCategoryWithoutCondition = "collection.special-category-without-condition"
        case nothingToStore = "collection.empty"
        /// A card number in a payment field: the payment provider's token goes there instead (OEX-11).
        case cardNumber = "collection.card-number"
        case sourceReferenceInvalid = "collection.source-reference-invalid"
    }

    public var code: Code
    public var field: String?
    public var message: String

    public var description: String { field.map { "\($0): \(message)" } ?? message }

    /// Problems that are a refusal on legal grounds (403) rather than a malformed request (422).
    public var isForbidden: Bool {
        code == .belowMinimumAge || code == .specialCategoryWithoutCondition
    }
}

/// A submission refused, with every problem found. Nothing of it is stored.
public struct CollectionRefusal: Error, Sendable, Equatable {
    public var problems: [CollectionProblem]

    public var isForbidden: Bool { problems.contains(where: \.isForbidden) }
}
