import Crypto
import Foundation

/// One node at a time for a periodic job (issue 27 §3): on PostgreSQL a session advisory lock named
/// after the job, tried on one pinned connection; a node that holds it runs the job, the others skip
/// this round. A node killed mid-job loses its connection and with it the lock, so the next round
/// runs on another node; jobs are written so that work cut short is redone, never done twice
/// (the outbox holds each message under its own lease; a reminder and its mark are one unit).
/// On SQLite, one process: the job just runs.
public struct JobLease: Sendable {
    let database: PledgeDatabase
    let name: String

    public init(database: PledgeDatabase, name: String) {
        self.database = database
        self.name = name
    }

    /// The lock's key: the first 8 bytes of SHA-256 of "pledge job NAME".
    var key: Int64 {
        SHA256.hash(data: Data("pledge job \(name)".utf8)).withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }
    }

    /// Runs `work` if no other node is running this job; says whether it ran.
    @discardableResult
    public func ifFree(_ work: @escaping @Sendable () async throws -> Void) async throws -> Bool {
        guard database.isPostgres else {
            try await work()
            return true
        }
        return try await database.holdingAdvisoryLock(key, wait: false) {
            try await work()
            return true
        } ?? false
    }
}
