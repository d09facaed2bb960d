/// Personal data arriving for one subject: through a declared form, or directly by category
/// for a named purpose and source.
public struct CollectionSubmission: Sendable, Equatable {
    public enum Route: Sendable, Equatable {
        /// A declared form: field names are the form's, purposes and source come from it.
        case form(String)
        /// The API: field names are data categories, collected for `purpose` from `source`.
        case direct(purpose: String, source: String)
    }

    public var route: Route
    /// Field name (form) or data category (direct) → value.
    public var fields: [String: String]
    /// The person confirmed they are old enough (a form's age confirmation).
    public var ageConfirmed: Bool?
    /// The person's age, when the form asks for it.
    public var age: Int?
    /// Which dealing with the source brought the data: a project, an agreement and its counter-party, a list order
    /// (OEX-43, APX-04); kept beside each value so an access request can say where it came from (UK GDPR Art 15(1)(g)).
    public var sourceReference: String?

    public init(route: Route, fields: [String: String], ageConfirmed: Bool? = nil, age: Int? = nil, sourceReference: String? = nil) {
        self.route = route
        self.fields = fields
        self.ageConfirmed = ageConfirmed
        self.age = age
        self.sourceReference = sourceReference
    }

    /// The longest source reference taken.
    public static let sourceReferenceLimit = 200
}

/// One value to store, with where it came from and why.
public struct CollectedValue: Sendable, Equatable {
    /// The form field name, or the category for direct collection.
    public var field: String
    public var category: String
    /// The purpose it was collected for (the first of the form's purposes that covers it).
    public var purpose: String
    public var value: String

    public init(field: String, category: String, purpose: String, value: String) {
        self.field = field
        self.category = category
        self.purpose = purpose
        self.value = value
    }
}

/// What a valid submission turns into.
public struct CollectionPlan: Sendable, Equatable {
    public var values: [CollectedValue]
    public var source: DataSource
    /// The submission's reference to the dealing with the source, trimmed.
    public var sourceReference: String?
    /// Set when the source is indirect: the Art 14 notice is due by this day (UK GDPR Art 14(3)(a)).
    public var art14DueBy: CalendarDate?

    public init(values: [CollectedValue], source: DataSource, sourceReference: String? = nil, art14DueBy: CalendarDate?) {
        self.values = values
        self.source = source
        self.sourceReference = sourceReference
        self.art14DueBy = art14DueBy
    }

    /// The gate questions this collection must pass: one per purpose, with its categories.
    public var decisionRequests: [DecisionRequest] {
        var byPurpose: [String: [String]] = [:]
        var order: [String] = []
        for value in values {
            if byPurpose[value.purpose] == nil { order.append(value.purpose) }
            byPurpose[value.purpose, default: []].append(value.category)
        }
        return order.map { DecisionRequest(purpose: $0, categories: byPurpose[$0]!) }
    }
}
