import Foundation
import Logging
import PledgeTestSupport
import Testing

@testable import PledgeCore
@testable import PledgeStore

/// The personal data vault on both backends (issue 3).
extension StoreTests {
    @Suite("Vault")
    struct VaultTests {
        let now = VaultFixture.now

        @Test(
            "subjects are found by a normalised identifier through the blind index; a taken identifier is refused and nothing stored",
            arguments: StoreBackend.all)
        func subjects(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let id = try await fixture.newSubject(email: "Ada@Example.com")
                let found = try await fixture.vault.findSubject(
                    try SubjectIdentifier(kind: .email, raw: " ada@example.COM"), actor: "key:test", at: now)
                #expect(found == id)
                await #expect(throws: VaultRefusal.identifierTaken("email")) { _ = try await fixture.newSubject(email: "ada@example.com") }
                #expect(try await fixture.count("subjects") == 1)
                #expect(try await fixture.count("subject_keys") == 1)
                let summary = try #require(try await fixture.vault.summary(of: id))
                #expect(summary.categories == ["customer"])
                #expect(try await fixture.vault.summary(of: UUID()) == nil)
            }
        }

        @Test(
            "C03/C05: values are sealed at rest, read back with provenance, filtered before opening, and every read is audited",
            arguments: StoreBackend.all)
        func values(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let id = try await fixture.newSubject()
                try await fixture.vault.collect(
                    VaultFixture.plan(["user.name": "Ada Lovelace", "user.workplace": "Analytical Engines"]),
                    for: id, noticeVersion: "2026-10", actor: "key:test", at: now)
                let sealed = try await fixture.database.sql.raw("SELECT sealed FROM personal_values").all().map {
                    try $0.decode(column: "sealed", as: Data.self)
                }
                #expect(sealed.count == 2)
                #expect(!sealed.contains { $0.range(of: Data("Ada".utf8)) != nil })

                let all = try await fixture.vault.values(of: id, purpose: "service", actor: "key:test", at: now)
                #expect(all.map(\.value) == ["Ada Lovelace", "Analytical Engines"])
                #expect(all.first?.noticeVersion == "2026-10")
                #expect(all.first?.source == "signup")
                let names = try await fixture.vault.values(of: id, purpose: "billing", actor: "key:test", at: now) { $0.category == "user.name" }
                #expect(names.map(\.field) == ["user.name"])

                try await fixture.vault.collect(
                    VaultFixture.plan(["user.name": "Ada King"]), for: id, noticeVersion: "2026-10", actor: "key:support", at: now)
                let trail = try await AuditTrail(database: fixture.database).entries(about: "subject:\(id.storedText)")
                #expect(trail.map(\.record.action) == ["subject.create", "data.collect", "data.collect", "data.read", "data.read", "data.rectify"])
                let rectified = try #require(trail.last)
                #expect(rectified.record.actor == "key:support")
                #expect(rectified.record.before != nil && rectified.record.before != rectified.record.after)
                #expect(try await fixture.count("personal_values") == 2)
            }
        }

        @Test(
            "C07/C08/C10/APX-31 (issue 25 §2): the vault asks the gate itself: collection for a consent purpose without consent is refused and stores nothing; a read after a withdrawal withholds everything, unopened, with the reason",
            arguments: StoreBackend.all)
        func gateInsideTheVault(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let gate = ProcessingGate(RequestStoreTests.declaration)
                let id = try await fixture.newSubject()
                let newsletter = VaultFixture.plan(["user.name": "Ada", "user.contact.email": "ada@example.com"], purpose: "newsletter")
                let audit = try await fixture.count("audit_entries")
                await #expect(throws: GateRefusal.self) {
                    try await fixture.vault.collect(newsletter, for: id, gate: gate, noticeVersion: "2026-10", actor: "key:test", at: now)
                }
                #expect(try await fixture.count("personal_values") == 0)
                #expect(try await fixture.count("audit_entries") == audit, "a refused collection stores nothing")
                await #expect(throws: VaultRefusal.subjectNotFound) {
                    try await fixture.vault.collect(newsletter, for: UUID(), gate: gate, noticeVersion: "2026-10", actor: "key:test", at: now)
                }

                try await fixture.vault.record([VaultFixture.consent(.granted, .subject(id))], actor: "key:test", at: now)
                try await fixture.vault.collect(newsletter, for: id, gate: gate, noticeVersion: "2026-10", actor: "key:test", at: now)
                let allowed = try await fixture.vault.values(of: id, purpose: "newsletter", recipient: nil, gate: gate, actor: "key:test", at: now)
                #expect(allowed.values.map(\.value).sorted() == ["Ada", "ada@example.com"] && allowed.withheld.isEmpty)
                // A recipient the purpose does not name gets nothing (C24).
                let shared = try await fixture.vault.values(
                    of: id, purpose: "newsletter", recipient: "payments", gate: gate, actor: "key:test", at: now)
                #expect(shared.values.isEmpty && shared.withheld.count == 2)

                try await fixture.vault.record([VaultFixture.consent(.withdrawn, .subject(id), offset: 1)], actor: "key:test", at: now)
                let after = try await fixture.vault.values(of: id, purpose: "newsletter", recipient: nil, gate: gate, actor: "key:test", at: now)
                #expect(after.values.isEmpty)
                #expect(after.withheld.map(\.origin.field).sorted() == ["user.contact.email", "user.name"])
                #expect(after.withheld.allSatisfy { $0.decision.reasons.contains { if case .consentWithdrawn = $0 { true } else { false } } })
                let read = try await AuditTrail(database: fixture.database).entries(about: "subject:\(id.storedText)").last
                #expect(read?.record.action == "data.read" && read?.record.field == "", "nothing was opened")
            }
        }

        @Test(
            "C07/C10/C18 (issue 28 §2): a batch's people read together answer each as read alone: opened, withheld with the reason, erased or never there",
            arguments: StoreBackend.all)
        func readingsTogether(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let gate = ProcessingGate(RequestStoreTests.declaration)
                var people: [UUID] = []
                for (index, name) in ["Ada", "Bea", "Cy"].enumerated() {
                    let id = try await fixture.newSubject()
                    try await fixture.vault.record([VaultFixture.consent(.granted, .subject(id))], actor: "key:test", at: now)
                    let plan = VaultFixture.plan(
                        ["user.name": name, "user.contact.email": "\(name.lowercased())@example.com"], purpose: "newsletter")
                    try await fixture.vault.collect(plan, for: id, gate: gate, noticeVersion: "2026-10", actor: "key:test", at: now)
                    if index == 1 {
                        try await fixture.vault.record([VaultFixture.consent(.withdrawn, .subject(id), offset: 1)], actor: "key:test", at: now)
                    }
                    people.append(id)
                }
                _ = try await fixture.vault.erase(people[2], reason: "request", keeping: .nothing, actor: "key:dpo", at: now)
                let stranger = UUID()
                let together = try await fixture.vault.readings(
                    of: people + [stranger], purpose: "newsletter", recipient: nil, gate: gate, actor: "campaign:x", at: now)
                #expect(together.count == 4)
                let ada = try #require(try together[people[0]]?.get())
                #expect(ada.values.values.map(\.value).sorted() == ["Ada", "ada@example.com"] && ada.values.withheld.isEmpty)
                #expect(ada.read.action == "data.read" && ada.read.object == "subject:\(people[0].storedText)" && ada.read.purpose == "newsletter")
                let bea = try #require(try together[people[1]]?.get())
                #expect(bea.values.values.isEmpty && bea.values.withheld.map(\.origin.field).sorted() == ["user.contact.email", "user.name"])
                for gone in [people[2], stranger] {
                    #expect(throws: VaultRefusal.subjectNotFound) { try together[gone]?.get() }
                }
                // The same answers one by one.
                for id in people.prefix(2) {
                    let alone = try await fixture.vault.reading(
                        of: id, purpose: "newsletter", recipient: nil, gate: gate, actor: "campaign:x", at: now)
                    let batch = try #require(try together[id]?.get())
                    #expect(alone.values.values.map(\.value) == batch.values.values.map(\.value) && alone.read.field == batch.read.field)
                }
                await #expect(throws: VaultRefusal.subjectNotFound) {
                    try await fixture.vault.reading(of: people[2], purpose: "newsletter", recipient: nil, gate: gate, actor: "campaign:x", at: now)
                }
            }
        }

        @Test(
            "C10/C11 (issue 28 §2): a batch's states read together are each the state read alone, from memory or not, and follow a withdrawal at once",
            arguments: StoreBackend.all)
        func statesTogether(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                var people: [UUID] = []
                for index in 0..<4 {
                    let id = try await fixture.newSubject()
                    try await fixture.vault.record([VaultFixture.consent(.granted, .subject(id))], actor: "key:test", at: now)
                    switch index {
                    case 1: try await fixture.vault.record([VaultFixture.consent(.withdrawn, .subject(id), offset: 1)], actor: "key:test", at: now)
                    case 2:
                        try await fixture.vault.apply(
                            [.objection(purpose: "analytics", compellingGrounds: "fraud"), .restriction(true), .marketingObjection], to: id,
                            actor: "key:test", at: now)
                    case 3: _ = try await fixture.vault.erase(id, reason: "request", keeping: .nothing, actor: "key:dpo", at: now)
                    default: break
                    }
                    people.append(id)
                }
                let stranger = UUID()
                // A vault that has read nobody yet (a node just started): all read from the database together.
                let cold = PersonalDataVault(database: fixture.database, journal: fixture.journal, keys: fixture.keys)
                let together = try await cold.states(of: people + [stranger, people[0]])
                #expect(Set(together.keys) == Set(people.prefix(3)))
                for id in people.prefix(3) {
                    let alone = try await PersonalDataVault(database: fixture.database, journal: fixture.journal, keys: fixture.keys).state(of: id)
                    #expect(together[id] == alone && alone != nil)
                    // The vault that wrote them answers from memory: the same state.
                    #expect(try await fixture.vault.state(of: id) == alone)
                }
                #expect(together[people[0]]?.consents.status(purpose: "newsletter").isGranted == true)
                #expect(together[people[1]]?.consents.status(purpose: "newsletter") == .withdrawn(at: now.addingTimeInterval(1)))
                let objecting = try #require(together[people[2]])
                #expect(
                    objecting.restricted && objecting.marketingObjection == now && objecting.objections["analytics"]?.compellingGrounds == "fraud")
                // Now cached in `cold`; a withdrawal written through it is its next answer, and one written
                // through another vault (another node) is too on PostgreSQL, where the version is checked.
                try await cold.record([VaultFixture.consent(.withdrawn, .subject(people[0]), offset: 2)], actor: "key:test", at: now)
                #expect(try await cold.states(of: people)[people[0]]?.consents.status(purpose: "newsletter").isGranted == false)
                if fixture.database.isPostgres {
                    try await fixture.vault.record([VaultFixture.consent(.granted, .subject(people[1]), offset: 3)], actor: "key:test", at: now)
                    #expect(try await cold.states(of: people)[people[1]]?.consents.status(purpose: "newsletter").isGranted == true)
                }
                #expect(try await cold.states(of: []).isEmpty)
            }
        }

        @Test(
            "C10: the consent ledger is append-only, exported in order, and the gate state follows withdrawal at once",
            arguments: StoreBackend.all)
        func consents(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let id = try await fixture.newSubject()
                try await fixture.vault.record([VaultFixture.consent(.granted, .subject(id))], actor: "key:test", at: now)
                #expect(try await fixture.vault.state(of: id)?.consents.status(purpose: "newsletter").isGranted == true)
                try await fixture.vault.record([VaultFixture.consent(.withdrawn, .subject(id), offset: 1)], actor: "key:test", at: now)
                #expect(try await fixture.vault.state(of: id)?.consents.status(purpose: "newsletter").isGranted == false)

                let ledger = try await fixture.vault.consentEvents(of: .subject(id))
                #expect(ledger.map(\.event.action) == [.granted, .withdrawn])
                #expect(ledger.map(\.event.wordingHash) == [String(repeating: "b", count: 64), String(repeating: "b", count: 64)])
                // A fresh vault (no cache) projects the same state from the stored ledger.
                let reopened = PersonalDataVault(database: fixture.database, journal: fixture.journal, keys: fixture.keys)
                #expect(try await reopened.state(of: id)?.consents.status(purpose: "newsletter") == .withdrawn(at: now.addingTimeInterval(1)))
            }
        }

        @Test(
            "group commit: 400 concurrent consent writes are all acknowledged, all stored, and the audit chain verifies",
            arguments: StoreBackend.all)
        func groupCommit(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let sequences = try await VaultFixture.sideBySide(400) { index in
                    try await fixture.vault.record(
                        [VaultFixture.consent(.granted, .visitor("v\(index)"), offset: Double(index))], actor: "banner", at: now)
                }
                #expect(try await fixture.vault.consentEventCount() == 400)
                // Each writer learns its own place in the ledger: no two share one, none is lost.
                #expect(Set(sequences) == Set(1...400))
                let stored = try await fixture.vault.consentEvents(of: .visitor("v17"))
                #expect(stored.count == 1 && sequences.contains(stored[0].sequence))
                try await VaultFixture.expectIntactChain(fixture.database, key: fixture.keys.auditChain, entries: 400, pageSize: 64)
            }
        }

        @Test(
            "group commit: a batch of thousands of rows (several statements on SQLite, arrays longer than PostgreSQL's 65,535 binds) is written whole, in order, with the chain intact",
            arguments: StoreBackend.all)
        func batchBeyondOneStatement(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                // 2,500 events (three chunks of rows on SQLite) and 6,500 audit records: 99,000 values in all,
                // then a batch of audit records alone (empty consent arrays in the prepared statement on PostgreSQL).
                let events = (0..<2_500).map { VaultFixture.consent(.granted, .visitor("bulk"), offset: Double($0)) }
                let audit = (0..<6_500).map { AuditRecord(actor: "test", action: "bulk", object: "visitor:bulk", after: "\($0)", at: now) }
                let sequences = try await fixture.journal.commit(JournalUnit(consents: events, audit: audit))
                #expect(sequences == Array(1...2_500))
                let stored = try await fixture.vault.consentEvents(of: .visitor("bulk"))
                #expect(stored.map(\.sequence) == Array(1...2_500))
                #expect(stored.map(\.event.recordedAt) == events.map(\.recordedAt))
                try await fixture.journal.commit(JournalUnit(audit: [AuditRecord(actor: "test", action: "alone", object: "visitor:bulk", at: now)]))
                try await VaultFixture.expectIntactChain(fixture.database, key: fixture.keys.auditChain, entries: 6_501, pageSize: 1_000)
            }
        }

        @Test(
            "C14: two nodes on one store take turns: every writer learns its own sequence numbers and the one audit chain verifies",
            arguments: StoreBackend.all)
        func twoNodes(_ backend: StoreBackend) async throws {
            let logger = Logger(label: "pledge.test")
            let now = now
            try await backend.withDatabase { first in
                try await PledgeDatabase.with(first.configuration, logger: logger) { second in
                    let key = try await VaultKeys.load(first, master: .generate()).auditChain
                    try await Journal.running(on: first, logger: logger, chainKey: key) { one in
                        try await Journal.running(on: second, logger: logger, chainKey: key) { other in
                            let sequences = try await VaultFixture.sideBySide(300) { index in
                                try await (index.isMultiple(of: 2) ? one : other).commit(
                                    JournalUnit(
                                        consents: [VaultFixture.consent(.granted, .visitor("v\(index)"))],
                                        audit: [AuditRecord(actor: "node", action: "consent.granted", object: "visitor:v\(index)", at: now)]))
                            }
                            #expect(sequences.count == 300 && Set(sequences) == Set(1...300))
                        }
                    }
                    try await VaultFixture.expectIntactChain(second, key: key, entries: 300, pageSize: 64)
                }
            }
        }

        @Test(
            "C10/C14: a node whose remembered heads went stale (another node appended since) still appends after the real heads",
            arguments: StoreBackend.all)
        func staleHeads(_ backend: StoreBackend) async throws {
            let logger = Logger(label: "pledge.test")
            let now = now
            @Sendable func unit(_ name: String) -> JournalUnit {
                JournalUnit(
                    consents: [VaultFixture.consent(.granted, .visitor(name))],
                    audit: [AuditRecord(actor: "node", action: "consent.granted", object: "visitor:\(name)", at: now)])
            }
            try await backend.withDatabase { first in
                try await PledgeDatabase.with(first.configuration, logger: logger) { second in
                    let key = try await VaultKeys.load(first, master: .generate()).auditChain
                    try await Journal.running(on: first, logger: logger, chainKey: key) { one in
                        try await Journal.running(on: second, logger: logger, chainKey: key) { other in
                            // One after another, so that `one` remembers the heads it left, `other` moves
                            // them, and `one`'s next batch finds its remembered numbers taken.
                            let sequences = [
                                try await one.commit(unit("a")), try await other.commit(unit("b")),
                                try await one.commit(unit("c")), try await one.commit(unit("d")),
                            ]
                            #expect(sequences == [[1], [2], [3], [4]])
                        }
                    }
                    try await VaultFixture.expectIntactChain(second, key: key, entries: 4, pageSize: 64)
                }
            }
        }

        @Test("C14: altering one audit row in the database makes verification name it", arguments: StoreBackend.all)
        func tamper(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                for _ in 0..<5 { _ = try await fixture.newSubject() }
                #expect(try await AuditTrail(database: fixture.database).verify(key: fixture.keys.auditChain).firstBreak == nil)
                try await fixture.database.sql.raw("UPDATE audit_entries SET actor = 'key:someone-else' WHERE seq = 3").run()
                let verification = try await AuditTrail(database: fixture.database).verify(key: fixture.keys.auditChain)
                #expect(verification.firstBreak == AuditBreak(sequence: 3, kind: .alteredEntry))
            }
        }

        @Test("Art 17: erasure shreds the key and deletes the rows; a legal hold refuses it", arguments: StoreBackend.all)
        func erasure(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let id = try await fixture.newSubject()
                try await fixture.vault.collect(VaultFixture.plan(["user.name": "Ada"]), for: id, noticeVersion: nil, actor: "key:test", at: now)
                _ = try await fixture.vault.addInteraction(
                    to: id, kind: "call", content: "Asked about invoices", retention: nil, actor: "key:test", at: now)
                try await fixture.vault.apply(.legalHold(true), to: id, actor: "key:dpo", at: now)
                await #expect(throws: VaultRefusal.legalHold) {
                    _ = try await fixture.vault.erase(id, reason: "request", keeping: .nothing, actor: "key:dpo", at: now)
                }
                #expect(try await fixture.count("personal_values") == 1)

                try await fixture.vault.apply(.legalHold(false), to: id, actor: "key:dpo", at: now)
                let receipt = try await fixture.vault.erase(id, reason: "request", keeping: .nothing, actor: "key:dpo", at: now)
                #expect(receipt == ErasureReceipt(values: 1, identifiers: 1, interactions: 1))
                for table in ["personal_values", "subject_keys", "subject_identifiers", "interactions", "subjects"] {
                    #expect(try await fixture.count(table) == 0, "\(table) still has rows")
                }
                #expect(try await fixture.vault.state(of: id) == nil)
                await #expect(throws: VaultRefusal.subjectNotFound) {
                    _ = try await fixture.vault.erase(id, reason: "again", keeping: .nothing, actor: "key:dpo", at: now)
                }
                let actions = try await AuditTrail(database: fixture.database).entries(about: "subject:\(id.storedText)").map(\.record.action)
                #expect(actions.suffix(2) == ["subject.legal-hold-lift", "subject.erase"])
            }
        }

        @Test("C43: interaction records are sealed and read back for the subject", arguments: StoreBackend.all)
        func interactions(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let id = try await fixture.newSubject()
                _ = try await fixture.vault.addInteraction(
                    to: id, kind: "chat", content: "Transcript: hello", retention: "enquiries", actor: "key:support", at: now)
                let records = try await fixture.vault.interactions(of: id, role: .dpo, purposes: nil, actor: "key:dpo", at: now)
                #expect(records.map(\.content) == ["Transcript: hello"])
                #expect(records.first?.kind == "chat")
                await #expect(throws: VaultRefusal.subjectNotFound) {
                    _ = try await fixture.vault.addInteraction(to: UUID(), kind: "note", content: "x", retention: nil, actor: "key:support", at: now)
                }
            }
        }

        @Test(
            "C30: a subject with thousands of records is read back whole and in order, each record opened with its own context, when opening is shared across cores",
            arguments: StoreBackend.all)
        func manyRecords(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let id = try await fixture.newSubject()
                // Two thousand of each: enough for two slices of a thousand on a two-core machine.
                let fields = (0..<2_000).map { String(format: "field-%05d", $0) }
                try await fixture.vault.collect(
                    VaultFixture.plan(Dictionary(uniqueKeysWithValues: fields.map { ($0, "value of \($0)") })),
                    for: id, noticeVersion: "2026-10", actor: "key:test", at: now)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<2_000 {
                        group.addTask {
                            _ = try await fixture.vault.addInteraction(
                                to: id, kind: "note", content: "note \(index)", retention: nil, actor: "key:support",
                                at: now.addingTimeInterval(Double(index)))
                        }
                    }
                    try await group.waitForAll()
                }
                let records = try #require(try await fixture.vault.records(of: id, purpose: "request:test", actor: "key:dpo", at: now))
                #expect(records.values.map(\.field) == fields)
                #expect(records.values.allSatisfy { $0.value == "value of \($0.field)" })
                #expect(records.interactions.map(\.content) == (0..<2_000).map { "note \($0)" })
            }
        }

        @Test("slices worked side by side come back in the order of the input, and a failure in any slice is thrown")
        func concurrentMapKeepsOrder() async throws {
            let numbers = Array(0..<10_000)
            #expect(try await numbers.concurrentMap(minimumSlice: 100) { $0 * 2 } == numbers.map { $0 * 2 })
            struct Odd: Error {}
            await #expect(throws: Odd.self) {
                _ = try await numbers.concurrentMap(minimumSlice: 100) {
                    if $0 == 9_999 { throw Odd() }; return $0
                }
            }
        }

        @Test(
            "master-key rotation re-wraps keys without touching values; the old key alone no longer opens the vault",
            arguments: StoreBackend.all)
        func rotation(_ backend: StoreBackend) async throws {
            let old = MasterKey.generate()
            try await VaultFixture.with(backend, master: old) { fixture in
                let id = try await fixture.newSubject(email: "grace@example.com")
                try await fixture.vault.collect(VaultFixture.plan(["user.name": "Grace"]), for: id, noticeVersion: nil, actor: "key:test", at: now)
                let sealedBefore = try await fixture.database.sql.raw("SELECT sealed FROM personal_values").first()!.decode(
                    column: "sealed", as: Data.self)
                let new = MasterKey.generate()
                // The subject's data key, the blind-index key and the audit chain's key.
                #expect(try await MasterKeyRotation.rotate(fixture.keys, to: new, journal: fixture.journal, actor: "cli:root", at: now) == 3)
                let sealedAfter = try await fixture.database.sql.raw("SELECT sealed FROM personal_values").first()!.decode(
                    column: "sealed", as: Data.self)
                #expect(sealedAfter == sealedBefore)

                let keys = try await VaultKeys.load(fixture.database, master: new)
                let vault = PersonalDataVault(database: fixture.database, journal: fixture.journal, keys: keys)
                // The audit chain's key moved with the others: the trail still verifies under the new master key.
                #expect(try await AuditTrail(database: fixture.database).verify(key: keys.auditChain).isIntact)
                #expect(try await vault.values(of: id, purpose: nil, actor: "key:test", at: now).map(\.value) == ["Grace"])
                #expect(try await vault.findSubject(try SubjectIdentifier(kind: .email, raw: "grace@example.com"), actor: "key:test", at: now) == id)
                await #expect(throws: VaultAccessError.self) { _ = try await VaultKeys.load(fixture.database, master: old) }
            }
        }

        @Test("API keys: stored hashed, authenticate until revoked, names unique", arguments: StoreBackend.all)
        func apiKeys(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let store = APIKeyStore(database: fixture.database, journal: fixture.journal)
                let (key, token) = try await store.create(name: "crm", role: .support, purposes: ["service"], actor: "cli:root", at: now)
                #expect(try await store.authenticate(token, at: now) == key)
                #expect(try await store.authenticate(token + "x", at: now) == nil)
                let stored = try await fixture.database.sql.raw("SELECT secret_sha256 FROM api_keys").first()!.decode(
                    column: "secret_sha256", as: String.self)
                #expect(stored != token && !stored.contains(token))
                await #expect(throws: APIKeyError.nameTaken("crm")) {
                    _ = try await store.create(name: "crm", role: .admin, purposes: nil, actor: "cli:root", at: now)
                }
                await #expect(throws: APIKeyError.invalidName("no spaces")) {
                    _ = try await store.create(name: "no spaces", role: .admin, purposes: nil, actor: "cli:root", at: now)
                }
                try await store.revoke(name: "crm", actor: "cli:root", at: now)
                #expect(try await store.authenticate(token, at: now) == nil)
                await #expect(throws: APIKeyError.notFound("crm")) { try await store.revoke(name: "crm", actor: "cli:root", at: now) }
                #expect(try await store.all().first?.revokedAt != nil)
            }
        }
    }
}
