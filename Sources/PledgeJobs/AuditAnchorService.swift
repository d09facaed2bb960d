import Foundation
import Logging
import PledgeCore
import PledgeStore
import ServiceLifecycle

/// Keeps the audit trail's anchor (`AuditAnchor`) in its file outside the database, moving it to
/// the newest entry every `interval` (issue 24 finding 7). It moves only forward, and only while the
/// trail still holds the entry it anchored: when that entry is gone or changed, entries were deleted
/// or replaced in the database, and it says so at critical level instead of anchoring the shorter
/// trail. `pledge audit verify` checks the trail against the same file.
public struct AuditAnchorService: Service {
    let trail: AuditTrail
    let file: AuditAnchorFile
    let key: AuditChainKey
    let interval: Duration
    let logger: Logger
    let clock: @Sendable () -> Date

    public init(
        trail: AuditTrail, file: AuditAnchorFile, key: AuditChainKey, interval: Duration = .seconds(1), logger: Logger,
        clock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.trail = trail
        self.file = file
        self.key = key
        self.interval = interval
        self.logger = logger
        self.clock = clock
    }

    public func run() async throws {
        var anchored: AuditAnchor?
        var reported = false
        var failing = false
        do {
            anchored = try file.read()
        } catch {
            logger.critical("\(error)")
            reported = true
        }
        if let anchored, !anchored.isSigned(by: key) {
            logger.critical("audit trail: \(AuditAnchorProblem.forged) (\(file.path))")
            reported = true
        }
        func update() async {
            guard !reported else { return }
            do {
                guard let head = try await trail.head() else {
                    if let anchored { report(.truncated(sequence: anchored.sequence)) }
                    return
                }
                if let last = anchored {
                    if let problem = last.problem(anchoredEntryHash: try await trail.hash(of: last.sequence)) { return report(problem) }
                    guard head.sequence > last.sequence else { return }
                }
                let next = AuditAnchor(sequence: head.sequence, hash: head.hash, at: clock(), key: key)
                try file.write(next)
                anchored = next
                if failing { logger.notice("audit anchor written again: \(file.path)") }
                failing = false
            } catch {
                // Once, not every second, until it works again.
                if !failing { logger.error("audit anchor not updated: \(error)") }
                failing = true
            }
        }
        await periodically(every: interval) { await update() }
        // Once more on the way out: the HTTP server has stopped, so this anchors every entry it made.
        await update()

        func report(_ problem: AuditAnchorProblem) {
            logger.critical("audit trail does not match its anchor \(file.path): \(problem). Run `pledge audit verify`.")
            reported = true
        }
    }
}
