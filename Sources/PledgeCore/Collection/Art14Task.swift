import Foundation

/// A task to give a person the Art 14 information (C05): their data came from someone else (a
/// partner, a referral, a bought-in list), so they must be told who holds it, why and where it came
/// from within one month of collection (UK GDPR Art 14(3)(a)), unless an Art 14(5) exemption applies
/// and is recorded. Opened when such data is collected (`CollectionPlan.art14DueBy`), listed for
/// staff soonest due first, closed when the person has been informed.
public struct Art14Task: Sendable, Equatable {
    public var id: UUID
    public var subject: UUID
    /// The declared source (`sources[].id`) the data came from.
    public var source: String
    /// The dealing with the source that brought the data (a project, an agreement), when one was given (OEX-43).
    public var sourceReference: String?
    public var dueOn: CalendarDate
    public var createdAt: Date
    /// How it was closed, and when; nil while open.
    public var closure: Art14Closure?
    public var closedAt: Date?

    public init(id: UUID, subject: UUID, source: String, dueOn: CalendarDate, createdAt: Date, closure: Art14Closure? = nil, closedAt: Date? = nil) {
        self.id = id
        self.subject = subject
        self.source = source
        self.dueOn = dueOn
        self.createdAt = createdAt
        self.closure = closure
        self.closedAt = closedAt
    }

    /// Open past its day: Art 14(3)(a)'s month has run out.
    public func isOverdue(on today: CalendarDate) -> Bool {
        closure == nil && today > dueOn
    }

    /// The task closed by `closure` at `instant`; refused when it is already closed.
    public func closed(by closure: Art14Closure, at instant: Date) throws(Art14Refusal) -> Art14Task {
        guard self.closure == nil else { throw .alreadyClosed }
        var next = self
        next.closure = closure
        next.closedAt = instant
        return next
    }
}

/// How an Art 14 task was closed: the person was told, or an Art 14(5) exemption applies, which
/// must be recorded with its reason (the accountability duty, Art 5(2)).
public enum Art14Closure: Sendable, Equatable {
    /// Told by this channel (`email`, `post`, `phone`, `in_person`).
    case informed(Art14Channel, note: String?)
    /// Not told, under this exemption, for the reason given.
    case exempt(Art14Exemption, reason: String)

    /// The most a note or reason may hold.
    public static let maximumNote = 1000

    /// Reads a closure from its wire form: `how` is a channel or an exemption; an exemption needs a reason.
    public init(how: String, note: String?) throws(Art14Refusal) {
        let text = note?.trimmingCharacters(in: .whitespacesAndNewlines)
        let note = text?.isEmpty == false ? text : nil
        if let note, note.count > Self.maximumNote { throw .noteTooLong }
        if let channel = Art14Channel(rawValue: how) {
            self = .informed(channel, note: note)
        } else if let exemption = Art14Exemption(rawValue: how) {
            // Art 14(5): the exemption is the controller's judgement, so its reason is kept (Art 5(2)).
            guard let note else { throw .exemptionWithoutReason }
            self = .exempt(exemption, reason: note)
        } else {
            throw .unknownHow(how)
        }
    }

    /// The wire form's `how`.
    public var how: String {
        switch self {
        case .informed(let channel, _): channel.rawValue
        case .exempt(let exemption, _): exemption.rawValue
        }
    }

    /// The note or the exemption's reason.
    public var note: String? {
        switch self {
        case .informed(_, let note): note
        case .exempt(_, let reason): reason
        }
    }
}

/// How a person was given the Art 14 information.
public enum Art14Channel: String, Sendable, CaseIterable {
    case email, post, phone
    case inPerson = "in_person"
}

/// The Art 14(5) exemptions.
public enum Art14Exemption: String, Sendable, CaseIterable {
    /// Art 14(5)(a): the person already has the information.
    case alreadyInformed = "already_informed"
    /// Art 14(5)(b): impossible or a disproportionate effort; the information is made public instead.
    case disproportionateEffort = "disproportionate_effort"
    /// Art 14(5)(c): obtaining or disclosing the data is required by law that protects the person.
    case requiredByLaw = "required_by_law"
    /// Art 14(5)(d): the data must stay confidential under a duty of professional secrecy.
    case professionalSecrecy = "professional_secrecy"

    /// Its words and article, for staff.
    public var label: String {
        switch self {
        case .alreadyInformed: "The person already has the information (UK GDPR Art 14(5)(a))"
        case .disproportionateEffort: "Impossible or a disproportionate effort; the information is public (Art 14(5)(b))"
        case .requiredByLaw: "Required by law that protects the person (Art 14(5)(c))"
        case .professionalSecrecy: "Confidential under professional secrecy (Art 14(5)(d))"
        }
    }
}

/// Why an Art 14 task could not be closed.
public enum Art14Refusal: Error, Equatable, Sendable {
    case notFound
    case alreadyClosed
    case exemptionWithoutReason
    case unknownHow(String)
    case noteTooLong

    /// A stable code for the API.
    public var code: String {
        switch self {
        case .notFound: "art14.not-found"
        case .alreadyClosed: "art14.closed"
        case .exemptionWithoutReason: "art14.exemption-without-reason"
        case .unknownHow: "art14.unknown-how"
        case .noteTooLong: "art14.note-too-long"
        }
    }

    public var message: String {
        switch self {
        case .notFound: "No such notice task."
        case .alreadyClosed: "This notice task is already closed."
        case .exemptionWithoutReason: "An Art 14(5) exemption needs its reason recorded (UK GDPR Art 5(2))."
        case .unknownHow(let how):
            "'\(how.prefix(40))' is not a way of informing (\(Art14Channel.allCases.map(\.rawValue).joined(separator: ", "))) nor an exemption (\(Art14Exemption.allCases.map(\.rawValue).joined(separator: ", ")))."
        case .noteTooLong: "A note holds at most \(Art14Closure.maximumNote) characters."
        }
    }
}
