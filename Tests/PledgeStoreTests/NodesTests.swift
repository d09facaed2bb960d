import FluentKit
import Foundation
import Logging
import PledgeCore
import PledgeTestSupport
import SQLKit
import Testing

@testable import PledgeStore

/// Several nodes on one database (issue 27): what one node commits, every other node's next
/// decision sees; nodes starting together publish and migrate once; a node refuses a newer schema.
extension StoreTests {
    @Suite("Nodes on one database")
    struct NodesTests {
        static let logger = Logger(label: "pledge.test")
        static var postgres: [StoreBackend] { StoreBackend.all.filter { $0.name.hasPrefix("PostgreSQL") } }

        /// Two nodes, each with its own connections, journal and gate cache, on one database.
        static func twoNodes(
            _ backend: StoreBackend, _ body: @Sendable (_ one: PersonalDataVault, _ other: PersonalDataVault) async throws -> Void
        ) async throws {
            let master = MasterKey.generate()
            try await backend.withDatabase { first in
                try await PledgeDatabase.with(first.configuration, logger: logger) { second in
                    let keysOne = try await VaultKeys.load(first, master: master)
                    let keysOther = try await VaultKeys.load(second, master: master)
                    try await Journal.running(on: first, logger: logger, chainKey: keysOne.auditChain) { journalOne in
                        try await Journal.running(on: second, logger: logger, chainKey: keysOther.auditChain) { journalOther in
                            try await body(
                                PersonalDataVault(database: first, journal: journalOne, keys: keysOne),
                                PersonalDataVault(database: second, journal: journalOther, keys: keysOther))
                        }
                    }
                }
            }
        }

        @Test(
            "C10/C14, Art 7(3) (issue 27 §2): a withdrawal, restriction or erasure through one node is the other node's very next answer",
            arguments: postgres)
        func writesSeenByEveryNode(_ backend: StoreBackend) async throws {
            let now = VaultFixture.now
            try await Self.twoNodes(backend) { one, other in
                for round in 0..<20 {
                    let id = try await one.createSubject(
                        NewSubject(identifiers: [try SubjectIdentifier(kind: .email, raw: "node-\(round)@example.com")], categories: ["customer"]),
                        actor: "key:test", at: now)
                    try await one.record([VaultFixture.consent(.granted, .subject(id))], actor: "key:test", at: now)
                    #expect(try await other.state(of: id)?.consents.status(purpose: "newsletter") == .granted(at: now))
                    try await one.record([VaultFixture.consent(.withdrawn, .subject(id), offset: 1)], actor: "key:test", at: now)
                    #expect(
                        try await other.state(of: id)?.consents.status(purpose: "newsletter") == .withdrawn(at: now.addingTimeInterval(1)),
                        "round \(round): the other node answered from its cache")
                    try await one.apply(.restriction(true), to: id, actor: "key:test", at: now)
                    #expect(try await other.state(of: id)?.restricted == true)
                    // And the other way round: the writer's own cache learns of the other node's write.
                    try await other.apply(.restriction(false), to: id, actor: "key:test", at: now)
                    #expect(try await one.state(of: id)?.restricted == false)
                    _ = try await other.erase(id, reason: "request", keeping: .nothing, actor: "key:dpo", at: now)
                    #expect(try await one.state(of: id) == nil)
                }
            }
        }

        @Test(
            "issue 27 §1: nodes publishing the same declaration at once both start; different content is still refused", arguments: StoreBackend.all)
        func publishTogether(_ backend: StoreBackend) async throws {
            let yaml = try ExampleFiles.yaml("compliant")
            try await backend.withDatabase { first in
                try await PledgeDatabase.with(first.configuration, logger: Self.logger) { second in
                    for _ in 0..<3 {
                        try await first.sql.raw("DELETE FROM notice_versions").run()
                        let one = DeclarationRegistry(notices: FluentNoticeRepository(database: first))
                        let other = DeclarationRegistry(notices: FluentNoticeRepository(database: second))
                        async let a = one.publish(yaml: yaml, strict: true)
                        async let b = other.publish(yaml: yaml, strict: true)
                        let outcomes = try await [a, b]
                        #expect(outcomes.filter { $0 == .published(version: "2026-10") }.count == 1, "\(outcomes)")
                        #expect(outcomes.filter { $0 == .unchanged(version: "2026-10") }.count == 1, "\(outcomes)")
                    }
                    let edited = yaml.replacingOccurrences(of: "period: P90D", with: "period: P60D")
                    await #expect(throws: DeclarationRejection.versionExists("2026-10")) {
                        try await DeclarationRegistry(notices: FluentNoticeRepository(database: second)).publish(yaml: edited, strict: false)
                    }
                }
            }
        }

        @Test("C10, Art 7(3) (issue 27 §2): decisions checked together in one query still each see every withdrawal before them", arguments: postgres)
        func batchedChecksAreFresh(_ backend: StoreBackend) async throws {
            let now = VaultFixture.now
            try await Self.twoNodes(backend) { one, other in
                var ids: [UUID] = []
                for index in 0..<60 {
                    let id = try await one.createSubject(
                        NewSubject(identifiers: [try SubjectIdentifier(kind: .email, raw: "batch-\(index)@example.com")], categories: ["customer"]),
                        actor: "key:test", at: now)
                    try await one.record([VaultFixture.consent(.granted, .subject(id))], actor: "key:test", at: now)
                    ids.append(id)
                }
                for id in ids { _ = try await other.state(of: id) }  // every subject cached on the other node
                for id in ids { try await one.record([VaultFixture.consent(.withdrawn, .subject(id), offset: 1)], actor: "key:test", at: now) }
                let seen = try await withThrowingTaskGroup(of: ConsentStatus?.self) { group in
                    for id in ids { group.addTask { try await other.state(of: id)?.consents.status(purpose: "newsletter") } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(seen.count == ids.count && seen.allSatisfy { $0 == .withdrawn(at: now.addingTimeInterval(1)) })
            }
        }

        @Test("C12/C37 (issue 27 §4): two nodes share the day's salt and count a visitor once, whichever node they hit", arguments: postgres)
        func visitorsCountedOnce(_ backend: StoreBackend) async throws {
            let now = TrafficStoreTests.now
            let master = MasterKey.generate()
            try await backend.withDatabase { first in
                try await PledgeDatabase.with(first.configuration, logger: Self.logger) { second in
                    let collectors = [first, second].map { database in
                        TrafficCollector(
                            database: database, registry: DeclarationRegistry(notices: FluentNoticeRepository(database: database)),
                            logger: Self.logger,
                            pool: VisitorPool(database: database, master: master), clock: { now })
                    }
                    for collector in collectors { try await collector.shareSalts() }
                    let view = try PageViewReduction.reduce(
                        PageViewReport(site: "example.org", path: "/a"), userAgent: TrafficStoreTests.agent, sites: nil)
                    // Ada and Bo on the first node, Ada and Cy on the second: three people. Raising the stored figure to
                    // each node's own count says 2; adding the counts says 4.
                    for address in ["203.0.113.1", "203.0.113.2"] { collectors[0].record(view, address: address, userAgent: TrafficStoreTests.agent) }
                    try await collectors[0].flush()
                    for address in ["203.0.113.1", "203.0.113.3"] { collectors[1].record(view, address: address, userAgent: TrafficStoreTests.agent) }
                    try await collectors[1].flush()
                    let visitors = try await first.sql.raw(
                        "SELECT visitors, views FROM traffic_rollups WHERE granularity = 'day' AND dimension = '' AND site = 'example.org'"
                    ).first()
                    #expect(try visitors?.decode(column: "views", as: Int64.self) == 4)
                    #expect(try visitors?.decode(column: "visitors", as: Int64.self) == 3, "three people, each counted once across nodes")
                    let salts = try await first.sql.raw("SELECT COUNT(*) AS n FROM visitor_salts").first()?.decode(column: "n", as: Int.self)
                    #expect(salts == 2, "today's and tomorrow's, made once for both nodes")
                }
            }
        }

        @Test("issue 27 §3: a periodic job runs on one node at a time; the next round runs wherever the lock is free", arguments: StoreBackend.all)
        func jobLease(_ backend: StoreBackend) async throws {
            try await backend.withDatabase { first in
                try await PledgeDatabase.with(first.configuration, logger: Self.logger) { second in
                    let shared = first.isPostgres
                    let outer = try await JobLease(database: first, name: "reminders").ifFree {
                        let inner = try await JobLease(database: second, name: "reminders").ifFree {}
                        #expect(inner == !shared, "while one node runs the job, another skips it (PostgreSQL)")
                        #expect(try await JobLease(database: second, name: "another job").ifFree {}, "other jobs are not held")
                    }
                    #expect(outer)
                    #expect(try await JobLease(database: second, name: "reminders").ifFree {}, "free again once the first node is done")
                }
            }
        }

        @Test(
            "C14 (issue 27): two nodes appending flat out never starve each other: every write is stored, and the one chain verifies",
            arguments: StoreBackend.all)
        func appendsUnderContention(_ backend: StoreBackend) async throws {
            let now = VaultFixture.now
            try await Self.twoNodes(backend) { one, other in
                let sequences = try await VaultFixture.sideBySide(4_000) { index in
                    try await (index.isMultiple(of: 2) ? one : other).journal.commit(
                        JournalUnit(
                            consents: [VaultFixture.consent(.granted, .visitor("v\(index)"))],
                            audit: [AuditRecord(actor: "node", action: "consent.granted", object: "visitor:v\(index)", at: now)]))
                }
                #expect(Set(sequences) == Set(1...4_000))
                try await VaultFixture.expectIntactChain(one.database, key: one.keys.auditChain, entries: 4_000, pageSize: 1_000)
            }
        }

        @Test("issue 27 §6: a node refuses to start on a schema migrated by a newer version, with a clear message", arguments: StoreBackend.all)
        func newerSchemaRefused(_ backend: StoreBackend) async throws {
            try await backend.withDatabase { database in
                try await database.migrate()  // again: nothing to do
                try await database.sql.raw(
                    "INSERT INTO _fluent_migrations (id, name, batch, created_at, updated_at) VALUES (\(bind: UUID()), '2099-01-01-from-the-future', 99, NULL, NULL)"
                ).run()
                do {
                    try await database.migrate()
                    Issue.record("a newer schema was accepted")
                } catch let error as StoreError {
                    #expect(error == .schemaNewer(["2099-01-01-from-the-future"]))
                    #expect(error.description.contains("newer than this Pledge knows"))
                }
            }
        }

        @Test("issue 27 §1, §6: nodes migrating an empty database at the same moment both start", arguments: StoreBackend.all)
        func migrateTogether(_ backend: StoreBackend) async throws {
            let configuration = backend.make()
            try await PledgeDatabase.with(configuration, logger: Self.logger, prepare: { _ in }) { first in
                try await PledgeDatabase.with(configuration, logger: Self.logger, prepare: { _ in }) { second in
                    async let a: Void = first.migrate()
                    async let b: Void = second.migrate()
                    _ = try await (a, b)
                    let applied = try await first.sql.raw("SELECT COUNT(*) AS n FROM _fluent_migrations").first()?.decode(column: "n", as: Int.self)
                    #expect(applied == PledgeDatabase.migrations.count)
                }
                if first.isPostgres, let schema = first.schema {
                    try await first.sql.raw("DROP SCHEMA \(ident: schema) CASCADE").run()
                }
            }
        }

        @Test(
            "issue 27 §3: nodes reminding at once remind once; nodes taking the outbox at once never take the same message",
            arguments: StoreBackend.all)
        func jobsRunOnce(_ backend: StoreBackend) async throws {
            let now = VaultFixture.now
            let requests = RequestStoreTests.self
            try await Self.twoNodes(backend) { one, other in
                let registers = [one, other].map { CaseRegister(database: $0.database, journal: $0.journal, keys: $0.keys) }
                var overdue: [UUID] = []
                for index in 0..<6 {
                    overdue.append(
                        try await registers[0].open(
                            RequestCase(kind: .access, channel: .email, receivedAt: now.addingTimeInterval(-40 * 86_400), verifiedBy: .knownContact),
                            requester: Requester(email: "late-\(index)@example.com"), actor: "key:dpo", clock: requests.clock
                        ).id)
                }
                async let a = CaseReminders(register: registers[0]).send(
                    at: now, declaration: requests.declaration, clock: requests.clock, consoleURL: "https://privacy.example")
                async let b = CaseReminders(register: registers[1]).send(
                    at: now, declaration: requests.declaration, clock: requests.clock, consoleURL: "https://privacy.example")
                let sent = try await a + b
                #expect(sent.count == overdue.count, "each case reminded once across both nodes")
                #expect(Set(sent.map(\.request)) == Set(overdue))
                let queued = try await one.database.sql.raw("SELECT COUNT(*) AS n FROM outbox").first()?.decode(column: "n", as: Int.self)
                #expect(queued == overdue.count)

                // Both nodes take from the outbox at the same moment: no message goes to both.
                async let takenOne = Outbox(register: registers[0]).due(at: now, limit: 4)
                async let takenOther = Outbox(register: registers[1]).due(at: now, limit: 4)
                let (first, second) = try await (takenOne, takenOther)
                #expect(Set(first.map(\.id)).isDisjoint(with: second.map(\.id)))
                #expect(first.count + second.count == overdue.count)
                // Held while the nodes send; a node that died holding some leaves them to the next after the lease.
                #expect(try await Outbox(register: registers[1]).due(at: now.addingTimeInterval(1)).isEmpty)
                for message in first { try await Outbox(register: registers[0]).markSent(message.id, at: now) }
                let retaken = try await Outbox(register: registers[1]).due(at: now.addingTimeInterval(Outbox.defaultLease + 1))
                #expect(Set(retaken.map(\.id)) == Set(second.map(\.id)), "only what the dead node held, never what was sent")
            }
        }
    }
}
