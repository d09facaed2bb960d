import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import OpenAPIHummingbird
import OpenAPIRuntime
import PledgeCore
import PledgeStore

/// What the router needs, built once at start.
public struct AppDependencies: Sendable {
    public let database: PledgeDatabase
    public let registry: DeclarationRegistry
    public let notices: any NoticeRepository
    public let pages: PageRenderer
    public let journal: Journal
    public let vault: PersonalDataVault
    public let apiKeys: APIKeyStore
    public let traffic: TrafficCollector
    public let cases: CaseRegister
    /// Connections to the organisation's own databases the declaration lists (issue 30).
    public let systems: SystemDatabases
    /// Where people reach the server, for links in emails.
    public let publicURL: String
    let scripts: GeneratedScripts
    public let strict: Bool
    /// Reverse proxies whose X-Forwarded-For names the visitor.
    public let trustedProxies: TrustedProxies
    /// The privacy centre's limits per client and per recipient address, for this process.
    let submissions = SubmissionLimiter.privacyCentre()
    public let clock: @Sendable () -> Date
    /// The vault's keys, among them the audit chain's.
    public var keys: VaultKeys { vault.keys }
    /// The admin console's sessions.
    public var sessions: ConsoleSessions { ConsoleSessions(database: database, journal: journal) }
}

/// Why the server refused to start.
public enum StartupError: Error, CustomStringConvertible {
    case declaration(DeclarationRejection, path: String)
    case unreadable(path: String, reason: String)
    case vault(String)

    public var description: String {
        switch self {
        case .declaration(let rejection, let path):
            "Refusing to start: \(rejection.message)\n" + LintReport(file: path, findings: rejection.findings).text()
        case .unreadable(let path, let reason):
            "Refusing to start: cannot read the declaration \(path): \(reason)"
        case .vault(let reason):
            "Refusing to start: \(reason)"
        }
    }
}

/// Opens and migrates the store, publishes the declaration (refusing to start on an invalid one,
/// or with `strict` on legal errors) and returns what the router needs.
public func prepareDependencies(
    _ configuration: ServerConfiguration, logger: Logger, clock: @escaping @Sendable () -> Date = Date.init
) async throws -> AppDependencies {
    let yaml: String
    do {
        yaml = try String(contentsOfFile: configuration.declarationPath, encoding: .utf8)
    } catch {
        throw StartupError.unreadable(path: configuration.declarationPath, reason: error.localizedDescription)
    }
    let database = try PledgeDatabase(configuration.store, logger: logger)
    do {
        try await database.migrate()
        let notices = FluentNoticeRepository(database: database)
        let registry = DeclarationRegistry(notices: notices, clock: clock)
        do {
            let outcome = try await registry.publish(yaml: yaml, strict: configuration.strict)
            logger.notice("Declaration in force", metadata: ["outcome": .string("\(outcome)"), "path": .string(configuration.declarationPath)])
        } catch let rejection as DeclarationRejection {
            throw StartupError.declaration(rejection, path: configuration.declarationPath)
        }
        if let findings = registry.current?.findings, !findings.isEmpty {
            for finding in findings {
                logger.log(
                    level: finding.severity == .error ? .error : (finding.severity == .warning ? .warning : .info),
                    "\(finding.rule) \(finding.message)", metadata: ["path": .string(finding.path), "law": .string(finding.reference ?? "")])
            }
        }
        let keys: VaultKeys
        do {
            keys = try await VaultKeys.load(database, master: configuration.masterKey)
        } catch let error as VaultAccessError {
            throw StartupError.vault(error.description)
        } catch let error as VaultError {
            throw StartupError.vault(error.description)
        }
        let erasures = configuration.erasureLedgerPath.map { ErasureLedger(path: $0, master: configuration.masterKey) }
        if let erasures {
            // Before anything answers: a database restored from an older backup loses again everyone erased since (issue 27 §5).
            try await Journal.running(on: database, logger: logger, chainKey: keys.auditChain) { journal in
                try await erasures.reapply(on: PersonalDataVault(database: database, journal: journal, keys: keys), at: clock(), logger: logger)
            }
        }
        let journal = Journal(database: database, logger: logger, chainKey: keys.auditChain)
        let publicURL = configuration.publicURL ?? "http://\(configuration.host):\(configuration.port)"
        return AppDependencies(
            database: database, registry: registry, notices: notices, pages: try await PageRenderer.bundled(),
            journal: journal, vault: PersonalDataVault(database: database, journal: journal, keys: keys, erasures: erasures),
            apiKeys: APIKeyStore(database: database, journal: journal),
            traffic: TrafficCollector(
                database: database, registry: registry, logger: logger,
                pool: database.isPostgres ? VisitorPool(database: database, master: configuration.masterKey) : nil, clock: clock),
            cases: CaseRegister(database: database, journal: journal, keys: keys),
            systems: SystemDatabases(
                hashKey: keys.master.derivedKey(purpose: SystemDatabases.hashKeyPurpose), logger: logger, callbackBase: publicURL),
            publicURL: publicURL,
            scripts: try GeneratedScripts.bundled(), strict: configuration.strict, trustedProxies: configuration.trustedProxies, clock: clock
        )
    } catch {
        await database.shutdown()
        throw error
    }
}

/// The router: every route is described by the OpenAPI contract; most are served by its generated handlers.
public func buildRouter(_ dependencies: AppDependencies, logger: Logger) throws -> Router<PledgeRequestContext> {
    let router = Router(context: PledgeRequestContext.self)
    // The banner, the tracker and their endpoints are used from the organisation's own sites, on
    // other origins. No credentials and no Authorization header cross origins, so API keys cannot
    // be used from another site's scripts.
    router.add(
        middleware: CORSMiddleware(allowOrigin: .all, allowHeaders: [.contentType], allowMethods: [.get, .post, .head], maxAge: .seconds(86_400)))
    // Page views come in on every page of every site: their route is added before the request log
    // and metrics (it counts its outcomes itself), so a busy site does not write a log line per view.
    let rules = try ContractRules.bundled()
    let pageViews = PageViewRoute(
        intake: PageViewIntake(registry: dependencies.registry, traffic: dependencies.traffic), proxies: dependencies.trustedProxies,
        limits: rules.operations[Operations.CollectPageView.id]?.body)
    pageViews.register(on: router)
    router.add(middleware: RequestLogMiddleware(level: .info))
    router.add(middleware: RequestMetricsMiddleware())
    router.add(middleware: RouteNotFoundMiddleware(rules: rules))
    let api = PledgeAPI(dependencies, logger: logger)
    let access = APIKeyMiddleware(
        keys: dependencies.apiKeys, sessions: dependencies.sessions, registry: dependencies.registry, clock: dependencies.clock)
    // The operations clients call at volume skip the OpenAPI handler layer (DirectOperationRoute).
    let decisions = DirectOperationRoute<Components.Schemas.DecisionRequest, Components.Schemas.Decision>(
        method: .post, path: "/v1/decisions", operationID: Operations.Decide.id, status: .ok
    ) { body, _ in
        try await api.decide(.init(body: .json(body))).ok.body.json
    }
    let consents = DirectOperationRoute<Components.Schemas.ConsentRequest, Components.Schemas.ConsentRecord>(
        method: .post, path: "/v1/subjects/{subjectId}/consents", operationID: Operations.RecordConsent.id, status: .created
    ) { body, parameters in
        try await api.recordConsent(.init(path: .init(subjectId: parameters.get("subjectId") ?? ""), body: .json(body))).created.body.json
    }
    decisions.register(on: router, access: access, rules: rules, logger: logger)
    consents.register(on: router, access: access, rules: rules, logger: logger)
    // Compact JSON: pretty-printing cost a few per cent of every response and helps no client (ContractJSON writes the same).
    SystemCallbackRoute(api: api, logger: logger).register(on: router)
    let servedElsewhere: Set = [
        ContractTransport.key(.post, PageViewRoute.path), decisions.contractKey, consents.contractKey,
        ContractTransport.key(.post, SystemCallbackRoute.path),
    ]
    router.add(middleware: RequestClientMiddleware(proxies: dependencies.trustedProxies))
    try api.registerHandlers(
        on: ContractTransport(router: router, servedElsewhere: servedElsewhere),
        configuration: .init(dateTranscoder: ContractJSON.dates, jsonEncodingOptions: [.sortedKeys]),
        middlewares: [
            ResponseHeaderMiddleware(), APIErrorMiddleware(logger: logger), access, ContractRulesMiddleware(rules: rules),
        ])
    return router
}

/// HTTP/1.1 that closes a connection idle for `idleTimeout`: one that sends a request's head or body
/// no further, or none after its last answer.
public func httpServer(idleTimeout: Duration) -> HTTPServerBuilder {
    .http1(configuration: .init(idleTimeout: TimeAmount.nanoseconds(Int64(idleTimeout / .nanoseconds(1)))))
}

extension PledgeAPI {
    /// The handlers over the server's parts.
    init(_ dependencies: AppDependencies, logger: Logger) {
        let fulfilment = RequestFulfilment(vault: dependencies.vault, register: dependencies.cases, systems: dependencies.systems)
        self.init(
            registry: dependencies.registry, notices: dependencies.notices, database: dependencies.database,
            vault: dependencies.vault, journal: dependencies.journal, audit: AuditTrail(database: dependencies.database), pages: dependencies.pages,
            traffic: dependencies.traffic, statistics: TrafficStore(database: dependencies.database), scripts: dependencies.scripts,
            cases: dependencies.cases, fulfilment: fulfilment,
            intake: PrivacyCentreIntake(register: dependencies.cases, fulfilment: fulfilment, publicURL: dependencies.publicURL, logger: logger),
            keys: dependencies.apiKeys, sessions: dependencies.sessions,
            submissions: dependencies.submissions, publicURL: dependencies.publicURL, logger: logger,
            strict: dependencies.strict, clock: dependencies.clock
        )
    }
}
