import Foundation
import PledgeTestSupport
import SQLKit
import Testing

@testable import PledgeCore
@testable import PledgeStore

/// Retention that runs (issue 29 §1; C36): the sweep removes what the declaration's periods say has
/// expired, keeps what holds cover, erases people left with nothing, and the plan says the same first.
extension StoreTests {
    @Suite("Retention sweep")
    struct RetentionSweepTests {
        static let schedule = RetentionSchedule(RequestStoreTests.declaration)
        static let year: TimeInterval = 365 * 86_400

        /// A subject with `fields` collected for `purpose` at `instant`.
        static func subject(
            _ fixture: VaultFixture, _ fields: [String: String], purpose: String, at instant: Date = VaultFixture.now
        ) async throws -> UUID {
            let email = fields["user.contact.email"] ?? "someone-\(UUID().uuidString.prefix(8))@example.com"
            let id = try await fixture.newSubject(email: email)
            try await fixture.vault.collect(
                VaultFixture.plan(fields, purpose: purpose), for: id, noticeVersion: "2026-10", actor: "key:test", at: instant)
            return id
        }

        static func values(of id: UUID, _ fixture: VaultFixture) async throws -> Int {
            try await fixture.database.sql.raw("SELECT COUNT(*) AS n FROM personal_values WHERE subject_id = \(bind: id.storedText)").first()!
                .decode(column: "n", as: Int.self)
        }

        @Test(
            "APX-53/APX-54/ECR-23/ECR-24/OEX-06/OEX-34/OEX-62/OEX-63/OEX-64 (Art 5(1)(e)): the plan shows what would go and what holds keep; the sweep removes exactly that in batches, erases people left with nothing, keeps what a hold, the legal-hold flag, a statute or a restarted clock keeps, audits counts only, and consent proof goes a limitation period after its person",
            arguments: StoreBackend.all)
        func sweep(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let vault = fixture.vault
                let now = VaultFixture.now
                let later = now.addingTimeInterval(2 * Self.year + 10 * 86_400)
                // Ada: an enquiry whose clock a later call restarts, and a testimonial kept three years from collection.
                let ada = try await Self.subject(fixture, ["user.contact.email": "ada@example.com"], purpose: "enquiries")
                try await vault.collect(
                    VaultFixture.plan(["user.name": "Ada"], purpose: "testimonials"), for: ada, noticeVersion: "2026-10", actor: "key:test", at: now)
                _ = try await vault.addInteraction(
                    to: ada, kind: "call", content: "Asked about prices", retention: nil, actor: "key:test", at: now.addingTimeInterval(Self.year))
                // Bob: an enquiry two years old, and a consent whose proof outlives him.
                let bob = try await Self.subject(fixture, ["user.contact.email": "bob@example.com"], purpose: "enquiries")
                _ = try await vault.record([VaultFixture.consent(.granted, .subject(bob))], actor: "key:test", at: now)
                _ = try await vault.record([VaultFixture.consent(.granted, .subject(ada), offset: 1)], actor: "key:test", at: now)
                // Cy: account data, kept twelve months from the account's closure, closed the next day.
                let cy = try await Self.subject(fixture, ["user.name": "Cy"], purpose: "service")
                try await vault.apply(.stage("ended"), to: cy, actor: "key:test", at: now.addingTimeInterval(86_400))
                // Cy's twin whose account is open: the clock has not started.
                let open = try await Self.subject(fixture, ["user.name": "Open"], purpose: "service")
                // Dee: held by a subject hold; Eve: her workplace held by a category hold; Gus: the legal-hold flag.
                let dee = try await Self.subject(fixture, ["user.contact.email": "dee@example.com"], purpose: "enquiries")
                let eve = try await Self.subject(
                    fixture, ["user.contact.email": "eve@example.com", "user.workplace": "Eve's Firm"], purpose: "enquiries")
                let gus = try await Self.subject(fixture, ["user.contact.email": "gus@example.com"], purpose: "enquiries")
                try await vault.apply(.legalHold(true), to: gus, actor: "key:dpo", at: now)
                // Fay: invoices kept six years by statute.
                let fay = try await Self.subject(fixture, ["user.account.payment": "card ending 4242"], purpose: "billing")
                // Hal: only a security log, kept ninety days.
                let hal = try await fixture.newSubject()
                _ = try await vault.addInteraction(
                    to: hal, kind: "login", content: "Signed in from 192.0.2.1", retention: "security-logs", actor: "key:test", at: now)

                let holds = RetentionHolds(vault: vault)
                let categories = RequestStoreTests.declaration.knownCategories
                await #expect(throws: RetentionRefusal.holdReasonMissing) {
                    try await holds.place(scope: .subject, target: dee.storedText, reason: "  ", categories: categories, actor: "key:dpo", at: now)
                }
                await #expect(throws: RetentionRefusal.holdTargetUnknown) {
                    try await holds.place(
                        scope: .subject, target: UUID().storedText, reason: "Claim", categories: categories, actor: "key:dpo", at: now)
                }
                await #expect(throws: RetentionRefusal.holdTargetUnknown) {
                    try await holds.place(
                        scope: .category, target: "user.nonsense", reason: "Claim", categories: categories, actor: "key:dpo", at: now)
                }
                #expect(try await fixture.count("retention_holds") == 0, "nothing stored on a refusal")
                let deeHold = try await holds.place(
                    scope: .subject, target: dee.storedText, reason: "Claim 2027-14 in the county court", categories: categories, actor: "key:dpo",
                    at: now)
                _ = try await holds.place(
                    scope: .category, target: "user.workplace", reason: "Employer investigation", categories: categories, actor: "key:dpo", at: now)

                let sweep = RetentionSweep(vault: vault)
                let plan = try await sweep.plan(Self.schedule, at: later)
                func line(_ kind: RetentionPlan.Line.Kind, _ name: String) -> RetentionPlan.Line? {
                    plan.lines.first { $0.kind == kind && $0.name == name }
                }
                #expect(
                    line(.values, "enquiries")?.due == 2 && line(.values, "enquiries")?.held == 3,
                    "Bob's and Eve's email go; Dee, Eve's workplace, Gus stay")
                #expect(line(.values, "service")?.due == 1 && line(.values, "testimonials")?.due == 0 && line(.values, "billing")?.due == 0)
                #expect(line(.interactions, "security-logs")?.due == 1 && line(.consentProof, "consent")?.due == 0)
                #expect(plan.due == 4 && plan.flaggedSubjects == 1 && plan.holds.count == 2)
                #expect(try await sweep.plan(Self.schedule, at: now).due == 0, "nothing has expired yet")

                let run = try await sweep.run(Self.schedule, at: later, batch: 1)
                #expect(run.removed == ["values:enquiries": 2, "values:service": 1, "interactions:security-logs": 1])
                #expect(run.subjectsErased == 3 && run.batches >= 7, "Bob, Cy, Hal; one row a batch")
                for gone in [bob, cy, hal] { #expect(try await vault.state(of: gone) == nil) }
                for kept in [ada, open, dee, gus, fay] { #expect(try await Self.values(of: kept, fixture) > 0) }
                #expect(try await Self.values(of: eve, fixture) == 1, "her held workplace stays, her email goes")
                #expect(try await sweep.plan(Self.schedule, at: later).due == 0, "the plan and the sweep agree")
                let audit = try await AuditTrail(database: fixture.database).entries(about: "retention").map(\.record)
                #expect(audit.map(\.action) == ["retention.sweep"])
                #expect(audit.first?.after == run.summary && !(run.summary.contains("@")), "counts, never content")

                // A year on, Ada's enquiry and testimonial have run out; her call record keeps her on file.
                let third = now.addingTimeInterval(3 * Self.year + 10 * 86_400)
                _ = try await holds.lift(deeHold.id, actor: "key:dpo", at: third)
                await #expect(throws: RetentionRefusal.holdLifted) { try await holds.lift(deeHold.id, actor: "key:dpo", at: third) }
                let again = try await sweep.run(Self.schedule, at: third)
                #expect(
                    again.removed == ["values:enquiries": 2, "values:testimonials": 1] && again.subjectsErased == 1, "Ada's two, and Dee once lifted")
                #expect(try await Self.values(of: ada, fixture) == 0)
                #expect(try await vault.state(of: ada) != nil)
                #expect(try await vault.state(of: dee) == nil)

                // Bob's consent proof stays six years after his erasure, then goes; Ada's, the ledger's last, stays.
                #expect(try await sweep.run(Self.schedule, at: later.addingTimeInterval(5 * Self.year)).removed["consent_proof"] == nil)
                let proof = try await sweep.run(Self.schedule, at: later.addingTimeInterval(6 * Self.year + 3 * 86_400))
                #expect(proof.removed["consent_proof"] == 1)
                #expect(try await fixture.count("consent_events") == 1)
            }
        }

        @Test(
            "APX-53/C28 (Art 5(1)(e), Art 12): a person with an open request is not erased by retention while it runs, and a case hold keeps their data; both go once the case is over and the hold lifted",
            arguments: StoreBackend.all)
        func openRequestsAndCaseHolds(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let later = VaultFixture.now.addingTimeInterval(2 * Self.year + 10 * 86_400)
                let register = RequestStoreTests.register(fixture)
                let ada = try await Self.subject(fixture, ["user.contact.email": "ada@example.com"], purpose: "enquiries")
                let bob = try await Self.subject(fixture, ["user.contact.email": "bob@example.com"], purpose: "enquiries")
                _ = try await fixture.vault.apply(.stage("ended"), to: bob, actor: "key:test", at: VaultFixture.now)
                // Their emails are on file, so the cases are linked to them.
                let adaCase = try await RequestStoreTests.verified(.access, from: "ada@example.com", in: register)
                let bobCase = try await RequestStoreTests.verified(.access, from: "bob@example.com", in: register)
                #expect(adaCase.subject == ada && bobCase.subject == bob)
                let holds = RetentionHolds(vault: fixture.vault)
                let hold = try await holds.place(
                    scope: .case, target: bobCase.id.storedText, reason: "Complaint to the ICO about this request",
                    categories: RequestStoreTests.declaration.knownCategories, actor: "key:dpo", at: VaultFixture.now)
                #expect(hold.subject == bob)

                let sweep = RetentionSweep(vault: fixture.vault)
                let run = try await sweep.run(Self.schedule, at: later)
                #expect(run.removed == ["values:enquiries": 1] && run.subjectsErased == 0, "Ada's email goes, Bob's is held by his case")
                #expect(try await fixture.vault.state(of: ada) != nil, "Ada's request is open: she stays on file")
                #expect(try await Self.values(of: bob, fixture) == 1)

                _ = try await holds.lift(hold.id, actor: "key:dpo", at: later)
                let lifted = try await sweep.run(Self.schedule, at: later)
                #expect(lifted.removed == ["values:enquiries": 1] && lifted.subjectsErased == 0, "Bob's request is still open")
                #expect(try await fixture.vault.state(of: bob) != nil)

                // The requests are answered: the next sweep erases both, though nothing of theirs expired since.
                for id in [adaCase.id, bobCase.id] {
                    try await register.record(
                        .complete(outcome: "Sent", withheld: []), on: id, actor: "key:dpo", at: later, clock: RequestStoreTests.clock)
                }
                let answered = try await sweep.run(Self.schedule, at: later)
                #expect(answered.removed.isEmpty && answered.subjectsErased == 2)
                for gone in [ada, bob] { #expect(try await fixture.vault.state(of: gone) == nil) }
            }
        }

        @Test(
            "OEX-64/APX-53 (Art 5(1)(e), Art 5(2)): an access export goes once its download expires, sent email after 90 days, and a closed case with its history six years after closing; an open case and unsent email stay",
            arguments: StoreBackend.all)
        func requestRecords(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                let register = RequestStoreTests.register(fixture)
                _ = try await fixture.newSubject(email: "ada@example.com")
                let closed = try await RequestStoreTests.verified(.access, from: "ada@example.com", in: register)
                let open = try await RequestStoreTests.verified(.access, from: "bob@example.com", in: register)
                try await register.record(
                    .complete(outcome: "Sent", withheld: []), on: closed.id, actor: "key:dpo", at: VaultFixture.now, clock: RequestStoreTests.clock)
                try await register.storeExport(
                    Data("zip".utf8), for: closed.id, expires: VaultFixture.now.addingTimeInterval(7 * 86_400), actor: "key:dpo", at: VaultFixture.now
                )
                for (id, sent) in [(UUID(), VaultFixture.now as Date?), (UUID(), nil)] {
                    try await fixture.database.sql.raw(
                        """
                        INSERT INTO outbox (id, request_id, created_us, next_attempt_us, attempts, sent_us)
                        VALUES (\(bind: id.uuidString.lowercased()), \(bind: open.id.uuidString.lowercased()), \(bind: VaultFixture.now.microseconds),
                        \(bind: VaultFixture.now.microseconds), \(bind: 1), \(bind: sent?.microseconds))
                        """
                    ).run()
                }
                let sweep = RetentionSweep(vault: fixture.vault)
                let day: TimeInterval = 86_400
                let week = try await sweep.run(Self.schedule, at: VaultFixture.now.addingTimeInterval(8 * day))
                #expect(week.removed == ["exports": 1], "the download expired; the sent email is a week old")
                #expect(try await register.exportExpiry(for: closed.id) == nil)
                let quarter = try await sweep.run(Self.schedule, at: VaultFixture.now.addingTimeInterval(91 * day))
                #expect(quarter.removed == ["sent_mail": 1])
                #expect(try await fixture.count("outbox") == 1, "the unsent one stays")
                let plan = try await sweep.plan(Self.schedule, at: VaultFixture.now.addingTimeInterval(6 * Self.year + 10 * day))
                #expect(plan.lines.first { $0.kind == .cases }?.due == 1)
                let years = try await sweep.run(Self.schedule, at: VaultFixture.now.addingTimeInterval(6 * Self.year + 10 * day))
                #expect(years.removed == ["cases": 1])
                #expect(try await register.find(closed.id) == nil)
                #expect(try await register.history(of: closed.id).isEmpty)
                #expect(try await register.find(open.id) != nil, "an open case stays")
            }
        }

        @Test(
            "APX-53/OEX-62 (Art 17, Art 5(1)(e)): each statement of a person's erasure finds their rows by an index on subject_id, not by reading every row of the table (campaign messages did)",
            arguments: StoreBackend.all)
        func erasureUsesIndexes(_ backend: StoreBackend) async throws {
            try await backend.withDatabase { database in
                for table in PersonalDataVault.erasedTables {
                    if database.isPostgres {
                        // The planner reads a small table whole whatever its indexes; so on PostgreSQL, ask for the index.
                        let definitions = try await database.sql.raw(
                            "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = \(bind: table)"
                        ).all().map { try $0.decode(column: "indexdef", as: String.self) }
                        #expect(definitions.contains { $0.hasSuffix("(subject_id)") || $0.contains("(subject_id, ") }, "\(table): \(definitions)")
                    } else {
                        let plan = try await database.sql.raw(
                            "EXPLAIN QUERY PLAN DELETE FROM \(ident: table) WHERE subject_id IN ('a', 'b')"
                        ).all().map { try $0.decode(column: "detail", as: String.self) }
                        #expect(!plan.isEmpty)
                        #expect(!plan.contains { $0.hasPrefix("SCAN") }, "\(table): \(plan)")
                    }
                }
            }
        }

        @Test(
            "APX-53 (Art 5(1)(e)): the vault's ids are time-ordered (UUIDv7), so what expires together is stored together",
            arguments: StoreBackend.all)
        func idsAreTimeOrdered(_ backend: StoreBackend) async throws {
            try await VaultFixture.with(backend) { fixture in
                var made: [UUID] = []
                for (name, offset) in [("Ada", 0.0), ("Bob", 1.0)] {
                    let instant = VaultFixture.now.addingTimeInterval(offset)
                    let id = try await fixture.vault.createSubject(
                        NewSubject(identifiers: [], categories: ["customer"]), actor: "key:test", at: instant)
                    try await fixture.vault.collect(
                        VaultFixture.plan(["user.name": name], purpose: "enquiries"), for: id, noticeVersion: "2026-10", actor: "key:test",
                        at: instant)
                    made.append(id)
                }
                let (earlier, later) = (made[0], made[1])
                #expect(earlier.storedText < later.storedText)
                let stamp = String(format: "%012llx", VaultFixture.now.microseconds / 1000)
                #expect(earlier.storedText.replacingOccurrences(of: "-", with: "").hasPrefix(stamp))
                let values = try await fixture.database.sql.raw("SELECT id FROM personal_values ORDER BY collected_us").all()
                    .map { try $0.decode(column: "id", as: String.self) }
                #expect(values.count == 2)
                #expect(values == values.sorted() && values.allSatisfy { $0.dropFirst(14).hasPrefix("7") })
            }
        }
    }
}
