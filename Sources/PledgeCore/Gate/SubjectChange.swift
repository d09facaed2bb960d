import Foundation

/// A change to a subject's standing, each audited.
public enum SubjectChange: Sendable, Equatable {
    /// Restrict or lift restriction (UK GDPR Art 18).
    case restriction(Bool)
    /// Place or lift a legal hold.
    case legalHold(Bool)
    /// An objection to one purpose (Art 21(1)), optionally answered with compelling grounds.
    case objection(purpose: String, compellingGrounds: String?)
    /// An objection to all direct marketing (Art 21(2)-(3)).
    case marketingObjection
    /// A new relationship stage (C04): `ended` starts retention clocks.
    case stage(String)
    /// How their contact details were obtained, which PECR's permissions turn on (issue 28 §1).
    case provenance(ContactProvenance)
    /// How often they want digests (CAM-23).
    case digestFrequency(DigestFrequency)
    /// Marketing paused until then, or (nil) resumed (issue 28 §5).
    case marketingPause(until: Date?)
}

extension SubjectState {
    /// The gate's view after `change`.
    public mutating func apply(_ change: SubjectChange, at instant: Date) {
        switch change {
        case .restriction(let on): restricted = on
        case .legalHold(let on): legalHold = on
        case .objection(let purpose, let grounds): objections[purpose] = Objection(at: instant, compellingGrounds: grounds)
        case .marketingObjection: marketingObjection = instant
        case .stage, .provenance, .digestFrequency, .marketingPause: break
        }
    }
}

/// What a change of a subject's flags does (C04, C35).
public enum SubjectFlagUpdate: Sendable, Equatable {
    /// The subject is a child below the declared minimum age: their data is erased at once
    /// (DPA 2018 s.9, the declared age limit), except what a statute requires (Art 17(3)(b)).
    case eraseAsChild
    /// These changes, together.
    case change([SubjectChange])

    /// The update the flags ask for; refused when they ask for nothing.
    public init(
        child: Bool?, restricted: Bool?, legalHold: Bool?, stage: String?, provenance: ContactProvenance? = nil,
        digestFrequency: DigestFrequency? = nil
    ) throws(SubjectRefusal) {
        if child == true {
            self = .eraseAsChild
            return
        }
        var changes: [SubjectChange] = []
        if let restricted { changes.append(.restriction(restricted)) }
        if let legalHold { changes.append(.legalHold(legalHold)) }
        if let stage { changes.append(.stage(stage)) }
        if let provenance { changes.append(.provenance(provenance)) }
        if let digestFrequency { changes.append(.digestFrequency(digestFrequency)) }
        guard !changes.isEmpty else { throw .nothingToChange }
        self = .change(changes)
    }
}

/// How subjects are classified (C04): by declared categories, each with its relationship stages.
public enum SubjectClassification {
    /// Why these categories, or this stage, do not fit `declaration`; nil when they do.
    public static func refusal(categories: [String], stage: String?, in declaration: Declaration) -> SubjectRefusal? {
        let declared = Dictionary(declaration.subjects.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        if let unknown = categories.first(where: { declared[$0] == nil }) {
            return .categoryUnknown(unknown, declared: declaration.subjects.map(\.id))
        }
        if let stage {
            let stages = Set(categories.flatMap { declared[$0]?.stages ?? [] })
            if !stages.contains(stage) { return .stageUnknown(stage, declared: stages.sorted()) }
        }
        return nil
    }

    /// Why `provenance` does not fit `declaration` (its source is not declared); nil when it does.
    public static func refusal(provenance: ContactProvenance, in declaration: Declaration) -> SubjectRefusal? {
        guard let source = provenance.source, !declaration.sources.contains(where: { $0.id == source }) else { return nil }
        return .sourceUnknown(source, declared: declaration.sources.map(\.id))
    }
}

/// Why a subject could not be created or changed as asked; nothing was stored.
public enum SubjectRefusal: Error, Equatable, Sendable {
    case categoryUnknown(String, declared: [String])
    case stageUnknown(String, declared: [String])
    case sourceUnknown(String, declared: [String])
    case nothingToChange

    /// The stable error code.
    public var code: String {
        switch self {
        case .categoryUnknown: "subject.category-unknown"
        case .stageUnknown: "subject.stage-unknown"
        case .sourceUnknown: "subject.source-unknown"
        case .nothingToChange: "request.invalid-body"
        }
    }

    /// What the caller is told.
    public var message: String {
        switch self {
        case .categoryUnknown(let category, let declared):
            "'\(category)' is not a declared subject category; declared: \(declared.joined(separator: ", "))."
        case .stageUnknown(let stage, let declared):
            "'\(stage)' is not a declared stage of these categories\(declared.isEmpty ? "" : "; declared: \(declared.joined(separator: ", "))")."
        case .sourceUnknown(let source, let declared):
            "'\(source)' is not a declared source; declared: \(declared.joined(separator: ", "))."
        case .nothingToChange: "Give at least one of restricted, legalHold, child, stage or provenance."
        }
    }
}
