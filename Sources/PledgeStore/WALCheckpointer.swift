import Logging
import NIOConcurrencyHelpers
import NIOPosix

/// Copies a SQLite file's write-ahead log back into the database on a thread of its own, so the
/// journal's writer does not. SQLite's own checkpoint runs inside the commit that pushes the log past
/// its threshold, holding the writer while it copies and syncs: in a retention sweep that was 8% of
/// the writer's time and its longest units (90–144 ms where the issue allows 50; with the writer's
/// checkpoints off, 28 ms; `pledge-bench`). A passive checkpoint takes no lock a writer or reader
/// waits for; it copies what no reader still needs, and the next write starts the log over once all
/// of it is copied.
///
/// The writer's own checkpoint stays as a backstop at a larger threshold
/// (`SQLiteWriter.checkpointBackstopPages`), so the log is bounded even if this falls behind.
final class WALCheckpointer: Sendable {
    /// How often the log is checkpointed while it grows: every 100 ms, a sweep's units waited up to
    /// 75 ms for the disk behind a large checkpoint; every 25 ms none took over 26 ms (`pledge-bench`).
    static let interval: Duration = .milliseconds(25)
    /// How often at most once nothing is written: the wait doubles from `interval` to this.
    static let idleInterval: Duration = .milliseconds(250)

    /// What the last pass found, for tests and diagnostics: the pages in the log and how many of them
    /// are copied into the database (all of them once the checkpoint has caught up).
    struct Progress: Sendable, Equatable {
        var logPages = 0
        var copiedPages = 0
        var passes = 0
        /// Why the last pass that failed did.
        var failure: String?
    }

    private struct State {
        var handle: SQLiteHandle?
        var progress = Progress()
        var task: Task<Void, Never>?
    }

    private let path: String
    private let thread: NIOThreadPool
    private let logger: Logger
    private let state = NIOLockedValueBox(State())

    init(path: String, logger: Logger) {
        self.path = path
        self.logger = logger
        thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        let task = Task { [weak self] in
            var wait = Self.interval
            while !Task.isCancelled {
                try? await Task.sleep(for: wait)
                guard let self, !Task.isCancelled else { return }
                wait = await self.pass() ? Self.interval : min(wait * 2, Self.idleInterval)
            }
        }
        state.withLockedValue { $0.task = task }
    }

    var progress: Progress { state.withLockedValue(\.progress) }

    /// One passive checkpoint; whether the log had grown since the last. A failure (the file not made
    /// yet, a busy checkpointer elsewhere) waits for the next.
    private func pass() async -> Bool {
        do {
            let (log, copied) = try await thread.runIfActive { [state, path] in
                // Only this thread touches the handle.
                let handle = try state.withLockedValue { state in
                    if let handle = state.handle { return handle }
                    let handle = try SQLiteHandle(path: path, pragmas: ["PRAGMA busy_timeout = 0"])
                    state.handle = handle
                    return handle
                }
                func checkpoint() throws -> (Int, Int) {
                    let statement = try handle.statement("PRAGMA wal_checkpoint(PASSIVE)")
                    guard try statement.step() else { return (0, 0) }
                    let result = (Int(statement.int64(at: 1)), Int(statement.int64(at: 2)))
                    while try statement.step() {}
                    return result
                }
                let result = try checkpoint()
                guard result.0 == -1 else { return result }
                // -1: this connection has not seen the file in WAL mode yet (it was opened before the
                // migration set it). A connection learns the mode when it next reads the file.
                try handle.execute("SELECT COUNT(*) FROM sqlite_master")
                return try checkpoint()
            }
            return state.withLockedValue { state in
                let grown = log != state.progress.logPages || copied != state.progress.copiedPages
                (state.progress.logPages, state.progress.copiedPages) = (log, copied)
                state.progress.passes += 1
                return grown
            }
        } catch {
            state.withLockedValue { state in
                state.progress.passes += 1
                state.progress.failure = String(describing: error)
            }
            logger.debug("WAL checkpoint deferred: \(error)")
            return false
        }
    }

    /// Stops the passes and closes the connection.
    func close() async {
        let task = state.withLockedValue { $0.task }
        task?.cancel()
        await task?.value
        try? await thread.runIfActive { [state] in
            state.withLockedValue { state in
                state.handle?.close()
                state.handle = nil
            }
        }
        try? await thread.shutdownGracefully()
    }
}
