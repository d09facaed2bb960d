import ArgumentParser
import Foundation
import PledgeCore

/// Where the master key comes from: `--master-key-file`, else `PLEDGE_MASTER_KEY`, else a key file
/// under the user's configuration directory, created on first use. Never inside the data
/// directory: a copy of `pledge-data/` alone must read nothing.
struct MasterKeyOptions: ParsableArguments {
    @Option(help: "File holding the master key (32 bytes as base64 or hex). Default: $PLEDGE_MASTER_KEY, else ~/.config/pledge/master.key, created on first start.")
    var masterKeyFile: String?

    static var defaultFile: URL {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CONFIG_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".config")
        return base.appendingPathComponent("pledge/master.key")
    }

    /// The key, and a note to log when a new one was made.
    func load(createIfMissing: Bool) throws -> (MasterKey, note: String?) {
        do {
            if let masterKeyFile {
                return (try MasterKey(text: try String(contentsOfFile: masterKeyFile, encoding: .utf8)), nil)
            }
            if let text = ProcessInfo.processInfo.environment["PLEDGE_MASTER_KEY"], !text.isEmpty {
                return (try MasterKey(text: text), nil)
            }
            let file = Self.defaultFile
            if FileManager.default.fileExists(atPath: file.path) {
                return (try MasterKey(text: try String(contentsOf: file, encoding: .utf8)), nil)
            }
            guard createIfMissing else {
                throw ValidationError("No master key: give --master-key-file or PLEDGE_MASTER_KEY (no key file at \(file.path)).")
            }
            let key = MasterKey.generate()
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            guard FileManager.default.createFile(atPath: file.path, contents: Data((key.base64 + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
                throw ValidationError("Cannot write a new master key to \(file.path).")
            }
            return (key, "Created a new master key at \(file.path) (id \(key.id)). Back it up apart from the database: without it the personal data cannot be read.")
        } catch let error as VaultError {
            throw ValidationError(error.description)
        } catch let error as CocoaError {
            throw ValidationError("Cannot read the master key: \(error.localizedDescription)")
        }
    }
}

/// The actor the audit trail records for a command run by hand.
enum CommandActor {
    static var current: String { "cli:\(ProcessInfo.processInfo.environment["USER"] ?? "unknown")" }
}
