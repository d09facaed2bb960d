import Crypto
import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PledgeCore
import SQLKit
import ServiceLifecycle

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Connections to the organisation's own databases (issue 30 §1), opened the first time a request
/// needs one and kept while their URL stays the same. Each system has its own small pool, so a slow
/// system never holds Pledge's own connections.
public final class SystemDatabases: Service, Sendable {
    private struct Opened {
        let target: SystemConnectionURL.Target
        let connections: Connections
    }

    /// Fluent's pools for PostgreSQL and SQLite; MariaDB's client library for MySQL.
    private enum Connections {
        case fluent(Databases, DatabaseID)
        case mariadb(MariaDBPool)
    }

    private let opened = NIOLockedValueBox<[String: Opened]>([:])
    private let threads: NIOThreadPool
    private let environment: @Sendable () -> [String: String]
    private let logger: Logger
    /// The key `hash` erasures are made with.
    let hashKey: SymmetricKey
    /// Where `http` systems post answers that come later: the server's public URL.
    let callbackBase: String
    /// The HTTP client `http` systems are asked with.
    let session: URLSession

    /// `environment` is read whenever a system is opened or asked, so a changed secret takes effect on the next request.
    public init(
        hashKey: SymmetricKey, logger: Logger, callbackBase: String = "http://127.0.0.1:8080",
        environment: @escaping @Sendable () -> [String: String] = { ProcessInfo.processInfo.environment }
    ) {
        self.hashKey = hashKey
        self.logger = logger
        self.callbackBase = callbackBase
        self.environment = environment
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = HTTPSystemCall.timeout
        session = URLSession(configuration: configuration)
        // Two threads: SQLite's and MariaDB's calls block while they run.
        threads = NIOThreadPool(numberOfThreads: 2)
        threads.start()
    }

    /// The secret `system` signs with (`secret_env`), or `system.connection-missing`.
    public func secret(for system: DataSystem) throws(SystemRefusal) -> SymmetricKey {
        guard let name = system.secretEnv else { throw .connectionMissing(system: system.id, from: "secret_env in the declaration") }
        guard let secret = environment()[name], secret.utf8.count >= 16 else {
            throw .connectionMissing(system: system.id, from: "the environment variable \(name) (a secret of at least 16 bytes)")
        }
        return SymmetricKey(data: Data(secret.utf8))
    }

    /// A handle on `system`'s database, opening it if needed.
    func database(for system: DataSystem) throws(SystemRefusal) -> any SQLDatabase {
        let loop = MultiThreadedEventLoopGroup.singleton.any()
        switch try connections(for: system) {
        case .fluent(let databases, let id):
            guard let database = databases.database(id, logger: logger, on: loop) as? any SQLDatabase else {
                throw .connectionInvalid(system: system.id, detail: "the driver does not speak SQL")
            }
            return database
        case .mariadb(let pool):
            return MariaDBDatabase(pool: pool, pinned: nil, logger: logger, eventLoop: loop)
        }
    }

    /// `system`'s pools, opened when first needed or when its URL changed.
    private func connections(for system: DataSystem) throws(SystemRefusal) -> Connections {
        let target = try SystemConnectionURL.target(of: system, environment: environment())
        let outcome: Result<(Connections, retired: Connections?), SystemRefusal> = opened.withLockedValue { open in
            if let current = open[system.id], current.target == target { return .success((current.connections, nil)) }
            let connections: Connections
            switch target {
            case .postgres(let url, let schema):
                let databases = Databases(threadPool: threads, on: MultiThreadedEventLoopGroup.singleton)
                let id = DatabaseID(string: "system-\(system.id)")
                do {
                    var configuration = try SQLPostgresConfiguration(url: url)
                    if let schema { configuration.coreConfiguration.options.additionalStartupParameters.append(("search_path", schema)) }
                    databases.use(.postgres(configuration: configuration, maxConnectionsPerEventLoop: 2, sqlLogLevel: .trace), as: id)
                } catch {
                    return .failure(.connectionInvalid(system: system.id, detail: "not a PostgreSQL URL"))
                }
                connections = .fluent(databases, id)
            case .sqlite(let path):
                let databases = Databases(threadPool: threads, on: MultiThreadedEventLoopGroup.singleton)
                let id = DatabaseID(string: "system-\(system.id)")
                databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: id)
                connections = .fluent(databases, id)
            case .mysql(let mysql):
                guard let client = MariaDBClient.shared else {
                    return .failure(.connectionInvalid(system: system.id, detail: "MariaDB's client library (libmariadb3) is not installed"))
                }
                connections = .mariadb(MariaDBPool(client: client, target: mysql, threads: threads))
            }
            let retired = open[system.id]?.connections
            open[system.id] = Opened(target: target, connections: connections)
            return .success((connections, retired))
        }
        let (connections, retired) = try outcome.get()
        if case .fluent(let databases, _) = retired { Task { await databases.shutdownAsync() } }
        return connections
    }

    /// Runs `body` in one transaction on `system`'s database: all of it commits, or none.
    func transaction<T: Sendable>(
        on system: DataSystem, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        if case .mariadb = try connections(for: system), let database = try database(for: system) as? MariaDBDatabase {
            return try await database.transaction(body)
        }
        guard let database = try database(for: system) as? any Database else {
            throw SystemRefusal.connectionInvalid(system: system.id, detail: "no transactions")
        }
        return try await database.transaction { transaction in
            guard let sql = transaction as? any SQLDatabase else {
                throw SystemRefusal.connectionInvalid(system: system.id, detail: "the driver does not speak SQL")
            }
            return try await body(sql)
        }
    }

    /// The master key's purpose that `hash` erasures are keyed with.
    public static let hashKeyPurpose = "pledge system hash"

    /// Closes every connection.
    public func shutdown() async {
        let all = opened.withLockedValue { open in
            defer { open = [:] }
            return open.values.map(\.connections)
        }
        for case .fluent(let databases, _) in all { await databases.shutdownAsync() }
        try? await threads.shutdownGracefully()
    }

    /// Runs until graceful shutdown, then closes the connections.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }
}
