import FluentKit
import FluentSQLiteDriver
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PledgeCore
import SQLKit
import ServiceLifecycle
import VaporCSQLite

/// The single writer of the vault, with group commit: concurrent writes queue here, one task
/// takes everything queued, writes it in one transaction (one fsync), then answers every waiter.
/// A caller's `commit` returns only after its transaction is durable, so an acknowledged consent
/// or audit entry survives a crash (DESIGN.md "Data that must never be lost"); batching buys
/// throughput, never acknowledgement before durability.
///
/// It also keeps the audit chain: each batch reads the last entry and links its records after it.
/// On PostgreSQL an advisory lock serialises batches of several nodes.
public final class Journal: Service, Sendable {
    private struct Waiting: Sendable {
        let unit: JournalUnit
        let continuation: CheckedContinuation<[Int64], any Error>
        /// The event loop the writer waits on, if any: its continuation is resumed there (`answer`).
        let loop: (any EventLoop)?
    }

    private struct Queue: Sendable {
        var waiting: [Waiting] = []
        var wakeUp: CheckedContinuation<Void, Never>?
        var closed = false
    }

    private let queue = NIOLockedValueBox(Queue())
    /// The heads the last batch left, on PostgreSQL (`append`); nil when unknown.
    private let lastHeads = NIOLockedValueBox<JournalHeads?>(nil)
    private let database: PledgeDatabase
    private let logger: Logger
    /// The key that links the audit entries this journal appends.
    private let chainKey: AuditChainKey
    /// The most units one transaction takes; bounds the transaction's size and latency.
    private let maximumBatch: Int

    public init(database: PledgeDatabase, logger: Logger, chainKey: AuditChainKey, maximumBatch: Int = 4096) {
        self.chainKey = chainKey
        self.database = database
        self.logger = logger
        self.maximumBatch = maximumBatch
    }

    /// Writes `unit` and returns once it is durable, with the ledger sequence numbers of its consent
    /// events; throws the unit's own error, or the transaction's, and then nothing of the unit is stored.
    @discardableResult
    public func commit(_ unit: JournalUnit) async throws -> [Int64] {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[Int64], any Error>) in
            let (accepted, wakeUp) = queue.withLockedValue { queue -> (Bool, CheckedContinuation<Void, Never>?) in
                guard !queue.closed else { return (false, nil) }
                queue.waiting.append(Waiting(unit: unit, continuation: continuation, loop: MultiThreadedEventLoopGroup.currentEventLoop))
                defer { queue.wakeUp = nil }
                return (true, queue.wakeUp)
            }
            guard accepted else { return continuation.resume(throwing: JournalError.closed) }
            wakeUp?.resume()
        }
    }

    /// Writes batches until graceful shutdown or cancellation; what is queued by then is still written
    /// (or, when the database is gone, refused with its error).
    public func run() async throws {
        await withTaskExecutorPreference(database.journalExecutor) {
            await withTaskCancellationHandler {
                await withGracefulShutdownHandler {
                    while let batch = await nextBatch() {
                        await write(batch)
                    }
                } onGracefulShutdown: {
                    self.close()
                }
            } onCancel: {
                // The wait for the next batch is a continuation that cancellation does not end.
                self.close()
            }
        }
    }

    /// Stops taking writes; `run` returns once the queue is empty.
    public func close() {
        let wakeUp = queue.withLockedValue { queue -> CheckedContinuation<Void, Never>? in
            queue.closed = true
            defer { queue.wakeUp = nil }
            return queue.wakeUp
        }
        wakeUp?.resume()
    }

    /// Runs the journal around `body`, for the CLI and tests.
    public static func running<T: Sendable>(
        on database: PledgeDatabase, logger: Logger, chainKey: AuditChainKey,
        _ body: @Sendable (Journal) async throws -> T
    ) async throws -> T {
        let journal = Journal(database: database, logger: logger, chainKey: chainKey)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await journal.run(); return nil
            }
            do {
                let result = try await body(journal)
                journal.close()
                try await group.waitForAll()
                return result
            } catch {
                journal.close()
                try? await group.waitForAll()
                throw error
            }
        }
    }

    private func nextBatch() async -> [Waiting]? {
        while true {
            enum Next { case batch([Waiting]), finished, wait }
            let next = queue.withLockedValue { queue -> Next in
                if !queue.waiting.isEmpty {
                    let count = min(queue.waiting.count, maximumBatch)
                    let batch = Array(queue.waiting.prefix(count))
                    queue.waiting.removeFirst(count)
                    return .batch(batch)
                }
                return queue.closed ? .finished : .wait
            }
            switch next {
            case .batch(let batch): return batch
            case .finished: return nil
            case .wait:
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow = queue.withLockedValue { queue -> Bool in
                        if !queue.waiting.isEmpty || queue.closed { return true }
                        queue.wakeUp = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            }
        }
    }

    private func write(_ batch: [Waiting]) async {
        do {
            let written = try await append(batch.map(\.unit))
            Self.answer(batch) { index, waiting in
                if let failure = written.failures[index] {
                    waiting.continuation.resume(throwing: failure)
                } else {
                    waiting.continuation.resume(returning: written.sequences[index] ?? [])
                }
            }
        } catch {
            logger.error("journal batch of \(batch.count) failed: \(String(reflecting: error))")
            Self.answer(batch) { _, waiting in waiting.continuation.resume(throwing: error) }
        }
    }

    /// What a batch wrote: the failed units' errors and every other unit's consent sequence numbers.
    private struct Written: Sendable {
        var failures: [Int: any Error] = [:]
        var sequences: [Int: [Int64]]
        var heads: JournalHeads
    }

    /// Writes `units` atomically: all of them (less the units whose work failed) or nothing.
    ///
    /// On PostgreSQL a batch of plain appends (no unit has work) first goes as one statement after the
    /// heads the last batch left, with no lock and no explicit transaction: one round trip where the
    /// locked path takes four. If another node appended meanwhile, one of the sequence numbers is
    /// taken, the primary key refuses it, the statement fails whole, and the batch takes the locked
    /// path, which reads the heads again. On SQLite a batch of plain appends goes through the
    /// writer's direct handle (`appendPlain`), and so does one whose work is only suppressions
    /// (`IdentifierSuppression`).
    private func append(_ units: [JournalUnit]) async throws -> Written {
        let known = lastHeads.withLockedValue { heads in
            defer { heads = nil }
            return heads
        }
        let plain = units.allSatisfy { $0.work == nil }
        if let known, plain {
            let rows = Self.rows(units, after: known, key: chainKey)
            do {
                try await Self.connection(on: database, journal: true) { sql, _ in try await rows.append.run(on: sql) }
                return remembered(Written(sequences: rows.sequences, heads: rows.heads))
            } catch let error as any DatabaseError where error.isConstraintFailure {
                logger.debug("journal heads moved (another node appended); taking the lock")
            }
        }
        if let writer = database.writer, units.allSatisfy({ $0.work == nil || $0.suppression != nil }) {
            return try await withTaskExecutorPreference(writer.executor) {
                try await writer.withHandle { handle in try Self.appendPlain(units, on: handle, key: chainKey) }
            }
        }
        return remembered(try await appendLocked(units))
    }

    /// Writes `units`, none of which has work but a suppression, on SQLite through the writer's direct
    /// handle: the locked path's rows, in one immediate transaction, by statements prepared once (`SQLiteHandle`).
    private static func appendPlain(_ units: [JournalUnit], on handle: SQLiteHandle, key: AuditChainKey) throws -> Written {
        try handle.immediateTransaction {
            let read = try handle.statement(sqliteHeads)
            guard try read.step() else { throw SQLiteFailure(code: SQLITE_INTERNAL, connection: nil, doing: "read the journal's heads") }
            let heads = JournalHeads(consent: read.int64(at: 0), audit: read.int64(at: 1), hash: read.text(at: 2) ?? AuditChain.genesis)
            while try read.step() {}
            var worked: [Int: [AuditRecord]] = [:]
            for (index, unit) in units.enumerated() {
                if let suppression = unit.suppression { worked[index] = try suppression.run(on: handle) }
            }
            let rows = Self.rows(units, worked: worked, after: heads, key: key)
            try rows.append.run(on: handle)
            return Written(sequences: rows.sequences, heads: rows.heads)
        }
    }

    /// The heads on SQLite, read under the write lock: one row of the last consent sequence number,
    /// the last audit sequence number and the last audit hash (NULL without entries).
    private static let sqliteHeads = """
        SELECT (SELECT COALESCE(MAX(seq), 0) FROM consent_events) AS consent_last,
               (SELECT COALESCE(MAX(seq), 0) FROM audit_entries) AS audit_last,
               (SELECT hash FROM audit_entries ORDER BY seq DESC LIMIT 1) AS audit_hash
        """

    /// Keeps the heads `written` left for the next batch, on PostgreSQL only: on SQLite reading them
    /// costs no round trip, and a CLI command beside the server may append.
    private func remembered(_ written: Written) -> Written {
        if database.isPostgres { lastHeads.withLockedValue { $0 = written.heads } }
        return written
    }

    /// Writes `units` under the journal's lock, after the heads read under it; each unit's work under a savepoint of its own.
    ///
    /// A node appending without the lock (`append`) may take a sequence number between the read and
    /// the insert; the primary key refuses the batch whole, and it is tried again after fresh heads.
    private func appendLocked(_ units: [JournalUnit]) async throws -> Written {
        var tries = 1
        while true {
            do {
                return try await appendLockedOnce(units)
            } catch let error as any DatabaseError where error.isConstraintFailure && database.isPostgres && tries < Self.lockedTries {
                tries += 1
            }
        }
    }

    /// How often `appendLocked` tries a batch that found its sequence numbers taken.
    static let lockedTries = 16

    private func appendLockedOnce(_ units: [JournalUnit]) async throws -> Written {
        let isPostgres = database.isPostgres
        return try await Self.transaction(on: database, journal: true) { sql -> Written in
            // Sequence numbers and the chain head are read here, under the batch's lock, so each
            // writer learns its own numbers; one statement for all, as every round trip counts.
            // On PostgreSQL the lock is taken by the same call (`CreateJournalHeads`).
            let row = try await sql.raw(
                isPostgres ? "SELECT * FROM pledge_journal_heads(\(literal: Self.advisoryLock))" : "\(unsafeRaw: Self.sqliteHeads)"
            ).first()
                .stored(in: "audit_entries", row: "heads", column: "seq")
            let heads = JournalHeads(
                consent: try row.decode(column: "consent_last", as: Int64.self),
                audit: try row.decode(column: "audit_last", as: Int64.self),
                hash: try row.decode(column: "audit_hash", as: String?.self) ?? AuditChain.genesis)
            var failures: [Int: any Error] = [:]
            var worked: [Int: [AuditRecord]] = [:]
            var suppressing: [(index: Int, suppression: IdentifierSuppression)] = []
            for (index, unit) in units.enumerated() {
                // Unsubscribes next to each other go as one statement on PostgreSQL, in their place
                // among the other units (`IdentifierSuppression.together`). Their upsert meets no
                // constraint, so it cannot fail for one unit alone: no savepoint; what fails fails the batch.
                if isPostgres, let suppression = unit.suppression {
                    suppressing.append((index, suppression))
                    if index + 1 < units.count, units[index + 1].suppression != nil { continue }
                    let audit = try await IdentifierSuppression.together(suppressing.map(\.suppression), in: sql)
                    for (run, records) in zip(suppressing, audit) { worked[run.index] = records }
                    suppressing = []
                    continue
                }
                guard let work = unit.work else { continue }
                if unit.suppression != nil {
                    worked[index] = try await work(sql)
                    continue
                }
                try await sql.raw("SAVEPOINT journal_unit").run()
                do {
                    worked[index] = try await work(sql)
                    try await sql.raw("RELEASE SAVEPOINT journal_unit").run()
                } catch {
                    try await sql.raw("ROLLBACK TO SAVEPOINT journal_unit").run()
                    try await sql.raw("RELEASE SAVEPOINT journal_unit").run()
                    failures[index] = error
                }
            }
            let rows = Self.rows(units, worked: worked, failures: failures, after: heads, key: self.chainKey)
            try await rows.append.run(on: sql)
            return Written(failures: failures, sequences: rows.sequences, heads: rows.heads)
        }
    }

    /// The rows that append `units` after `heads`, each unit's consent sequence numbers, and the heads after them.
    /// A unit's audit records follow those its work returned (`worked`); failed units add nothing.
    static func rows(
        _ units: [JournalUnit], worked: [Int: [AuditRecord]] = [:], failures: [Int: any Error] = [:],
        after heads: JournalHeads, key: AuditChainKey
    ) -> (append: JournalAppend, sequences: [Int: [Int64]], heads: JournalHeads) {
        var consents: [ConsentEvent] = []
        var records: [AuditRecord] = []
        var sequences: [Int: [Int64]] = [:]
        var next = heads.consent
        for (index, unit) in units.enumerated() where failures[index] == nil {
            sequences[index] = unit.consents.map { _ in
                next += 1; return next
            }
            consents += unit.consents
            records += worked[index] ?? []
            records += unit.audit
        }
        let (audit, chain) = auditRows(records, after: heads, key: key)
        return (
            JournalAppend(consents: consentRows(consents, firstSequence: heads.consent + 1), audit: audit), sequences,
            JournalHeads(consent: next, audit: chain.sequence, hash: chain.hash)
        )
    }

    /// Calls `resume` for every waiter of `batch`, on the event loop it waits on, with one hop per
    /// loop. A continuation resumed here, off the loops, would be queued on any loop, one wake-up
    /// each, and the response written from the wrong loop hops again to its channel's; resumed on its
    /// own loop the task stays there (NIO's global executor prefers the current loop).
    private static func answer(_ batch: [Waiting], _ resume: @escaping @Sendable (Int, Waiting) -> Void) {
        var byLoop: [ObjectIdentifier: (loop: any EventLoop, indices: [Int])] = [:]
        for (index, waiting) in batch.enumerated() {
            guard let loop = waiting.loop else {
                resume(index, waiting)
                continue
            }
            byLoop[ObjectIdentifier(loop), default: (loop, [])].indices.append(index)
        }
        for (loop, indices) in byLoop.values {
            loop.execute {
                for index in indices { resume(index, batch[index]) }
            }
        }
    }

    /// Runs `body` in one transaction on one connection. On SQLite that is the writer's, and it
    /// begins IMMEDIATE, taking the write lock before the first read, so the chain head it reads
    /// cannot be stale when another process (a CLI command beside the server) writes too. On
    /// PostgreSQL it is one from the main pool, or with `journal` the journal's own connection on its
    /// own loop: other writers (statistics flushes) must not queue on that one connection, which
    /// made consent batches wait behind them and them time out behind each other.
    static func transaction<T: Sendable>(
        on database: PledgeDatabase, journal: Bool = false,
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await connection(on: database, journal: journal) { sql, begin in try await inTransaction(sql, begin: begin, body) }
    }

    /// Runs `body` with the connection `transaction` would use, and the statement that begins a transaction on it.
    private static func connection<T: Sendable>(
        on database: PledgeDatabase, journal: Bool,
        _ body: @escaping @Sendable (any SQLDatabase, SQLQueryString) async throws -> T
    ) async throws -> T {
        if let writer = database.writer {
            return try await withTaskExecutorPreference(writer.executor) {
                try await writer.withConnection { connection in try await body(connection.sql(), "BEGIN IMMEDIATE") }
            }
        }
        guard journal else {
            return try await database.db.withConnection { db in try await body(db as! any SQLDatabase, "BEGIN") }
        }
        // FluentKit's async lease runs the closure in a task of the global executor, the HTTP event
        // loops, where each batch waited behind requests for a third of its time (bench/http.sh,
        // PostgreSQL: 1.2 ms of a 3 ms batch). The future-based lease calls back on the journal's loop,
        // and the task here prefers that loop too.
        let executor = database.journalExecutor
        return try await database.journalDatabase.withConnection { db -> EventLoopFuture<T> in
            let promise = db.eventLoop.makePromise(of: T.self)
            Task(executorPreference: executor) {
                do { promise.succeed(try await body(db as! any SQLDatabase, "BEGIN")) } catch { promise.fail(error) }
            }
            return promise.futureResult
        }.get()
    }

    private static func inTransaction<T: Sendable>(
        _ sql: any SQLDatabase, begin: SQLQueryString, _ body: (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await sql.raw(begin).run()
        do {
            let result = try await body(sql)
            try await sql.raw("COMMIT").run()
            return result
        } catch {
            try? await sql.raw("ROLLBACK").run()
            throw error
        }
    }

    /// A fixed key for `pg_advisory_xact_lock`: "pledge audit".
    static let advisoryLock: Int64 = 0x706C_6564_6765

    /// The rows of `consents`, numbered from `firstSequence`.
    static func consentRows(_ consents: [ConsentEvent], firstSequence: Int64) -> RowInsert {
        var insert = RowInsert(into: "consent_events", columns: JournalAppend.consentColumns.map(\.name), capacity: consents.count)
        for (offset, event) in consents.enumerated() {
            let (kind, holder) = event.holder.columns
            insert.append([
                firstSequence + Int64(offset), kind, holder, event.scope.purpose, event.scope.recipient, event.scope.channel,
                event.action.rawValue, event.mechanism, event.noticeVersion, event.wordingHash, event.recordedAt.microseconds,
            ])
        }
        return insert
    }

    /// The rows of `records`, linked after `heads`, and the last entry's number and hash. Savepoint
    /// work may only add audit records through its return value, never by inserting rows, so the heads hold.
    static func auditRows(
        _ records: [AuditRecord], after heads: JournalHeads, key: AuditChainKey
    ) -> (RowInsert, last: (sequence: Int64, hash: String)) {
        var insert = RowInsert(into: "audit_entries", columns: JournalAppend.auditColumns.map(\.name), capacity: records.count)
        var sequence = heads.audit
        var previous = heads.hash
        for record in records {
            sequence += 1
            let entry = AuditChain.append(record, sequence: sequence, previousHash: previous, key: key)
            previous = entry.hash
            insert.append([
                sequence, record.atMicros, record.actor, record.action, record.object, record.purpose, record.field,
                record.before, record.after, entry.previousHash, entry.hash,
            ])
        }
        return (insert, (sequence, previous))
    }
}

extension ConsentHolder {
    /// (`holder_kind`, `holder`) as stored.
    var columns: (String, String) {
        switch self {
        case .subject(let id): ("subject", id.lowercasedString)
        case .visitor(let id): ("visitor", id)
        }
    }

    init?(kind: String, holder: String) {
        switch kind {
        case "subject": guard let id = UUID(canonical: holder) else { return nil }; self = .subject(id)
        case "visitor": self = .visitor(holder)
        default: return nil
        }
    }
}
