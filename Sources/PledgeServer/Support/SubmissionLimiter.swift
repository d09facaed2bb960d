import Crypto
import Foundation
import PledgeCore
import Synchronization

/// How often one client, and one recipient address, may use a public form that sends email
/// (issue 24 finding 5: 1,000 posts in 2.6 s sent 1,000 emails to a third party's address). Counts
/// are sliding windows kept in this process's memory; several nodes each keep their own, so the
/// limits hold per node. Recipient addresses are kept only as SHA-256 digests, and forgotten with
/// their window.
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
    private let state = Mutex<[String: [Date]]>([:])

    init(perClient: Limit, perRecipient: Limit) {
        self.perClient = perClient
        self.perRecipient = perRecipient
    }

    /// Counts one submission from `client` emailing `recipient` at `now`, and says whether it is
    /// within both limits; when not, nothing is counted and the answer is how long until it would be.
    func admit(client: String?, recipient: String, at now: Date) -> Admission {
        let keys = [client.map { ("client:" + $0, perClient) }, ("recipient:" + SHA256.hex(recipient.lowercased()), perRecipient)].compactMap { $0 }
        return state.withLock { windows in
            var wait: TimeInterval = 0
            for (key, limit) in keys {
                let recent = (windows[key] ?? []).filter { now.timeIntervalSince($0) < limit.window }
                windows[key] = recent.isEmpty ? nil : recent
                if recent.count >= limit.count, let oldest = recent.first {
                    wait = max(wait, limit.window - now.timeIntervalSince(oldest))
                }
            }
            guard wait == 0 else { return .refused(retryAfter: Int(wait.rounded(.up))) }
            for (key, _) in keys { windows[key, default: []].append(now) }
            // Forget windows that have run out, so the table holds only the last hour's keys.
            if windows.count > 10_000 {
                let longest = max(perClient.window, perRecipient.window)
                windows = windows.filter { $0.value.last.map { now.timeIntervalSince($0) < longest } ?? false }
            }
            return .admitted
        }
    }

    /// The answer of `admit`.
    enum Admission: Equatable {
        case admitted
        /// Over a limit: try again after this many seconds.
        case refused(retryAfter: Int)
    }
}
