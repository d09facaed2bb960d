import Foundation
import PledgeTestSupport
import Testing

@testable import PledgeStore

/// The write-ahead log of a SQLite store is copied back into the database off the journal's writer
/// (issue 29 §1: a retention sweep holds the writer no more than 50 ms a unit; the writer's own
/// checkpoints were its longest units).
extension StoreTests {
    @Suite("WAL checkpointer")
    struct WALCheckpointerTests {
        @Test("issue 29 §1: journal writes are checkpointed by the checkpointer's own connection; the writer checkpoints only as a backstop")
        func checkpointsOffTheWriter() async throws {
            let sqlite = try #require(StoreBackend.all.first { $0.name == "SQLite" })
            try await VaultFixture.with(sqlite) { fixture in
                let writer = try #require(fixture.database.writer)
                // Both of the writer's connections leave checkpoints to the checkpointer below 64 MiB of log.
                let threshold = try await withTaskExecutorPreference(writer.executor) {
                    try await writer.withHandle { handle in
                        let statement = try handle.statement("PRAGMA wal_autocheckpoint")
                        _ = try statement.step()
                        defer { while (try? statement.step()) == true {} }
                        return statement.int64(at: 0)
                    }
                }
                #expect(threshold == Int64(SQLiteWriter.checkpointBackstopPages))
                let driver = try await writer.withConnection { connection in
                    try await connection.query("PRAGMA wal_autocheckpoint", []).first?.column("wal_autocheckpoint")?.integer
                }
                #expect(driver == SQLiteWriter.checkpointBackstopPages)

                for _ in 0..<40 { _ = try await fixture.newSubject() }
                // Within a few of its passes the checkpointer has copied every page the writes logged (the
                // wait is long only for a machine busy with the rest of the suite).
                var progress = writer.checkpointer.progress
                for _ in 0..<600 where progress.copiedPages == 0 || progress.copiedPages < progress.logPages {
                    try await Task.sleep(for: .milliseconds(50))
                    progress = writer.checkpointer.progress
                }
                #expect(progress.copiedPages > 0 && progress.copiedPages == progress.logPages, "\(progress)")
            }
        }
    }
}
