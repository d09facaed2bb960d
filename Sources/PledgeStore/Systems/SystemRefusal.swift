import PledgeCore

/// Why a system of the organisation's own could not be used (issue 30). Nothing is changed in
/// Pledge when one is raised: the case stays in progress and can be fulfilled again.
public enum SystemRefusal: Error, Equatable {
    /// Neither the declared environment variable nor the file gives a connection URL.
    case connectionMissing(system: String, from: String)
    /// The URL is not one of the kind the system declares.
    case connectionInvalid(system: String, detail: String)
    /// The database refused or could not be reached; no change was committed there.
    case unreachable(system: String, detail: String)
    /// After erasing, the access query still found what the plan should have removed.
    case erasureIncomplete(system: String, leftovers: [String])
    /// These `http` systems will answer by their callback; the case waits for them (issue 30 §5).
    case pending(systems: [String])
    /// A callback's signature or timestamp is wrong (`SystemSignature`), or it names no declared `http` system.
    case signatureInvalid
    /// A callback answers no pending task: unknown, or answered already.
    case notPending
    /// A callback's body is not an answer.
    case answerInvalid(String)

    public var code: String {
        switch self {
        case .connectionMissing: "system.connection-missing"
        case .connectionInvalid: "system.connection-invalid"
        case .unreachable: "system.unreachable"
        case .erasureIncomplete: "system.erasure-incomplete"
        case .pending: "system.pending"
        case .signatureInvalid: "system.signature-invalid"
        case .notPending: "system.task-not-pending"
        case .answerInvalid: "system.answer-invalid"
        }
    }

    public var message: String {
        switch self {
        case .connectionMissing(let system, let from):
            "System '\(system)' has no connection URL: set \(from). Nothing was done."
        case .connectionInvalid(let system, let detail):
            "System '\(system)' has a connection URL Pledge cannot use: \(detail). Nothing was done."
        case .unreachable(let system, let detail):
            "System '\(system)' could not be queried (\(detail)); nothing was changed there. Try again when it is back."
        case .erasureIncomplete(let system, let leftovers):
            "Erasure in '\(system)' left data behind: \(leftovers.joined(separator: "; ")). The case stays open; check the system's declaration."
        case .pending(let systems):
            "Waiting for \(systems.joined(separator: ", ")) to answer; the case completes when they have (fulfil it again then, or it runs on their callback)."
        case .signatureInvalid:
            "The signature is missing or wrong, or the timestamp is more than \(Int(SystemSignature.window)) seconds from now."
        case .notPending: "No request is waiting for this answer: it is unknown, or was answered already."
        case .answerInvalid(let detail): "The body is not an answer: \(detail)."
        }
    }
}

extension SystemRefusal {
    /// `error` as the refusal it is, or `system.unreachable` naming only the error's type: a driver's
    /// message may quote the values of the statement that failed.
    static func from(_ error: any Error, system: String) -> SystemRefusal {
        error as? SystemRefusal ?? .unreachable(system: system, detail: String(describing: type(of: error)))
    }
}
