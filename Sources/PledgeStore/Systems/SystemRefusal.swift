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

    public var code: String {
        switch self {
        case .connectionMissing: "system.connection-missing"
        case .connectionInvalid: "system.connection-invalid"
        case .unreachable: "system.unreachable"
        case .erasureIncomplete: "system.erasure-incomplete"
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
        }
    }
}
