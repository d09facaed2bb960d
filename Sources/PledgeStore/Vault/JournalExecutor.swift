import NIOCore
import NIOPosix

/// Runs the journal's batches on the thread their statements complete on: on SQLite the writer's
/// (`SQLiteWriter`), on PostgreSQL the event loop of the journal's own connection.
///
/// A batch is several statements, each a hop to the thread that runs it and back. On the shared
/// executor each hop back waited behind every queued HTTP request, and on a 2-core machine
/// behind the scheduler too, so a batch took longer the busier the server was, and its writers with
/// it. Here the continuation after a statement runs on the very thread that completed the statement:
/// a batch goes from statement to statement without waking another thread (bench/http.sh).
final class JournalExecutor: TaskExecutor {
    private enum Thread {
        case pool(NIOThreadPool)
        case loop(any EventLoop)
    }

    private let thread: Thread

    /// `pool` should have one thread, the one the journal's statements run on.
    init(pool: NIOThreadPool) {
        thread = .pool(pool)
    }

    /// `loop` is the event loop of the journal's connection.
    init(loop: any EventLoop) {
        thread = .loop(loop)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        switch thread {
        case .pool(let pool):
            pool.submit { state in
                switch state {
                case .active: job.runSynchronously(on: self.asUnownedTaskExecutor())
                // The pool has shut down: the job must still run, or its task would never finish.
                case .cancelled: globalConcurrentExecutor.enqueue(job)
                }
            }
        case .loop(let loop):
            // The loop shuts down only after the journal has stopped (`PledgeDatabase.shutdown`).
            loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
        }
    }
}
