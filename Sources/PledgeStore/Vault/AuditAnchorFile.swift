import Foundation
import PledgeCore

/// The audit trail's anchor (`AuditAnchor`) in a file outside the database, readable and writable
/// by this user only (issue 24 finding 7). It is replaced whole (written beside, then renamed), so
/// a crash leaves the old anchor or the new one, never half of one.
public struct AuditAnchorFile: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// The anchor, or nil when there is no file yet.
    public func read() throws -> AuditAnchor? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return try JSONDecoder().decode(AuditAnchor.self, from: try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw AuditAnchorFileError.unreadable(path: path, reason: "\(error)")
        }
    }

    /// Replaces the file with `anchor`.
    public func write(_ anchor: AuditAnchor) throws {
        let url = URL(fileURLWithPath: path)
        try PrivateFiles.makeDirectory(url.deletingLastPathComponent())
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString)")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try PrivateFiles.create(temporary, contents: try encoder.encode(anchor))
        guard rename(temporary.path, url.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw AuditAnchorFileError.unwritable(path: path, reason: String(cString: strerror(errno)))
        }
    }
}

/// The anchor file cannot be used.
public enum AuditAnchorFileError: Error, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case unwritable(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "The audit anchor \(path) cannot be read: \(reason)"
        case .unwritable(let path, let reason): "The audit anchor \(path) cannot be written: \(reason)"
        }
    }
}
