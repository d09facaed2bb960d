import ArgumentParser
import Foundation
import PledgeCore
import PledgeStore

/// `pledge audit`: the hash-chained audit trail (C14).
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check the audit trail.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every entry's hash and link; name the first altered entry.",
            discussion: "Exit status: 0 intact, 1 altered."
        )
        @OptionGroup var storage: StorageOptions

        func run() async throws {
            var intact = true
            try await storage.withStore { database in
                let result = try await AuditTrail(database: database).verify()
                if let found = result.firstBreak {
                    print("audit trail ALTERED: \(found.description) (\(result.checked) entries checked)")
                    intact = false
                } else {
                    print("audit trail intact: \(result.checked) entries, last hash \(result.lastHash)")
                }
            }
            if !intact { throw ExitCode(1) }
        }
    }
}
