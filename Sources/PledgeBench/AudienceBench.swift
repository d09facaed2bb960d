import Foundation
import PledgeCore
import PledgeStore

/// Issue 28's figure: a campaign's permission and audience over a store of each size in `sizes`
/// (SQLite), half the subjects with newsletter consent, a tenth suppressed. The reference, timed in
/// the same run, is reading the same rows with no decision (`SELECT id, categories FROM subjects`).
func audience(sizes: [Int], declaration: Declaration) async throws {
    try await PledgeDatabase.with(.sqlite(path: directory.appendingPathComponent("audience.sqlite").path), logger: logger) { database in
        let keys = try await VaultKeys.load(database, master: .generate())
        try await Journal.running(on: database, logger: logger, chainKey: keys.auditChain) { journal in
            let vault = PersonalDataVault(database: database, journal: journal, keys: keys, cacheCapacity: 1_000)
            let rule = MarketingPermissionRule(declaration)
            let question = MarketingQuestion(purpose: "newsletter", medium: .email)
            var population = 0
            for size in sizes {
                let perWriter = (size - population) / 32
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for writer in 0..<32 {
                        let base = population + writer * perWriter
                        group.addTask {
                            for index in 0..<perWriter {
                                let address = try SubjectIdentifier(kind: .email, raw: "a\(base + index)@bench.example")
                                let id = try await vault.createSubject(
                                    NewSubject(identifiers: [address], categories: ["customer"]), actor: "bench", at: Date())
                                if index % 2 == 0 {
                                    _ = try await vault.record(
                                        [
                                            ConsentEvent(
                                                holder: .subject(id), scope: ConsentScope(purpose: "newsletter"), action: .granted,
                                                mechanism: "opt_in_checkbox",
                                                noticeVersion: "bench", wordingHash: String(repeating: "a", count: 64), recordedAt: Date())
                                        ], actor: "bench", at: Date())
                                }
                                if index % 10 == 0 { try await vault.suppress(address, reason: .unsubscribed, actor: "bench", at: Date()) }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                population += perWriter * 32
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
