import Foundation
import Logging
import PledgeTestSupport
import Testing

@testable import PledgeCore
@testable import PledgeStore

/// Statistics in the store (issue 4 §5; C37), on SQLite and PostgreSQL: roll-ups add views and
/// visits across flushes and raise (never add) unique visitors; the retention sweep deletes old
/// page views and keeps the counts.
@Suite("Traffic store")
struct TrafficStoreTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)
    static let agent = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"

    @Test("roll-ups: flushes add views and visits, visitors are raised to the tally's count, reports read them back", arguments: StoreBackend.all)
    func rollups(_ backend: StoreBackend) async throws {
        try await backend.withDatabase { database in
            let store = TrafficStore(database: database)
            var tally = TrafficTally()
            let view = try PageViewReduction.reduce(PageViewReport(site: "example.org", path: "/a"), userAgent: Self.agent, sites: nil)
            for visitor in 1...6 { tally.count(view, visitor: UInt64(visitor), at: Self.now) }
            try await store.write(tally.drain(at: Self.now), views: Array(repeating: (Self.now, view), count: 6))
            tally.count(view, visitor: 1, at: Self.now.addingTimeInterval(60))
            try await store.write(tally.drain(at: Self.now.addingTimeInterval(60)), views: [(Self.now.addingTimeInterval(60), view)])
            let day = TrafficTally.bucket(Self.now, .day)
            let report = try await store.report(.day, site: nil, from: day, to: day + 86_400, k: 1)
            #expect(report.series.map(\.views) == [7] && report.visits == 6 && report.visitors == 6)
            #expect(report.breakdowns[.page] == [TrafficReport.Entry(value: "/a", views: 7, visits: 6, visitors: 6)])
            #expect(try await store.viewCount() == 7)
            #expect(try await store.sites() == ["example.org"])
        }
    }

    @Test(
        "transactions from every thread at once complete: SQLite writes share one connection, so none waits forever for another's lock",
        arguments: StoreBackend.all)
    func concurrentTransactions(_ backend: StoreBackend) async throws {
        try await backend.withDatabase { database in
            let store = TrafficStore(database: database)
            let view = try PageViewReduction.reduce(PageViewReport(site: "example.org", path: "/a"), userAgent: Self.agent, sites: nil)
            // Each write is BEGIN IMMEDIATE … COMMIT over several statements; forty at once from
            // tasks on every event loop. With a connection per event loop, two of them on SQLite
            // livelocked the database thread (SQLiteNIO's busy handler retries without yielding).
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        var tally = TrafficTally()
                        tally.count(view, visitor: UInt64(index), at: Self.now)
                        try await store.write(tally.drain(at: Self.now), views: [(Self.now, view)])
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await store.viewCount() == 40)
        }
    }

    @Test(
        "A statistics flush on PostgreSQL does not wait for the journal's connection: it completes while a journal batch holds it",
        arguments: StoreBackend.all.filter { $0.name == "PostgreSQL" })
    func flushBesideTheJournal(_ backend: StoreBackend) async throws {
        try await backend.withDatabase { database in
            let store = TrafficStore(database: database)
            let view = try PageViewReduction.reduce(PageViewReport(site: "example.org", path: "/a"), userAgent: Self.agent, sites: nil)
            // The journal's transaction stays open until the flush is done. Had the flush queued on the
            // journal's one connection, neither could finish, and the flush's lease would time out.
            try await Journal.transaction(on: database, journal: true) { _ in
                var tally = TrafficTally()
                tally.count(view, visitor: 1, at: Self.now)
                try await store.write(tally.drain(at: Self.now), views: [(Self.now, view)])
            }
            #expect(try await store.viewCount() == 1)
        }
    }

    @Test("C37 retention: page views older than the declared usage-data retention are deleted; the roll-ups stay", arguments: StoreBackend.all)
    func retention(_ backend: StoreBackend) async throws {
        try await backend.withDatabase { database in
            let notices = FluentNoticeRepository(database: database)
            let registry = DeclarationRegistry(notices: notices, clock: { Self.now })
            _ = try await registry.publish(yaml: try ExampleFiles.yaml("compliant"), strict: false)
            let period = try #require(RetentionSchedule(registry.current!.declaration).statistics?.period)
            let old = period.before(Self.now).addingTimeInterval(-86_400)
            let store = TrafficStore(database: database)
            var tally = TrafficTally()
            let view = try PageViewReduction.reduce(PageViewReport(site: "example.org", path: "/"), userAgent: Self.agent, sites: nil)
            tally.count(view, visitor: 1, at: old)
            try await store.write(tally.drain(at: old), views: [(old, view), (Self.now, view)])
            let collector = TrafficCollector(database: database, registry: registry, logger: Logger(label: "pledge.test"), clock: { Self.now })
            #expect(try await collector.sweep() == 1)
            #expect(try await store.viewCount() == 1)
            let day = TrafficTally.bucket(old, .day)
            #expect(try await store.report(.day, site: "example.org", from: day, to: day + 86_400, k: 1).views == 1)
        }
    }

    @Test(
        "ECR-24 (Art 5(1)(e)): usage data older than its 12 months goes unless a legal hold on its data categories keeps it; the retention plan says which",
        arguments: StoreBackend.all)
    func usageDataUnderHold(_ backend: StoreBackend) async throws {
        try await VaultFixture.with(backend) { fixture in
            let registry = DeclarationRegistry(notices: FluentNoticeRepository(database: fixture.database), clock: { Self.now })
            _ = try await registry.publish(yaml: try ExampleFiles.yaml("compliant"), strict: false)
            let schedule = RetentionSchedule(registry.current!.declaration)
            let term = try #require(schedule.statistics)
            #expect(term.period == RetentionPeriod(months: 12) && schedule.statisticsCategories.contains("user.browsing_history"))
            let old = term.cutoff(at: Self.now).addingTimeInterval(-86_400)
            let store = TrafficStore(database: fixture.database)
            let view = try PageViewReduction.reduce(PageViewReport(site: "example.org", path: "/"), userAgent: Self.agent, sites: nil)
            var tally = TrafficTally()
            try await store.write(tally.drain(at: old), views: [(old, view), (Self.now, view)])
            let holds = RetentionHolds(vault: fixture.vault)
            let hold = try await holds.place(
                scope: .category, target: "user.browsing_history", reason: "Fraud investigation 2026-31",
                categories: registry.current!.declaration.knownCategories, actor: "key:dpo", at: Self.now)
            let collector = TrafficCollector(
                database: fixture.database, registry: registry, logger: Logger(label: "pledge.test"), clock: { Self.now })
            let plan = try await RetentionSweep(vault: fixture.vault).plan(schedule, at: Self.now)
            #expect(plan.lines.first { $0.kind == .pageViews }.map { ($0.due, $0.held) } ?? (-1, -1) == (0, 1))
            #expect(try await collector.sweep() == 0, "the hold keeps them")
            #expect(try await store.viewCount() == 2)
            _ = try await holds.lift(hold.id, actor: "key:dpo", at: Self.now)
            #expect(try await collector.sweep() == 1)
            #expect(try await store.viewCount() == 1)
        }
    }

    @Test(
        "C37: cells under k are suppressed before anything is summed; a period with nothing is zero, not hidden; top values per dimension",
        arguments: StoreBackend.all)
    func suppression(_ backend: StoreBackend) async throws {
        try await backend.withDatabase { database in
            let day: Int64 = 86_400
            let cell = { (bucket: Int64, dimension: String, value: String, views: Int, visitors: Int) -> (TrafficTally.Cell, TrafficTally.Counts) in
                (
                    TrafficTally.Cell(granularity: .day, bucket: bucket, site: "example.org", dimension: dimension, value: value),
                    TrafficTally.Counts(views: views, visits: views / 2, visitors: visitors)
                )
            }
            var cells = [
                cell(0, "", "", 40, 12), cell(day, "", "", 3, 2),
                cell(0, "page", "/", 30, 10), cell(0, "page", "/secret", 10, 4), cell(day, "page", "/", 3, 2),
            ]
            cells += (0..<12).map { cell(0, "referrer", "site-\($0).example", 20 + $0, 6) }
            try await TrafficStore(database: database).write(cells, views: [])
            let report = try await TrafficStore(database: database).report(.day, site: nil, from: 0, to: 3 * day, k: 5)
            #expect(report.series.map(\.views) == [40, nil, 0])
            #expect(report.views == 40 && report.visitors == 12 && report.suppressed == 3)
            #expect(report.breakdowns[.page] == [TrafficReport.Entry(value: "/", views: 30, visits: 15, visitors: 10)])
            #expect(report.breakdowns[.referrer]?.map(\.value) == (2..<12).reversed().map { "site-\($0).example" })
        }
    }
}
