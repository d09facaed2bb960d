import ArgumentParser
import Foundation
import PledgeCore
import PledgeStore

/// `pledge vault`: the vault's keys.
struct Vault: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage the vault's master key.", subcommands: [RotateKey.self, NewKey.self])

    struct NewKey: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a new random master key (base64) for a key file or PLEDGE_MASTER_KEY.")
        func run() { print(MasterKey.generate().base64) }
    }

    struct RotateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-wrap every data key under a new master key (values are not re-encrypted).",
            discussion: "Stop the server first; start it again with the new key."
        )
        @OptionGroup var storage: StorageOptions
        @OptionGroup var current: MasterKeyOptions
        @Option(help: "File holding the new master key.")
        var newKeyFile: String

        func run() async throws {
            let (old, _) = try current.load(createIfMissing: false)
            let new: MasterKey
            do {
                new = try MasterKey(text: try String(contentsOfFile: newKeyFile, encoding: .utf8))
            } catch let error as VaultError {
                throw ValidationError(error.description)
            }
            try await storage.withJournal(master: old) { keys, journal, _ in
                let moved = try await MasterKeyRotation.rotate(keys, to: new, journal: journal, actor: CommandActor.current, at: Date())
                print("Re-wrapped \(moved) keys from master key \(old.id) to \(new.id).")
            }
        }
    }
}
