import Foundation
import PledgeCore
import PledgeStore
import SQLKit

/// Issue 28's figure: a campaign's permission and audience over a store of each size in `sizes`
/// (SQLite), half the subjects with newsletter consent, a tenth suppressed. The reference, timed in
/// the same run, is reading the same rows with no decision (`SELECT id, categories FROM subjects`).
///
/// The first `seedSize` subjects are made through the vault (identifier, consent, suppression, audit);
/// the rest are their rows copied in SQL under new ids and addresses (`copySubjects`), so that a store of
/// 1,000,000 takes seconds to make rather than a quarter of an hour. The audience reads only the
/// copied tables (subjects, identifiers, consents, objections, suppressions).
func audience(sizes: [Int], declaration: Declaration) async throws {
    let seedSize = 1_000
    try await PledgeDatabase.with(.sqlite(path: directory.appendingPathComponent("audience.sqlite").path), logger: logger) { database in
        let keys = try await VaultKeys.load(database, master: .generate())
        try await Journal.running(on: database, logger: logger, chainKey: keys.auditChain) { journal in
            let vault = PersonalDataVault(database: database, journal: journal, keys: keys, cacheCapacity: 1_000)
            let rule = MarketingPermissionRule(declaration)
            let question = MarketingQuestion(purpose: "newsletter", medium: .email)
            try await seed(vault, count: seedSize)
            var population = seedSize
            for size in sizes where size > population {
                try await copySubjects(in: database, seed: seedSize, from: population, to: size)
                population = size
                var decided: [Double] = [], read: [Double] = []
                var recipients = 0
                for _ in 0..<5 {
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    _ = try await database.sql.raw("SELECT id, categories FROM subjects").all()
                    read.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                    let t1 = DispatchTime.now().uptimeNanoseconds
                    let resolution = try await MarketingAudience(vault: vault).resolve(
                        question, selection: .init(categories: ["customer"]), rule: rule, at: Date())
                    decided.append(Double(DispatchTime.now().uptimeNanoseconds - t1) / 1e6)
                    recipients = resolution.recipients.count
                }
                decided.sort()
                read.sort()
                print(
                    String(
                        format: "audience of %8d subjects (%d may receive it): median %7.1f ms; reference (reading the rows only) %7.1f ms",
                        population, recipients, decided[2], read[2]))
            }
        }
    }
}

/// `count` customers made through the vault by 32 writers: each with an address, every second with
/// newsletter consent, every tenth suppressed.
private func seed(_ vault: PersonalDataVault, count: Int) async throws {
    let perWriter = count / 32 + 1
    try await withThrowingTaskGroup(of: Void.self) { group in
        for writer in 0..<32 {
            group.addTask {
                for index in writer * perWriter..<min(count, (writer + 1) * perWriter) {
                    let address = try SubjectIdentifier(kind: .email, raw: "a\(index)@bench.example")
                    let id = try await vault.createSubject(NewSubject(identifiers: [address], categories: ["customer"]), actor: "bench", at: Date())
                    if index % 2 == 0 {
                        _ = try await vault.record(
                            [
                                ConsentEvent(
                                    holder: .subject(id), scope: ConsentScope(purpose: "newsletter"), action: .granted, mechanism: "opt_in_checkbox",
                                    noticeVersion: "bench", wordingHash: String(repeating: "a", count: 64), recordedAt: Date())
                            ], actor: "bench", at: Date())
                    }
                    if index % 10 == 0 { try await vault.suppress(address, reason: .unsubscribed, actor: "bench", at: Date()) }
                }
            }
        }
        try await group.waitForAll()
    }
}

/// Subjects `start..<end` as copies of the `seed` first ones (subject `k` copies seed `k % seed`):
/// the subject row under the id `k` written as a UUID, its identifiers under a new 32-byte digest,
/// its suppressions under that digest, and its consent events and objections under the new id.
private func copySubjects(in database: PledgeDatabase, seed: Int, from start: Int, to end: Int) async throws {
    let sql = database.sql
    func columns(_ table: String) async throws -> [String] {
        try await sql.raw("SELECT name FROM pragma_table_info(\(bind: table))").all().map { try $0.decode(column: "name", as: String.self) }
    }
    /// The column list of `table` for an INSERT, and what to select for each: `replacing` names an expression in place of a column.
    func copy(_ table: String, replacing: [String: String], skipping: Set<String> = []) async throws -> (String, String) {
        let names = try await columns(table).filter { !skipping.contains($0) }
        return (names.map { "\"\($0)\"" }.joined(separator: ", "), names.map { replacing[$0] ?? "t.\"\($0)\"" }.joined(separator: ", "))
    }
    try await sql.raw("DROP TABLE IF EXISTS temp.bench_seed").run()
    try await sql.raw(
        "CREATE TEMP TABLE bench_seed AS SELECT row_number() OVER (ORDER BY created_us, id) - 1 AS j, id FROM subjects WHERE id NOT LIKE '%-0000-4000-8000-%'"
    ).run()
    try await sql.raw("DROP TABLE IF EXISTS temp.bench_ids").run()
    try await sql.raw(
        """
        CREATE TEMP TABLE bench_ids AS WITH RECURSIVE n(k) AS (SELECT \(unsafeRaw: String(start)) UNION ALL SELECT k + 1 FROM n WHERE k < \(unsafeRaw: String(end - 1)))
        SELECT n.k, printf('%08x-0000-4000-8000-%012x', n.k, n.k) AS id, s.id AS seed_id FROM n JOIN bench_seed s ON s.j = n.k % \(unsafeRaw: String(seed))
        """
    ).run()
    let digest = "CAST(printf('bench-%026d', b.k) AS BLOB)"
    let subjects = try await copy("subjects", replacing: ["id": "b.id"])
    let identifiers = try await copy("subject_identifiers", replacing: ["subject_id": "b.id", "digest": digest])
    let suppressions = try await copy("suppressions", replacing: ["digest": digest])
    let consents = try await copy("consent_events", replacing: ["holder": "b.id"], skipping: ["seq"])
    let objections = try await copy("objections", replacing: ["subject_id": "b.id"], skipping: ["id"])
    for statement in [
        "INSERT INTO subjects (\(subjects.0)) SELECT \(subjects.1) FROM bench_ids b JOIN subjects t ON t.id = b.seed_id",
        "INSERT INTO subject_identifiers (\(identifiers.0)) SELECT \(identifiers.1) FROM bench_ids b JOIN subject_identifiers t ON t.subject_id = b.seed_id",
        """
        INSERT INTO suppressions (\(suppressions.0)) SELECT \(suppressions.1) FROM bench_ids b JOIN subject_identifiers i ON i.subject_id = b.seed_id
        JOIN suppressions t ON t.digest = i.digest
        """,
        "INSERT INTO consent_events (\(consents.0)) SELECT \(consents.1) FROM bench_ids b JOIN consent_events t ON t.holder = b.seed_id ORDER BY b.k, t.seq",
        "INSERT INTO objections (\(objections.0)) SELECT \(objections.1) FROM bench_ids b JOIN objections t ON t.subject_id = b.seed_id",
    ] {
        try await sql.raw(SQLQueryString(statement)).run()
    }
}
