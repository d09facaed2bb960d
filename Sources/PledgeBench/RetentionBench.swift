import Foundation
import PledgeCore
import PledgeStore
import SQLKit

/// Issue 29's figures: the retention sweep over a store of `size` subjects (SQLite), each with two
/// values (a name and an email for enquiries), an identifier and a key of their own, a tenth collected
/// three years ago and so expired;
/// rows removed a second and the longest batch (the most the writer was held at once). Then a
/// breach's scope over the same store. The store is filled with plain SQL (the vault's own writes
/// would take an hour at this size; the rows are shaped as the vault writes them), and the
/// references, timed in the same run, read the same rows with no decision.
func retention(size: Int, declaration: Declaration) async throws {
    try await PledgeDatabase.with(.sqlite(path: directory.appendingPathComponent("retention.sqlite").path), logger: logger) { database in
        let keys = try await VaultKeys.load(database, master: .generate())
        try await Journal.running(on: database, logger: logger, chainKey: keys.auditChain) { journal in
            let vault = PersonalDataVault(database: database, journal: journal, keys: keys, cacheCapacity: 1_000)
            let now = Date()
            let old = now.addingTimeInterval(-3 * 366 * 86_400).microseconds
            let sealed = Data(repeating: 7, count: 60)
            // The vault's ids are time-ordered (UUIDv7); PLEDGE_BENCH_RETENTION_IDS=random fills the store with random
            // ones instead, the reference for what that choice gains.
            let randomIDs = ProcessInfo.processInfo.environment["PLEDGE_BENCH_RETENTION_IDS"] == "random"
            // Rows are inserted as they were collected, the expired tenth first (a store that grew over time);
            // PLEDGE_BENCH_RETENTION_ORDER=interleaved inserts the old among the new, as a sweep by relationship
            // end meets them, the worst order for the table itself.
            let interleaved = ProcessInfo.processInfo.environment["PLEDGE_BENCH_RETENTION_ORDER"] == "interleaved"
            let chunk = 2_000
            for start in stride(from: 0, to: size, by: chunk) {
                var subjects: [any SQLExpression] = [], values: [any SQLExpression] = [], identifiers: [any SQLExpression] = []
                var subjectKeys: [any SQLExpression] = []
                for index in start..<min(start + chunk, size) {
                    // People arrive 10 ms apart, a tenth of them three years ago.
                    let expires = interleaved ? index % 10 == 0 : index < size / 10
                    let collected = (expires ? old : now.microseconds) - Int64(size - index) * 10_000
                    let made = Date(timeIntervalSince1970: Double(collected) / 1e6)
                    let newID = { randomIDs ? UUID().lowercasedString : UUID.timeOrdered(at: made).lowercasedString }
                    let id = newID()
                    let row: [any Encodable & Sendable] = [id, "customer", false, false, false, collected, Int64(0)]
                    subjects.append(SQLGroupExpression(row.map { SQLBind($0) }))
                    identifiers.append(SQLGroupExpression([SQLBind(Data(UUID().lowercasedString.utf8)), SQLBind(id), SQLBind("email")]))
                    // Every person the vault holds has a key of their own, wrapped by the master key (crypto-shredding).
                    subjectKeys.append(SQLGroupExpression([SQLBind(id), SQLBind("bench"), SQLBind(sealed)]))
                    for (field, category) in [("name", "user.name"), ("email", "user.contact.email")] {
                        let value: [any Encodable & Sendable] = [
                            newID(), id, field, category, "enquiries", "contact-form", collected, sealed,
                        ]
                        values.append(SQLGroupExpression(value.map { SQLBind($0) }))
                    }
                }
                try await database.sql.raw(
                    "INSERT INTO subjects (id, categories, is_child, restricted, legal_hold, created_us, gate_version) VALUES \(SQLList(subjects))"
                ).run()
                try await database.sql.raw("INSERT INTO subject_identifiers (digest, subject_id, kind) VALUES \(SQLList(identifiers))").run()
                try await database.sql.raw("INSERT INTO subject_keys (subject_id, master_key_id, wrapped) VALUES \(SQLList(subjectKeys))").run()
                try await database.sql.raw(
                    "INSERT INTO personal_values (id, subject_id, field, category, purpose, source, collected_us, sealed) VALUES \(SQLList(values))"
                ).run()
            }
            let expired = size / 10 * 2
            let t1 = DispatchTime.now().uptimeNanoseconds
            let scope = try await BreachRegister(vault: vault).scope(categories: ["user.contact"], until: now)
            let scoped = Double(DispatchTime.now().uptimeNanoseconds - t1) / 1e9
            let t2 = DispatchTime.now().uptimeNanoseconds
            _ = try await database.sql.raw("SELECT COUNT(DISTINCT subject_id) AS n FROM personal_values").first()
            let counted = Double(DispatchTime.now().uptimeNanoseconds - t2) / 1e9
            print(
                String(
                    format: "breach scope over %8d subjects (%d people): %6.0f ms; reference (counting the people with any value) %6.0f ms", size,
                    scope,
                    scoped * 1000, counted * 1000))

            // The reference: a plain DELETE by id of 500 rows shaped the same (not expired ones), the floor of any deletion here.
            let sample = try await database.sql.raw("SELECT id FROM personal_values WHERE collected_us > \(bind: old) LIMIT 500").all()
                .map { try $0.decode(column: "id", as: String.self) }
            let t0 = DispatchTime.now().uptimeNanoseconds
            try await database.sql.delete(from: "personal_values").where("id", .in, sample).run()
            let plain = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9

            let t3 = DispatchTime.now().uptimeNanoseconds
            // PLEDGE_BENCH_RETENTION_BATCH sets the rows a unit (a fifth as many people a unit of erasure); the sweep's default otherwise.
            let batch = ProcessInfo.processInfo.environment["PLEDGE_BENCH_RETENTION_BATCH"].flatMap { Int($0) } ?? RetentionSweep.defaultBatch
            let run = try await RetentionSweep(vault: vault).run(RetentionSchedule(declaration), at: now, batch: batch)
            let swept = Double(DispatchTime.now().uptimeNanoseconds - t3) / 1e9
            // Each person erased is their subject row, identifier row and key row besides their values.
            let rows = run.total + run.subjectsErased * 3
            let keysLeft = try await database.sql.raw("SELECT COUNT(*) AS n FROM subject_keys").first()?.decode(column: "n", as: Int.self) ?? -1
            print(
                String(
                    format:
                        "retention sweep over %8d subjects (\(randomIDs ? "random" : "time-ordered") ids, \(interleaved ? "interleaved" : "chronological")): %d values removed (%d expected) and %d people erased (%d keys left of %d), %d rows in %.1f s: %.0f rows/s; longest batch %.1f ms; reference (a plain DELETE of 500 rows by id) %.0f rows/s, %.1f ms",
                    size, run.total, expired, run.subjectsErased, keysLeft, size, rows, swept, Double(rows) / swept, run.longestBatch * 1000,
                    Double(sample.count) / plain, plain * 1000))
        }
    }
}
