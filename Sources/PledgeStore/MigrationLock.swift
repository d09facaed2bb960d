import FluentKit
import Foundation
import SQLKit

extension PledgeDatabase {
    /// Runs `body` while no other node migrates the same database (issue 27 §1, §6): on PostgreSQL a
    /// session advisory lock on one pinned connection; on SQLite an exclusive `flock` on a file beside
    /// the database, since two processes may open one file. The others wait, then find nothing to do.
    func whileHoldingMigrationLock(_ body: @escaping @Sendable () async throws -> Void) async throws {
        if isPostgres {
            _ = try await holdingAdvisoryLock(Self.migrationLock, wait: true, body)
        } else if let path = writer?.path {
            let descriptor = open(path + ".migrate-lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                throw StoreError.unavailable("Cannot open the migration lock beside \(path): \(String(cString: strerror(errno)))")
            }
            defer { close(descriptor) }  // closing releases the lock
            while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                guard errno == EWOULDBLOCK || errno == EINTR else {
                    throw StoreError.unavailable("Cannot lock \(path).migrate-lock: \(String(cString: strerror(errno)))")
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            try await body()
        } else {
            try await body()
        }
    }

    /// A fixed key for the migration lock: "pledge migr".
    static let migrationLock: Int64 = 0x706C_6564_6D69
}
