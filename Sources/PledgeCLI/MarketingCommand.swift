import ArgumentParser
import Foundation
import PledgeCore
import PledgeStore

/// `pledge marketing`: lists marketing is checked against.
struct Marketing: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Lists marketing is checked against.", subcommands: [ImportCallBarring.self])

    struct ImportCallBarring: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-call-barring",
            abstract: "Replace a call-barring list (TPS, CTPS or your do-not-call list) with the numbers in a file.",
            discussion: """
                One number per line (or the first column of a CSV), UK numbers starting 0 or in E.164; blank lines are skipped. \
                The list is replaced whole, in one unit, and kept as keyed hashes. Live calls on a channel with tps_screening \
                can only be decided while the TPS and CTPS were imported within the last 28 days (PECR reg 21).
                """)
        @OptionGroup var storage: StorageOptions
        @OptionGroup var master: MasterKeyOptions
        @Option(help: "tps, ctps or do_not_call.")
        var list: String
        @Argument(help: "The file of numbers ('-' for standard input).")
        var file: String

        func run() async throws {
            guard let barring = CallBarring(rawValue: list) else {
                throw ValidationError("'\(list)' is not a list: tps, ctps or do_not_call.")
            }
            let text: String
            do {
                text =
                    file == "-"
                    ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
                    : try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ValidationError("Cannot read \(file): \(error.localizedDescription)")
            }
            let (key, _) = try master.load(createIfMissing: false)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
                String($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            try await storage.withVault(master: key) { vault in
                let result = try await vault.importCallBarring(barring, numbers: lines, actor: CommandActor.current, at: Date())
                print("\(barring.rawValue): \(result.numbers) numbers imported.")
                if result.rejectedCount > 0 {
                    let lines = result.rejected.map(String.init).joined(separator: ", ")
                    let what = result.rejectedCount == 1 ? "line is not a telephone number and was" : "lines are not telephone numbers and were"
                    let more = result.rejectedCount > result.rejected.count ? ", …" : ""
                    print("\(result.rejectedCount) \(what) skipped (line \(lines)\(more)).")
                }
            }
        }
    }
}
