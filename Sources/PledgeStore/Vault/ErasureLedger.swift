import Crypto
import Foundation
import Logging
import PledgeCore
import SQLKit

/// Erasures recorded outside the database (issue 27 §5), so that restoring a backup taken before an
/// erasure does not bring the person back: the backup holds the wrapped subject key, so crypto-shredding
/// alone does not reach it. Each line is a keyed hash of an erased subject's id (HMAC-SHA256 under a key
/// derived from the master key, so the file names nobody) and the day; the file is append-only, 0600,
/// and synced before the erasure is reported done. At start, and by `pledge restore`, every subject the
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

    private func append(_ tokens: [String], at instant: Date) throws {
        guard !tokens.isEmpty else { return }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try PrivateFiles.makeDirectory(directory)
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw PrivateFileError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        let day = CalendarDate(utc: instant).description
        let bytes = Data(tokens.map { "\($0)\t\(day)\n" }.joined().utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else { throw PrivateFileError(path: path, reason: String(cString: strerror(errno))) }
    }

    /// Every token recorded; none when there is no file yet.
    func tokens() throws -> Set<String> {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return Set(text.split(separator: "\n").compactMap { $0.split(separator: "\t").first.map(String.init) })
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
        var known = try tokens()
        let audited = try await vault.sql.raw("SELECT object FROM audit_entries WHERE action = 'subject.erase'").all()
            .compactMap { try UUID(canonical: String($0.decode(column: "object", as: String.self).dropFirst("subject:".count))) }
            .map(token)
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
        if erased > 0 || !missing.isEmpty {
            logger.notice("Erasure ledger re-applied", metadata: ["erased-again": "\(erased)", "recorded": "\(missing.count)"])
        }
        return Reapplied(erased: erased, recorded: missing.count)
    }
}
