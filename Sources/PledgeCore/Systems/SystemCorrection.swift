/// A correction staff make for a rectification request (issue 30 §4; C31; UK GDPR Art 16): the
/// right value of one data category, written wherever the organisation's systems declare a field
/// of that category for the person.
public struct SystemCorrection: Codable, Sendable, Equatable {
    public var category: String
    public var value: String

    public init(category: String, value: String) {
        self.category = category
        self.value = value
    }
}

/// Where corrections go in one system: per reached table, the fields holding each corrected
/// category, tables in the erasure's order (referrers first), so a corrected identity is written
/// last where the others are found through it.
public struct SystemRectificationPlan: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        public let collection: String
        /// Field and the value it gets.
        public let assignments: [Assignment]
    }

    public struct Assignment: Sendable, Equatable {
        public let field: String
        public let value: String
    }

    public let steps: [Step]

    public init(_ system: DataSystem, graph: SystemGraph, corrections: [SystemCorrection]) {
        steps = SystemErasurePlan.order(system, graph: graph).compactMap { name in
            guard let collection = system.collection(name) else { return nil }
            let assignments = collection.fields.compactMap { field -> Assignment? in
                guard field.primaryKey != true, field.references == nil,
                    let correction = corrections.first(where: { (field.categories ?? []).contains($0.category) })
                else { return nil }
                return Assignment(field: field.name, value: correction.value)
            }
            return assignments.isEmpty ? nil : Step(collection: name, assignments: assignments)
        }
    }
}

extension SystemCorrection {
    /// Corrections go to the systems only for a rectification request in progress (Art 16; a case
    /// waiting for identity or closed changes nothing).
    public static func allowed(for request: RequestCase) throws(CaseRefusal) {
        guard request.kind == .rectification else { throw .notForKind(action: "correct", kind: request.kind) }
        guard request.state == .inProgress else { throw .transition(action: "correct", state: request.state) }
    }
}
