import Foundation
import Hummingbird
import Logging
import PledgeJobs
import PledgeServer
import PledgeStore
import ServiceLifecycle
import UnixSignals

/// What the background jobs need beyond the server's configuration.
struct JobSettings: Sendable {
    /// The relay verification links and notices go through; without one they wait in the outbox.
    var smtp: SMTPClient?
    /// The file that anchors the audit trail's head outside the database (`AuditAnchorFile`); nil keeps none.
    var auditAnchorPath: String?
    /// How long a node holds the messages it took from the outbox.
    var outboxLease: TimeInterval = Outbox.defaultLease
    /// Campaign messages a second this node sends at most.
    var campaignRate = 100
}

/// The whole server as one service group, in the order its parts depend on each other: the
/// database, the journal that writes to it, the jobs, and HTTP last. They stop in reverse order, on
/// `gracefulShutdownSignals` and also when one of them fails (the port is taken, say): Hummingbird's
/// own group cancels every service at once on a failure, and the database then closed under the
/// services still using it.
func buildApplication(
    _ configuration: ServerConfiguration, jobs: JobSettings, logger: Logger,
    gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint]
) async throws -> ServiceGroup {
    _ = PledgeMetrics.registry
    let dependencies = try await prepareDependencies(configuration, logger: logger)
    let http = Application(
        router: try buildRouter(dependencies, logger: logger),
        server: httpServer(idleTimeout: configuration.idleTimeout),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "pledge"),
        logger: logger
    )
    let optional: [(any Service)?] = [
        dependencies.database,
        dependencies.systems,
        dependencies.journal,
        jobs.auditAnchorPath.map {
            AuditAnchorService(
                trail: AuditTrail(database: dependencies.database), file: AuditAnchorFile(path: $0), key: dependencies.keys.auditChain,
                logger: logger, clock: dependencies.clock)
        },
        dependencies.traffic,
        EmailDelivery(outbox: Outbox(register: dependencies.cases, lease: jobs.outboxLease), client: jobs.smtp, logger: logger),
        CampaignDelivery(
            vault: dependencies.vault, registry: dependencies.registry, client: jobs.smtp, publicURL: dependencies.publicURL,
            lease: jobs.outboxLease, rate: jobs.campaignRate, logger: logger, clock: dependencies.clock),
        DeadlineReminderService(
            reminders: CaseReminders(register: dependencies.cases), registry: dependencies.registry,
            consoleURL: dependencies.publicURL, lease: JobLease(database: dependencies.database, name: "deadline-reminders"), logger: logger,
            clock: dependencies.clock),
        UnverifiedRequestExpiry(
            cases: dependencies.cases, lease: JobLease(database: dependencies.database, name: "unverified-request-expiry"), logger: logger,
            clock: dependencies.clock),
        RetentionService(
            sweep: RetentionSweep(vault: dependencies.vault), registry: dependencies.registry,
            lease: JobLease(database: dependencies.database, name: "retention-sweep"), logger: logger, clock: dependencies.clock),
        PurposeAnnouncementService(
            announcements: PurposeAnnouncements(vault: dependencies.vault), registry: dependencies.registry, publicURL: dependencies.publicURL,
            lease: JobLease(database: dependencies.database, name: "purpose-announcements"), logger: logger, clock: dependencies.clock),
        DeclarationReloadService(path: configuration.declarationPath, registry: dependencies.registry, strict: configuration.strict, logger: logger),
        http,
    ]
    let services = optional.compactMap { $0 }
    return ServiceGroup(
        configuration: .init(
            services: services.map {
                .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup)
            },
            gracefulShutdownSignals: gracefulShutdownSignals, logger: logger
        ))
}
