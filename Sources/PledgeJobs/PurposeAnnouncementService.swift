import Foundation
import Logging
import PledgeCore
import PledgeStore
import ServiceLifecycle

/// Announces, every `interval`, the purposes the declaration in force adds to the notice in effect
/// to the people they will concern, before they start (issue 29 §5; C44; `PurposeAnnouncements`):
/// once per notice version and purpose, one node at a time.
public struct PurposeAnnouncementService: Service {
    let announcements: PurposeAnnouncements
    let registry: DeclarationRegistry
    /// Where people reach the server: the letter links the new notice there.
    let publicURL: String
    let interval: Duration
    let lease: JobLease?
    let logger: Logger
    let clock: @Sendable () -> Date

    public init(
        announcements: PurposeAnnouncements, registry: DeclarationRegistry, publicURL: String, interval: Duration = .seconds(600),
        lease: JobLease? = nil, logger: Logger, clock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.announcements = announcements
        self.registry = registry
        self.publicURL = publicURL
        self.interval = interval
        self.lease = lease
        self.logger = logger
        self.clock = clock
    }

    public func run() async throws {
        await periodically(every: interval) {
            let pass: @Sendable () async throws -> Void = { [announcements, registry, publicURL, clock, logger] in
                guard let current = registry.current, !current.introduced.isEmpty else { return }
                let outcomes = try await announcements.announce(
                    current.introduced, version: current.notice.version, declaration: current.declaration,
                    noticeURL: "\(publicURL)/privacy/versions/\(current.notice.versionPath)", at: clock())
                for outcome in outcomes {
                    logger.info(
                        "purpose announced: \(outcome.purpose) from \(outcome.startsOn), \(outcome.queued) queued, \(outcome.withoutAddress) without an address"
                    )
                }
            }
            await JobLease.run(lease, logger: logger, failing: "announcing new purposes", pass)
        }
    }
}
