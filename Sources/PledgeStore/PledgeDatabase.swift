import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The database a Pledge process uses: FluentKit's `Databases` plus the versioned migrations,
/// on SQLite or PostgreSQL through one set of models.
public final class PledgeDatabase: Service, Sendable {
    public let configuration: StoreConfiguration
    let databases: Databases
    let logger: Logger
    private let eventLoopGroup: any EventLoopGroup
    /// The thread that Fluent's SQLite connection calls SQLite on.
    let databaseThread: NIOThreadPool
    /// On SQLite, the connection the journal writes through, on a thread of its own; nil on PostgreSQL.
    let writer: SQLiteWriter?
    /// On PostgreSQL, the pool the journal writes through, on an event loop of its own: on a loop
    /// shared with HTTP each round trip of a batch waited behind requests twice (sending and
    /// answering). Nil on SQLite.
    private let journalDatabases: Databases?
    private let journalLoop: MultiThreadedEventLoopGroup?
    /// The executor the journal's batches run on: the writer's thread on SQLite, the journal's loop on PostgreSQL.
    let journalExecutor: JournalExecutor
    /// Connections to a SQLite file used only for reading, on threads of their own, for the large reads of an
    /// access request: WAL lets them run beside the writer and beside each other, where the one
    /// database thread would take them in turn. Nil on PostgreSQL (its pool already reads in parallel).
    let readers: Databases?
    /// For `sqlite::memory:`, the directory of the temporary file that stands in for memory (so the
    /// writer and the readers see the same database); removed at shutdown.
    private let temporaryDirectory: URL?
    let readerThreads: NIOThreadPool?
    /// The PostgreSQL schema Pledge's tables live in (`?schema=` on the URL); nil for `public` and on SQLite.
    public let schema: String?

    /// Opens (but does not migrate) the store.
    public init(_ configuration: StoreConfiguration, logger: Logger) throws {
        // Everything that can fail comes before the database thread starts, so a failure leaves nothing running.
        let driver: DatabaseConfigurationFactory
        let id: DatabaseID
        let schema: String?
        var sqlitePath: String?
        var temporaryDirectory: URL?
        switch configuration {
        case .sqlite(let path):
            // The folder and the database files are the user's alone (issue 24 finding 8); SQLite
            // makes -wal and -shm with the database file's mode.
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try PrivateFiles.makeDirectory(directory)
            if !FileManager.default.fileExists(atPath: path) { try PrivateFiles.create(URL(fileURLWithPath: path), contents: Data()) }
            for file in [path, path + "-wal", path + "-shm"] { try PrivateFiles.narrow(file, to: 0o600) }
            (driver, id, schema, sqlitePath) = (.sqlite(.file(path), sqlLogLevel: .trace), .sqlite, nil, path)
        case .sqliteInMemory:
            // SQLiteNIO cannot share a memory database between connections (SQLITE_OMIT_SHARED_CACHE);
            // SQLiteKit itself fakes one with a temporary file, which it never removes. This one is removed.
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pledge-memory-\(UUID().uuidString)")
            try PrivateFiles.makeDirectory(directory)
            let path = directory.appendingPathComponent("pledge.sqlite").path
            (driver, id, schema, sqlitePath, temporaryDirectory) = (.sqlite(.file(path), sqlLogLevel: .trace), .sqlite, nil, path, directory)
        case .postgres:
            do {
                let connection = try configuration.postgresConnection()
                var postgres = try SQLPostgresConfiguration(url: connection.url)
                if let name = connection.schema { postgres.coreConfiguration.options.additionalStartupParameters.append(("search_path", name)) }
                // Several connections a loop (opened as needed): with Fluent's one, every query of the node
                // outside the journal shared two connections, and a burst of transactions that wait on one
                // row's lock queued for the pool until some timed out (TrafficStoreTests, under load).
                (driver, id, schema) = (
                    .postgres(configuration: postgres, maxConnectionsPerEventLoop: Self.postgresConnectionsPerLoop, sqlLogLevel: .trace),
                    .psql, connection.schema
                )
            } catch {
                throw StoreError.invalidConfiguration("Cannot use PostgreSQL URL: \(error)")
            }
        }
        self.configuration = configuration
        self.logger = logger
        self.schema = schema
        eventLoopGroup = MultiThreadedEventLoopGroup.singleton
        databaseThread = NIOThreadPool(numberOfThreads: 1)
        databaseThread.start()
        if let sqlitePath {
            let writer = SQLiteWriter(path: sqlitePath, logger: logger)
            (self.writer, journalExecutor, journalDatabases, journalLoop) = (writer, writer.executor, nil, nil)
        } else {
            let loop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let journal = Databases(threadPool: databaseThread, on: loop)
            journal.use(driver, as: id)
            (writer, journalExecutor, journalDatabases, journalLoop) = (nil, JournalExecutor(loop: loop.next()), journal, loop)
        }
        self.temporaryDirectory = temporaryDirectory
        connectionLoop = if case .postgres = configuration { nil } else { eventLoopGroup.next() }
        databases = Databases(threadPool: databaseThread, on: eventLoopGroup)
        databases.use(driver, as: id)
        if sqlitePath != nil {
            let threads = NIOThreadPool(numberOfThreads: 2)
            threads.start()
            let readers = Databases(threadPool: threads, on: eventLoopGroup)
            readers.use(driver, as: id)
            (self.readers, readerThreads) = (readers, threads)
        } else {
            (readers, readerThreads) = (nil, nil)
        }
    }

    /// The most PostgreSQL connections each event loop's pool opens.
    static let postgresConnectionsPerLoop = 4

    /// On SQLite, the one event loop whose pool (one connection) every query outside the journal
    /// uses. Fluent keeps a pool per event loop, and two SQLite connections of this process must
    /// never both want the write lock on one thread: SQLiteNIO's busy handler retries at once, so the
    /// one waiting for `BEGIN IMMEDIATE` holds the thread while the one holding the lock needs it to
    /// commit, and the server spins forever. With one connection, its callers queue for the lease;
    /// the journal's connection has a thread of its own (`SQLiteWriter`).
    /// (PostgreSQL handles concurrent transactions itself: nil, any loop.)
    private let connectionLoop: (any EventLoop)?

    /// The event loop a query or migration runs on: the SQLite connection's, any on PostgreSQL.
    private var queryLoop: any EventLoop { connectionLoop ?? eventLoopGroup.any() }

    /// The handle the journal leases its PostgreSQL connection from (on SQLite it uses `writer`).
    var journalDatabase: any Database {
        guard let journalDatabases, let journalLoop else { return db }
        return journalDatabases.database(logger: logger, on: journalLoop.next())!
    }

    /// A handle on the reading connections when there are any, else on the main ones.
    var reader: any Database {
        readers?.database(logger: logger, on: eventLoopGroup.any()) ?? db
    }

    /// Opens the store, prepares it (by default: migrates), runs `body`, and closes it on every path.
    public static func with<T>(
        _ configuration: StoreConfiguration, logger: Logger,
        prepare: (PledgeDatabase) async throws -> Void = { try await $0.migrate() },
        _ body: (PledgeDatabase) async throws -> T
    ) async throws -> T {
        let database = try PledgeDatabase(configuration, logger: logger)
        do {
            try await prepare(database)
            let result = try await body(database)
            await database.shutdown()
            return result
        } catch {
            await database.shutdown()
            throw error
        }
    }

    /// The versioned migrations, oldest first. Never edit a shipped one; add a new one.
    public static var migrations: [any Migration] {
        [
            CreateNoticeVersions(), CreateVault(), CreateAnalytics(), CreateRequests(), CreateCaseReminders(), CreateRequestDocuments(),
            CreateJournalHeads(),
            CreateConsoleSessions(), AddArt14Closure(), AddGateVersion(), AddJournalAppendFunction(), CreateVisitorPools(),
            AddMarketing(), CreateCampaigns(), AddCampaignTracking(), AddDigestsAndPause(), CreateCallBarring(), AddCampaignInterests(),
            AddCampaignInbox(), CreateBreaches(), CreateRetentionHolds(), CreateDisclosures(),
            CreateSystemTasks(), AddOutboxSubjects(), CreatePurposeAnnouncements(), AddSaleCompletion(), AddCampaignMessageSubjects(),
            AddDisclosureForm(), AddSourceReference(), AddInteractionPurpose(),
        ]
    }

    /// True on PostgreSQL, false on SQLite.
    public var isPostgres: Bool {
        if case .postgres = configuration { return true }
        return false
    }

    /// A database handle for queries.
    public var db: any Database {
        databases.database(logger: logger, on: queryLoop)!
    }

    /// The same handle, for SQLKit queries (both drivers speak SQL).
    public var sql: any SQLDatabase { db as! any SQLDatabase }

    /// Creates or upgrades the schema. Safe to run at every start.
    public func migrate() async throws {
        if let schema {
            try await sql.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run()
        }
        let migrations = Migrations()
        migrations.add(Self.migrations)
        let migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: queryLoop)
        // Nodes starting together migrate one at a time (issue 27 §1, §6): the others wait, then find nothing to do.
        try await whileHoldingMigrationLock {
            let unknown = try await self.unknownMigrations()
            guard unknown.isEmpty else { throw StoreError.schemaNewer(unknown) }
            do {
                try await migrator.setupIfNeeded().get()
                try await migrator.prepareBatch().get()
            } catch {
                throw StoreError.unavailable("Cannot prepare the database (\(self.configuration)): \(String(reflecting: error))")
            }
        }
        if case .sqlite = configuration {
            // WAL lets readers run beside the writer; FULL syncs every commit to disk (durability).
            _ = try await (db as! any SQLDatabase).raw("PRAGMA journal_mode=WAL").all()
            _ = try await (db as! any SQLDatabase).raw("PRAGMA synchronous=FULL").all()
        }
    }

    /// Migrations the database has applied that this build does not know: a newer node migrated it
    /// (a rolling upgrade), and this one must not run on a schema it does not understand.
    func unknownMigrations() async throws -> [String] {
        let exists: Bool
        if isPostgres {
            exists =
                try await sql.raw("SELECT to_regclass('_fluent_migrations') IS NOT NULL AS present").first()?.decode(column: "present", as: Bool.self)
                ?? false
        } else {
            exists = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_fluent_migrations'").first() != nil
        }
        guard exists else { return [] }
        let known = Set(Self.migrations.map(\.name))
        return try await sql.raw("SELECT name FROM _fluent_migrations").all()
            .map { try $0.decode(column: "name", as: String.self) }
            .filter { !known.contains($0) }
            .sorted()
    }

    /// Reverts every migration, dropping all of Pledge's tables and data. Only for tests and
    /// benchmarks that need a clean, shared PostgreSQL database.
    public func revertAllMigrations() async throws {
        let migrations = Migrations()
        migrations.add(Self.migrations)
        let migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: queryLoop)
        try await migrator.setupIfNeeded().get()
        try await migrator.revertAllBatches().get()
    }

    /// True when a trivial query succeeds.
    public func isReachable() async -> Bool {
        do {
            _ = try await (db as! any SQLDatabase).raw("SELECT 1").all()
            return true
        } catch {
            return false
        }
    }

    public func shutdown() async {
        await readers?.shutdownAsync()
        try? await readerThreads?.shutdownGracefully()
        await writer?.close()
        await journalDatabases?.shutdownAsync()
        try? await journalLoop?.shutdownGracefully()
        await databases.shutdownAsync()
        try? await databaseThread.shutdownGracefully()
        if let temporaryDirectory { try? FileManager.default.removeItem(at: temporaryDirectory) }
    }

    /// Runs until graceful shutdown, then closes the connections.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }
}
