import ArgumentParser
import Foundation
import PledgeCore
import PledgeStore

/// Where the master key comes from: `--master-key-file`, else `PLEDGE_MASTER_KEY`, else a key file
/// under the user's configuration directory, created on first use. Never inside the data
/// directory: a copy of `pledge-data/` alone must read nothing.
struct MasterKeyOptions: ParsableArguments {
    @Option(
        help:
            "File holding the master key (32 bytes as base64 or hex). Default: $PLEDGE_MASTER_KEY, else ~/.config/pledge/master.key, created on first start."
    )
    var masterKeyFile: String?

    static var defaultFile: URL {
        let environment = ProcessInfo.processInfo.environment
        let base =
            environment["XDG_CONFIG_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".config")
        return base.appendingPathComponent("pledge/master.key")
    }

    /// The key, and a note to log: that a new one was made, or that its file is readable by others.
    func load(createIfMissing: Bool) throws -> (MasterKey, note: String?) {
        do {
            if let masterKeyFile {
                return (try MasterKey(text: try String(contentsOfFile: masterKeyFile, encoding: .utf8)), Self.exposure(masterKeyFile))
            }
            if let text = ProcessInfo.processInfo.environment["PLEDGE_MASTER_KEY"], !text.isEmpty {
                return (try MasterKey(text: text), nil)
            }
            let file = Self.defaultFile
            if FileManager.default.fileExists(atPath: file.path) {
                return (try MasterKey(text: try String(contentsOf: file, encoding: .utf8)), Self.exposure(file.path))
            }
            guard createIfMissing else {
                throw ValidationError("No master key: give --master-key-file or PLEDGE_MASTER_KEY (no key file at \(file.path)).")
            }
            let key = MasterKey.generate()
            // Made private from the first byte (0600, O_EXCL), never made and then narrowed (issue 24 finding 8).
            do {
                try PrivateFiles.makeDirectory(file.deletingLastPathComponent())
                try PrivateFiles.create(file, contents: Data((key.base64 + "\n").utf8))
            } catch let error as PrivateFileError {
                throw ValidationError("Cannot write a new master key: \(error.description).")
            }
            return (
                key,
                "Created a new master key at \(file.path) (id \(key.id)). Back it up apart from the database: without it the personal data cannot be read."
            )
        } catch let error as VaultError {
            throw ValidationError(error.description)
        } catch let error as CocoaError {
            throw ValidationError("Cannot read the master key: \(error.localizedDescription)")
        }
    }
}

extension MasterKeyOptions {
    /// A warning when others than its owner may read the key file at `path`.
    static func exposure(_ path: String) -> String? {
        guard PrivateFiles.isReadableByOthers(path) else { return nil }
        return "The master key file \(path) can be read by other users of this machine: run `chmod 600 \(path)`."
    }
}

/// The actor the audit trail records for a command run by hand.
enum CommandActor {
    static var current: String { "cli:\(ProcessInfo.processInfo.environment["USER"] ?? "unknown")" }
}
