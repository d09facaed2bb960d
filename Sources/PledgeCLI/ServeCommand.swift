import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import PledgeJobs
import PledgeServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the server: the JSON API, the privacy notice and the admin API.",
        discussion: """
            The declaration is published at start (a new notice version when it changed) and again on
            SIGHUP or POST /v1/admin/declaration. Every non-public route needs an API key
            (`pledge keys create`). Personal data is sealed under the master key (see --master-key-file).
            """
    )

    @Option(help: "The declaration file (pledge.yaml).")
    var declaration: String

    @OptionGroup var storage: StorageOptions
    @OptionGroup var masterKey: MasterKeyOptions

    @Option(help: "Address to listen on. Keep 127.0.0.1 behind a TLS proxy.")
    var host: String = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port: Int = 8080

    @Flag(help: "Refuse to start, or to reload, when the linter finds legal errors.")
    var strict = false

    @Option(help: "The address people reach this server at, for links in emails (e.g. https://privacy.example.org). Default: http://HOST:PORT.")
    var publicURL: String?

    @OptionGroup var smtp: SMTPOptions

    @Option(
        name: .customLong("trusted-proxy"),
        help: ArgumentHelp(
            "The address of a reverse proxy in front of the server (repeatable): its X-Forwarded-For then gives the visitor's address for statistics.",
            valueName: "address"))
    var trustedProxies: [String] = []

    @Option(help: "Seconds a connection may send nothing, mid-request or between requests, before it is closed.")
    var idleTimeout: Int = 30

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    @Option(help: "Log format: text or json.")
    var logFormat: LogFormat = .text

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535.") }
        guard (1...3600).contains(idleTimeout) else { throw ValidationError("--idle-timeout must be between 1 and 3600 seconds.") }
        do { _ = try TrustedProxies(trustedProxies) } catch { throw ValidationError(error.description) }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical.")
        }
    }

    func run() async throws {
        if ProcessInfo.processInfo.environment["PLEDGE_SHARED_EXECUTOR"] == "1" {
            // Opt-in (issue 25 §5): it patches the Swift runtime through an undocumented hook
            // (`swift_task_enqueueGlobal_hook`). Handlers then run on the event-loop threads that read
            // the request instead of hopping to the runtime's pool and back. Measured with bench/http.sh
            // on 2 cores (2026-12-05, Swift 6.3.1), alternating runs: SQLite decisions 27.2k/29.5k a
            // second without it against 19.0k/18.9k with it, consent writes 14.5k/15.2k against
            // 12.5k/13.3k; PostgreSQL 29.4k against 18.5k and 12.9k against 11.3k. It no longer pays.
            EventLoopGlobalExecutor.install()
        }
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = logFormat == .json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "pledge")
        let (key, note) = try masterKey.load(createIfMissing: true)
        if let note { logger.warning("\(note)") }
        let configuration = ServerConfiguration(
            host: host, port: port, declarationPath: declaration, store: try storage.configuration(),
            masterKey: key, strict: strict, logLevel: level, publicURL: publicURL,
            trustedProxies: try TrustedProxies(trustedProxies), idleTimeout: .seconds(idleTimeout),
            erasureLedgerPath: try storage.erasureLedgerPath()
        )
        let jobs = JobSettings(
            smtp: try smtp.client(), auditAnchorPath: try storage.auditAnchorPath(), outboxLease: try smtp.lease(), campaignRate: smtp.campaignRate)
        do {
            try await buildApplication(configuration, jobs: jobs, logger: logger).run()
        } catch let error as StartupError {
            FileHandle.standardError.write(Data("pledge: \(error.description)\n".utf8))
            throw ExitCode(2)
        } catch let error as IOError where error.errnoCode == EADDRINUSE || error.errnoCode == EACCES {
            let reason = error.errnoCode == EADDRINUSE ? "another process is listening there" : "this user may not use that port"
            FileHandle.standardError.write(Data("pledge: cannot listen on \(host):\(port): \(reason) (choose another with --port)\n".utf8))
            throw ExitCode(2)
        }
    }
}
