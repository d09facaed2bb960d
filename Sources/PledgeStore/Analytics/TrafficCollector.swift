import Foundation
import Logging
import PledgeCore
import ServiceLifecycle
import Synchronization

/// Takes page views as they arrive (`POST /v1/collect`), counts them in memory and writes counts
/// and reduced views every `interval`; once an hour it deletes views older than the declared
/// usage-data retention (C37; UK GDPR Art 5(1)(e)). Statistics are not proof: a beacon is answered
/// before it is written, and a crash loses at most one interval of counts.
public final class TrafficCollector: Service, Sendable {
    private struct State: Sendable {
        var key: DailyVisitorKey
        /// The salts shared by every node, by day (PostgreSQL; issue 27 §4); empty until first read.
        var shared: [Int: DailyVisitorKey.Salted] = [:]
        var tally = TrafficTally()
        var views: [(Date, PageView)] = []
    }

    private let state: Mutex<State>
    private let store: TrafficStore
    private let registry: DeclarationRegistry
    private let logger: Logger
    private let interval: Duration
    private let clock: @Sendable () -> Date
    /// Shares the day's salt and the counted visitors with the other nodes; nil counts alone (SQLite).
    private let pool: VisitorPool?
    /// The hourly retention sweep runs on one node at a time (issue 27 §3).
    private let sweeping: JobLease

    public init(
        database: PledgeDatabase, registry: DeclarationRegistry, logger: Logger, interval: Duration = .seconds(2),
        pool: VisitorPool? = nil, clock: @escaping @Sendable () -> Date = Date.init
    ) {
        self.pool = pool
        state = Mutex(State(key: DailyVisitorKey(at: clock())))
        sweeping = JobLease(database: database, name: "statistics-retention-sweep")
        store = TrafficStore(database: database)
        self.registry = registry
        self.logger = logger
        self.interval = interval
        self.clock = clock
    }

    /// Counts one page view from a visitor at `address` with `userAgent`; neither is kept.
    public func record(_ view: PageView, address: String, userAgent: String) {
        let now = clock()
        // The MAC is worked out outside the lock, so the event-loop threads do not queue for it.
        let salt = state.withLock { $0.shared[DailyVisitorKey.day(of: now)] ?? $0.key.salt(at: now) }
        let key = salt.key(site: view.site, address: address, userAgent: userAgent)
        state.withLock { state in
            state.tally.count(view, visitor: key, at: now)
            state.views.append((now, view))
        }
    }

    /// Writes what has been counted since the last flush.
    public func flush() async throws {
        let now = clock()
        let (counts, views) = state.withLock { state in
            let views = state.views
            state.views = []
            return (state.tally.drain(at: now), views)
        }
        try await store.write(counts, views: views, pooled: pool != nil)
    }

    /// Deletes page views older than the retention of the declared statistics purpose; returns how
    /// many. A legal hold on one of that purpose's data categories keeps them all (ECR-24).
    @discardableResult
    public func sweep() async throws -> Int {
        guard let schedule = registry.current?.retention, let term = schedule.statistics else { return 0 }
        if try await RetentionHolds.holdsPageViews(schedule, in: store.database.sql) {
            logger.info("Page views past their retention are kept: a legal hold covers their data categories")
            return 0
        }
        let deleted = try await store.deleteViews(before: term.cutoff(at: clock()))
        if deleted > 0 {
            logger.info("Deleted page views past their retention", metadata: ["count": "\(deleted)", "period": "\(term.period.isoText)"])
        }
        return deleted
    }

    /// Reads the shared salts (today's and tomorrow's, so midnight needs no round trip) and forgets
    /// the visitors of closed buckets; nothing without a pool.
    public func shareSalts() async throws {
        guard let pool else { return }
        let now = clock()
        let salts = try await pool.salts(at: now)
        state.withLock { $0.shared = salts }
        try await VisitorPool.forgetClosed(at: now, in: pool.database.sql)
    }

    public func run() async throws {
        var lastSweep = ContinuousClock.now - .seconds(3_600)
        var lastShare = ContinuousClock.now - .seconds(3_600)
        while !Task.isServiceStopping {
            if ContinuousClock.now - lastShare >= .seconds(60) {
                do {
                    try await shareSalts()
                    lastShare = .now
                } catch {
                    logger.error("Shared visitor salt not read; counting with this node's own until it is", metadata: ["error": "\(error)"])
                }
            }
            try? await Task.sleep(for: interval)
            do {
                try await flush()
                if ContinuousClock.now - lastSweep >= .seconds(3_600) {
                    lastSweep = .now
                    try await sweeping.ifFree { [self] in try await self.sweep() }
                }
            } catch {
                logger.error("Statistics not written; will retry", metadata: ["error": "\(error)"])
            }
        }
        try? await flush()
    }
}
