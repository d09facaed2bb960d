import Foundation

/// Where one person's consent stands for one use.
public enum ConsentStatus: Sendable, Equatable {
    case absent
    case granted(at: Date)
    case withdrawn(at: Date)

    public var isGranted: Bool {
        if case .granted = self { return true }
        return false
    }

    /// When the answer in force was given; nil when there is none.
    public var at: Date? {
        switch self {
        case .absent: nil
        case .granted(let at), .withdrawn(let at): at
        }
    }
}

/// The current consents of one holder: a projection of their ledger events, latest event wins.
///
/// A grant counts only for the recipient it names: consent to share with a third party must name
/// that party (ICO consent guidance; UK GDPR Art 7(2)). A withdrawal at a broader scope (the whole
/// purpose, or every channel) withdraws every narrower grant made before it (Art 7(3)).
public struct ConsentState: Sendable, Equatable {
    private struct Entry: Sendable, Equatable {
        var granted: Bool
        var at: Date
        /// Its place in the ledger: of two events at the same instant at different scopes, the later one decides.
        var order: Int
    }

    private var latest: [ConsentScope: Entry] = [:]
    private var applied = 0

    public init() {}

    public init(events: some Sequence<ConsentEvent>) {
        for event in events { apply(event) }
    }

    /// Applies events in ledger order; an event older than the one already applied for its scope is ignored.
    public mutating func apply(_ event: ConsentEvent) {
        apply(event.scope, granted: event.action == .granted, at: event.recordedAt)
    }

    /// Applies one event by what decides a status: its scope, whether it granted, and when it was recorded
    /// (a reader that needs no more of the ledger reads no more of it).
    public mutating func apply(_ scope: ConsentScope, granted: Bool, at instant: Date) {
        if let current = latest[scope], current.at > instant { return }
        latest[scope] = Entry(granted: granted, at: instant, order: applied)
        applied += 1
    }

    public var isEmpty: Bool { latest.isEmpty }

    /// Purposes with a grant still standing at some scope.
    public var grantedPurposes: Set<String> {
        Set(latest.filter(\.value.granted).map(\.key.purpose))
    }

    /// The status for a use of `purpose`, optionally by `recipient` over `channel`.
    public func status(purpose: String, recipient: String? = nil, channel: String? = nil) -> ConsentStatus {
        var best: Entry?
        func consider(_ scope: ConsentScope, grantsCount: Bool) {
            guard let entry = latest[scope], grantsCount || !entry.granted else { return }
            if let current = best, (current.at, current.order) > (entry.at, entry.order) { return }
            best = entry
        }
        // Grants: only scopes naming the same recipient; a channel-less grant covers every channel.
        consider(ConsentScope(purpose: purpose, recipient: recipient, channel: channel), grantsCount: true)
        if channel != nil {
            consider(ConsentScope(purpose: purpose, recipient: recipient, channel: nil), grantsCount: true)
        }
        // Withdrawals at the purpose level reach every recipient.
        if recipient != nil {
            consider(ConsentScope(purpose: purpose, recipient: nil, channel: channel), grantsCount: false)
            if channel != nil {
                consider(ConsentScope(purpose: purpose, recipient: nil, channel: nil), grantsCount: false)
            }
        }
        guard let best else { return .absent }
        return best.granted ? .granted(at: best.at) : .withdrawn(at: best.at)
    }
}
