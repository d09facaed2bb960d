import NIOPosix

/// Runs the journal's batches on the thread their statements run on (on SQLite the writer's, `SQLiteWriter`).
///
/// A batch is several statements, each a hop to the thread that calls SQLite and back. On the
/// shared executor each hop back waited behind every queued HTTP request, and on a 2-core machine
/// behind the scheduler too, so a batch took longer the busier the server was, and its writers with
/// it. Here the continuation after a statement runs on the very thread that ran the statement: a
/// batch goes from statement to statement without waking another thread (bench/http.sh).
final class JournalExecutor: TaskExecutor {
    private let pool: NIOThreadPool

    /// `pool` should have one thread, the one the journal's statements run on.
    init(pool: NIOThreadPool) {
        self.pool = pool
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        pool.submit { state in
            switch state {
            case .active: job.runSynchronously(on: self.asUnownedTaskExecutor())
            // The pool has shut down: the job must still run, or its task would never finish.
            case .cancelled: globalConcurrentExecutor.enqueue(job)
            }
        }
    }
}
