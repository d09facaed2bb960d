import ArgumentParser
import Foundation
import PledgeCore
import PledgeStore

/// `pledge audit`: the hash-chained audit trail (C14).
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check the audit trail.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Check every entry's keyed hash and link, and that the trail still holds the entry its anchor file last saw; name the first altered entry.",
            discussion: "Needs the master key, which wraps the chain's key. Exit status: 0 intact, 1 altered."
        )
        @OptionGroup var storage: StorageOptions
        @OptionGroup var masterKey: MasterKeyOptions

        func run() async throws {
            let master = try masterKey.load(createIfMissing: false).0
            let anchorPath = try storage.auditAnchorPath()
            let anchor: AuditAnchor?
            do {
                anchor = try anchorPath.flatMap { try AuditAnchorFile(path: $0).read() }
            } catch let error as AuditAnchorFileError {
                throw ValidationError(error.description)
            }
            var intact = true
            try await storage.withStore { database in
                let keys = try await VaultKeys.load(database, master: master)
                let result = try await AuditTrail(database: database).verify(key: keys.auditChain, anchor: anchor)
                if let found = result.firstBreak {
                    print("audit trail ALTERED: \(found.description) (\(result.checked) entries checked)")
                } else if let problem = result.anchorProblem {
                    print("audit trail ALTERED: \(problem) (anchor \(anchorPath ?? "?"), \(result.checked) entries checked)")
                } else {
                    print("audit trail intact: \(result.checked) entries, last hash \(result.lastHash)")
                    if anchor == nil {
                        print("no anchor at \(anchorPath ?? "(none)"): entries deleted from the end would not be noticed; `pledge serve` writes one")
                    }
                }
                intact = result.isIntact
            }
            if !intact { throw ExitCode(1) }
        }
    }
}
