import Foundation
import SQLKit

/// Backups of a SQLite store (issue 27 §5). PostgreSQL is backed up with `pg_dump` (README); either
/// way the erasure ledger (`ErasureLedger`) stays outside the backup, so that a restore is followed by
/// every erasure made since.
extension PledgeDatabase {
    /// Writes a consistent copy of the SQLite store to `path` while it runs (`VACUUM INTO`): a new
    /// file, private to the user from the start, that must not exist yet.
    public func backUp(to path: String) async throws {
        guard !isPostgres else { throw StoreError.invalidConfiguration(Self.postgresBackup) }
        try PrivateFiles.create(URL(fileURLWithPath: path), contents: Data())
        do {
            try await sql.raw("VACUUM INTO \(bind: path)").run()
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    /// How PostgreSQL is backed up and restored instead.
    public static let postgresBackup =
        "On PostgreSQL back up with pg_dump (pg_dump --format=custom --file FILE URL) and restore with pg_restore; then run `pledge restore` without --from to erase again everyone the erasure ledger names."

    /// Puts the SQLite backup at `backup` in place of the store at `database` (stop the server first):
    /// copied beside it, made private, then renamed over it, with the old write-ahead log removed so
    /// that none of it is replayed into the backup.
    public static func restore(sqliteBackup backup: String, into database: String) throws {
        let header = try FileHandle(forReadingFrom: URL(fileURLWithPath: backup)).readData(ofLength: 16)
        guard header == Data("SQLite format 3\0".utf8) else {
            throw StoreError.invalidConfiguration("\(backup) is not a SQLite database (a backup made by `pledge backup`).")
        }
        let target = URL(fileURLWithPath: database)
        try PrivateFiles.makeDirectory(target.deletingLastPathComponent())
        let staging = target.deletingLastPathComponent().appendingPathComponent(".restore-\(UUID().uuidString)")
        try PrivateFiles.create(staging, contents: try Data(contentsOf: URL(fileURLWithPath: backup)))
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        guard rename(staging.path, database) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: staging)
            throw PrivateFileError(path: database, reason: reason)
        }
    }
}
