import FluentKit
import SQLKit

extension PledgeDatabase {
    /// Runs `body` holding PostgreSQL's session advisory lock `key`, taken on one pinned connection and
    /// released however `body` ends (and by PostgreSQL if the process dies, with its connection).
    /// `wait`: block until the lock is free; otherwise return nil at once when another session holds it.
    /// PostgreSQL only: the migration lock (`whileHoldingMigrationLock`) and job leases (`JobLease`) use it.
    func holdingAdvisoryLock<T: Sendable>(_ key: Int64, wait: Bool, _ body: @escaping @Sendable () async throws -> T) async throws -> T? {
        try await db.withConnection { connection in
            let pinned = connection as! any SQLDatabase
            if wait {
                try await pinned.raw("SELECT pg_advisory_lock(\(literal: key))").run()
            } else {
                let taken = try await pinned.raw("SELECT pg_try_advisory_lock(\(literal: key)) AS taken").first()?.decode(
                    column: "taken", as: Bool.self)
                guard taken == true else { return nil }
            }
            let result: T
            do {
                result = try await body()
            } catch {
                try? await pinned.raw("SELECT pg_advisory_unlock(\(literal: key))").run()
                throw error
            }
            try await pinned.raw("SELECT pg_advisory_unlock(\(literal: key))").run()
            return result
        }
    }
}
