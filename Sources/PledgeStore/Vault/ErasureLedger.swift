import Crypto
import Foundation
import Logging
import PledgeCore
import SQLKit

/// Erasures recorded outside the database (issue 27 §5), so that restoring a backup taken before an
/// erasure does not bring the person back: the backup holds the wrapped subject key, so crypto-shredding
/// alone does not reach it. Each line is a keyed hash of an erased subject's id (HMAC-SHA256 under a key
/// derived from the master key, so the file names nobody) and the day; the file is append-only, 0600,
/// and synced before the erasure is reported done; `#audit` lines mark how far the audit trail has been
/// read, so a start reads only the entries since (checked by hash). At start, and by `pledge restore`, every subject the
/// ledger names is erased again before the server answers (UK GDPR Art 17(1); ICO: erasure and backups).
///
/// Full erasures only: a partial one (data kept under a statutory retention) leaves the subject on
/// file, restricted, and is re-applied by the request's case, not here.
public struct ErasureLedger: Sendable {
    public let path: String
    private let key: SymmetricKey

    public init(path: String, master: MasterKey) {
        self.path = path
        self.key = master.derivedKey(purpose: "pledge erasure ledger")
    }

    /// The ledger's line for `subject`.
    func token(_ subject: UUID) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(subject.lowercasedString.utf8), using: key)).hexString
    }

    /// Records that `subject` was erased; the line is on disk when this returns.
    public func record(_ subject: UUID, at instant: Date) throws {
        try append([token(subject)], at: instant)
    }

    /// Records that `subjects` were erased, with one write to disk for all of them.
    public func record(_ subjects: [UUID], at instant: Date) throws {
        try append(subjects.map(token), at: instant)
    }

    private func append(_ tokens: [String], at instant: Date) throws {
        guard !tokens.isEmpty else { return }
        let day = CalendarDate(utc: instant).description
        try append(line: tokens.map { "\($0)\t\(day)\n" }.joined())
    }

    private func append(line: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try PrivateFiles.makeDirectory(directory)
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw PrivateFileError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        let bytes = Data(line.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else { throw PrivateFileError(path: path, reason: String(cString: strerror(errno))) }
    }

    /// How far the audit trail has been read for erasures: its entry `sequence`, whose hash was `hash`.
    struct Checkpoint: Equatable {
        var sequence: Int64
        var hash: String

        /// The ledger's line: a `#` line, which no token starts with.
        var line: String { "#audit\t\(sequence)\t\(hash)\n" }

        init(sequence: Int64, hash: String) {
            self.sequence = sequence
            self.hash = hash
        }

        init?(line: Substring) {
            let fields = line.split(separator: "\t")
            guard fields.count == 3, fields[0] == "#audit", let sequence = Int64(fields[1]) else { return nil }
            self.init(sequence: sequence, hash: String(fields[2]))
        }
    }

    /// Every token recorded and the last checkpoint; none when there is no file yet.
    func contents() throws -> (tokens: Set<String>, checkpoint: Checkpoint?) {
        guard FileManager.default.fileExists(atPath: path) else { return ([], nil) }
        var tokens = Set<String>(), checkpoint: Checkpoint?
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            if line.hasPrefix("#") {
                checkpoint = Checkpoint(line: line) ?? checkpoint
            } else if let token = line.split(separator: "\t").first {
                tokens.insert(String(token))
            }
        }
        return (tokens, checkpoint)
    }

    /// Where to start reading the audit trail for erasures: after the checkpoint when the trail still
    /// holds that entry with that hash; from the start when it does not (a restored backup older than
    /// the checkpoint, whose later entries are new ones under reused numbers).
    private func start(after checkpoint: Checkpoint?, in sql: any SQLDatabase) async throws -> Int64 {
        guard let checkpoint else { return 0 }
        let row = try await sql.raw("SELECT hash FROM audit_entries WHERE seq = \(bind: checkpoint.sequence)").first()
        return try row?.decode(column: "hash", as: String.self) == checkpoint.hash ? checkpoint.sequence : 0
    }

    /// What `reapply` did.
    public struct Reapplied: Sendable, Equatable {
        /// Subjects the ledger named that were on file again (a restored backup), and are erased again.
        public var erased: Int
        /// Erasures the audit trail records that the ledger lacked (written between an erasure and a crash), now added.
        public var recorded: Int
    }

    /// Brings the ledger and the database together: adds the erasures the audit trail records, then
    /// erases again every subject on file that the ledger names. Run before the server answers.
    @discardableResult
    public func reapply(on vault: PersonalDataVault, at instant: Date, logger: Logger) async throws -> Reapplied {
        var (known, checkpoint) = try contents()
        let previous = checkpoint
        let from = try await start(after: checkpoint, in: vault.sql)
        // The trail's head first, then the erasures up to it: an entry appended in between waits for the next start.
        if let head = try await vault.sql.raw("SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1").first() {
            checkpoint = Checkpoint(sequence: try head.decode(column: "seq", as: Int64.self), hash: try head.decode(column: "hash", as: String.self))
        }
        let audited = try await vault.sql.raw(
            """
            SELECT object FROM audit_entries WHERE action = 'subject.erase' AND seq > \(bind: from) AND seq <= \(bind: checkpoint?.sequence ?? 0)
            """
        ).all().compactMap { try UUID(canonical: String($0.decode(column: "object", as: String.self).dropFirst("subject:".count))) }.map(token)
        let missing = Set(audited).subtracting(known)
        try append(missing.sorted(), at: instant)
        known.formUnion(missing)
        var erased = 0
        for row in try await vault.sql.raw("SELECT id FROM subjects").all() {
            guard let id = UUID(canonical: try row.decode(column: "id", as: String.self)), known.contains(token(id)) else { continue }
            let reason = "erased before the backup this database was restored from"
            do {
                _ = try await vault.erase(id, reason: reason, keeping: .nothing, actor: "pledge", at: instant)
            } catch VaultRefusal.subjectNotFound {
                continue  // another node starting at the same moment erased them first
            } catch VaultRefusal.legalHold {
                // A hold in the backup was lifted before the erasure the ledger records; the erasure stands.
                try await vault.apply(.legalHold(false), to: id, actor: "pledge", at: instant)
                _ = try await vault.erase(id, reason: reason, keeping: .nothing, actor: "pledge", at: instant)
            }
            erased += 1
        }
        // Erasures just re-applied are entries after this checkpoint, read again next time, and already in the ledger.
        if let checkpoint, checkpoint != previous { try append(line: checkpoint.line) }
        if erased > 0 || !missing.isEmpty {
            logger.notice("Erasure ledger re-applied", metadata: ["erased-again": "\(erased)", "recorded": "\(missing.count)"])
        }
        return Reapplied(erased: erased, recorded: missing.count)
    }
}
