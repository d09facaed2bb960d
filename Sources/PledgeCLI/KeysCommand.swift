import ArgumentParser
import Foundation
import Logging
import PledgeCore
import PledgeStore

/// `pledge keys`: API keys with roles (issue 3 §7).
struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, list and revoke API keys.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key and print its secret once.")

        @Option(help: "A unique name (letters, digits, - _ .); the audit trail records actions as key:NAME.")
        var name: String
        @Option(help: "admin, dpo, support, marketing, analyst or processor:RECIPIENT.")
        var role: String
        @Option(help: "Comma-separated purpose ids the key is limited to.")
        var purposes: String?
        @OptionGroup var storage: StorageOptions
        @OptionGroup var masterKey: MasterKeyOptions

        func validate() throws {
            guard Role(role) != nil else { throw ValidationError("--role must be one of \(Role.names.joined(separator: ", ")).") }
        }

        func run() async throws {
            let scoped = purposes.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            let (master, note) = try masterKey.load(createIfMissing: true)
            if let note { FileHandle.standardError.write(Data((note + "\n").utf8)) }
            try await storage.withJournal(master: master) { _, journal, keys in
                do {
                    let (key, token) = try await keys.create(name: name, role: Role(role)!, purposes: scoped, actor: CommandActor.current, at: Date())
                    print(token)
                    FileHandle.standardError.write(Data("Created key '\(key.name)' (\(key.role)). The secret above is shown only now.\n".utf8))
                } catch let error as APIKeyError {
                    throw ValidationError(error.description)
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (never their secrets).")
        @OptionGroup var storage: StorageOptions
        @OptionGroup var masterKey: MasterKeyOptions

        func run() async throws {
            try await storage.withJournal(master: try masterKey.load(createIfMissing: false).0) { _, _, keys in
                let formatter = ISO8601DateFormatter()
                for key in try await keys.all() {
                    let status = key.revokedAt.map { "revoked \(formatter.string(from: $0))" } ?? "active"
                    print(
                        "\(key.name)\t\(key.role)\t\(key.purposes?.joined(separator: ",") ?? "all purposes")\tcreated \(formatter.string(from: key.createdAt))\t\(status)"
                    )
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key; a running server stops accepting it within seconds.")
        @Option(help: "The key's name.")
        var name: String
        @OptionGroup var storage: StorageOptions
        @OptionGroup var masterKey: MasterKeyOptions

        func run() async throws {
            try await storage.withJournal(master: try masterKey.load(createIfMissing: false).0) { _, _, keys in
                do {
                    try await keys.revoke(name: name, actor: CommandActor.current, at: Date())
                    print("Revoked '\(name)'.")
                } catch let error as APIKeyError {
                    throw ValidationError(error.description)
                }
            }
        }
    }
}
