import FluentSQLiteDriver
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The connection that every journal transaction on a SQLite file writes through, on a thread of
/// its own, taken by one transaction at a time.
///
/// Why not Fluent's pool: a lease from it runs the caller's closure in a new task on an event loop,
/// and each statement of a SQLiteKit database resumes there too. Under load those loops are busy
/// with HTTP, so a journal batch of five statements spent most of its time queued behind requests
/// (bench/http.sh: 2.1 ms a batch, of which 0.5 ms in the body). Here a statement runs on the
/// writer's thread and the batch continues on that same thread (`JournalExecutor`).
///
/// Two connections of this process may now both want the write lock (this one and Fluent's, which
/// a few writes outside the journal still use), so they must never share a thread: SQLiteNIO's
/// busy handler retries at once, and on one thread that spins forever (1e624a6). This connection
/// has a thread of its own and waits with `busy_timeout`, which sleeps between tries.
///
/// Beside SQLiteNIO's connection it keeps a `SQLiteHandle` for the journal's plain batches, under
/// the same lease and on the same thread, so the two never write at once.
final class SQLiteWriter: Sendable {
    private struct State {
        var connection: SQLiteConnection?
        var handle: SQLiteHandle?
        var leased = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    /// The thread every call of this connection runs on, and the journal's executor.
    let thread: NIOThreadPool
    let executor: JournalExecutor
    let path: String
    /// Where SQLiteNIO completes each statement's future. A loop of its own: on a shared HTTP loop
    /// every statement's completion waited behind requests, and a batch of five statements with it.
    private let loop: MultiThreadedEventLoopGroup
    private let logger: Logger
    private let state = NIOLockedValueBox(State())
    /// Checkpoints the log so this connection need not.
    let checkpointer: WALCheckpointer

    /// How long a write waits for another process's write lock (a CLI command beside the server).
    static let busyTimeoutMilliseconds = 10_000

    /// What every writing connection sets, the direct handle and the driver's alike. synchronous is
    /// per connection: FULL makes every commit durable (DESIGN.md "Data that must never be lost").
    /// (A 64 MiB page cache was tried for the retention sweep: 8,157 rows/s against 7,471, within
    /// the noise, so SQLite's default stays.)
    /// The log is checkpointed by `WALCheckpointer`, off this thread; the writer's own checkpoint, in
    /// its commit, only past this many pages (64 MiB), should that fall behind. SQLite's default is 1,000.
    static let pragmas = [
        "PRAGMA busy_timeout = \(busyTimeoutMilliseconds)", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON",
        "PRAGMA wal_autocheckpoint = \(checkpointBackstopPages)",
    ]

    static let checkpointBackstopPages = 16_384

    init(path: String, logger: Logger) {
        self.path = path
        loop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.logger = logger
        thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        executor = JournalExecutor(pool: thread)
        checkpointer = WALCheckpointer(path: path, logger: logger)
    }

    /// Runs `body` with the connection, alone: other callers wait for it to return. Opens the
    /// connection on first use.
    func withConnection<T: Sendable>(_ body: (SQLiteConnection) async throws -> T) async throws -> T {
        await lease()
        defer { release() }
        return try await body(try await open())
    }

    /// Runs `body` with the direct handle, alone, like `withConnection`; call it on `executor`, as
    /// `body` runs synchronously on the caller's thread. Opens the handle on first use.
    func withHandle<T: Sendable>(_ body: (SQLiteHandle) throws -> T) async throws -> T {
        await lease()
        defer { release() }
        let handle = try state.withLockedValue { state in
            // Only the holder of the lease gets here, so two callers never both open.
            if let handle = state.handle { return handle }
            let handle = try SQLiteHandle(path: path, pragmas: Self.pragmas)
            state.handle = handle
            return handle
        }
        return try body(handle)
    }

    /// Closes the connections once the current lease, if any, is returned, and stops the thread.
    func close() async {
        await checkpointer.close()
        await lease()
        let (connection, handle) = state.withLockedValue { state in
            defer { (state.connection, state.handle) = (nil, nil) }
            return (state.connection, state.handle)
        }
        handle?.close()
        try? await connection?.close()
        release()
        try? await thread.shutdownGracefully()
        try? await loop.shutdownGracefully()
    }

    private func open() async throws -> SQLiteConnection {
        // Only the holder of the lease gets here, so two callers never both open.
        if let connection = state.withLockedValue({ $0.connection }) { return connection }
        let connection = try await SQLiteConnection.open(storage: .file(path: path), threadPool: thread, logger: logger, on: loop.next())
        do {
            for pragma in Self.pragmas { try await connection.query(pragma, []) { _ in } }
        } catch {
            try? await connection.close()
            throw error
        }
        state.withLockedValue { $0.connection = connection }
        return connection
    }

    private func lease() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let free = state.withLockedValue { state -> Bool in
                if state.leased {
                    state.waiting.append(continuation)
                    return false
                }
                state.leased = true
                return true
            }
            if free { continuation.resume() }
        }
    }

    private func release() {
        // The lease passes straight to the next waiter, so it is never free while someone waits.
        let next = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiting.isEmpty else {
                state.leased = false
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
