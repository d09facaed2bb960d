import Crypto
import Foundation
import PledgeCore
import Synchronization

/// How often one client, and one recipient address, may use a public form that sends email
/// (issue 24 finding 5: 1,000 posts in 2.6 s sent 1,000 emails to a third party's address). Counts
/// are sliding windows kept in this process's memory; several nodes each keep their own, so the
/// limits hold per node. Recipient addresses are kept only as SHA-256 digests; a client's address
/// and a recipient's digest are forgotten within a minute of their window running out, whoever
/// comes next (APX-18, C13: what identifies a visitor is kept no longer than its use needs).
final class SubmissionLimiter: Sendable {
    /// A limit: at most `count` in any `window`.
    struct Limit: Sendable {
        var count: Int
        var window: TimeInterval
    }

    /// The privacy centre's: ten requests an hour from one address (a household or office behind
    /// one address still gets through), three emails an hour to one recipient.
    static func privacyCentre() -> SubmissionLimiter {
        SubmissionLimiter(perClient: Limit(count: 10, window: 3600), perRecipient: Limit(count: 3, window: 3600))
    }

    let perClient: Limit
    let perRecipient: Limit
    private let state = Mutex<Windows>(Windows())

    /// The recent submissions of each key, and when run-out windows were last swept.
    private struct Windows {
        var keys: [String: [Date]] = [:]
        var swept = Date.distantPast
    }

    /// How often run-out windows are swept.
    static let sweepInterval: TimeInterval = 60

    init(perClient: Limit, perRecipient: Limit) {
        self.perClient = perClient
        self.perRecipient = perRecipient
    }

    /// Counts one submission from `client` emailing `recipient` at `now`, and says whether it is
    /// within both limits; when not, nothing is counted and the answer is how long until it would be.
    func admit(client: String?, recipient: String, at now: Date) -> Admission {
        let keys = [client.map { ("client:" + $0, perClient) }, ("recipient:" + SHA256.hex(recipient.lowercased()), perRecipient)].compactMap { $0 }
        return state.withLock { state in
            // Forget windows that have run out, at most a minute late, so the table holds only the last hour's keys.
            if now.timeIntervalSince(state.swept) >= Self.sweepInterval {
                let longest = max(perClient.window, perRecipient.window)
                state.keys = state.keys.filter { $0.value.last.map { now.timeIntervalSince($0) < longest } ?? false }
                state.swept = now
            }
            var wait: TimeInterval = 0
            for (key, limit) in keys {
                let recent = (state.keys[key] ?? []).filter { now.timeIntervalSince($0) < limit.window }
                state.keys[key] = recent.isEmpty ? nil : recent
                if recent.count >= limit.count, let oldest = recent.first {
                    wait = max(wait, limit.window - now.timeIntervalSince(oldest))
                }
            }
            guard wait == 0 else { return .refused(retryAfter: Int(wait.rounded(.up))) }
            for (key, _) in keys { state.keys[key, default: []].append(now) }
            return .admitted
        }
    }

    /// Whether anything about `client` is still held.
    func holds(client: String) -> Bool {
        state.withLock { $0.keys["client:" + client] != nil }
    }

    /// The answer of `admit`.
    enum Admission: Equatable {
        case admitted
        /// Over a limit: try again after this many seconds.
        case refused(retryAfter: Int)
    }
}
