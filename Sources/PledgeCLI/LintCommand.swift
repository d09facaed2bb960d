import ArgumentParser
import Foundation
import PledgeCore

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a declaration's structure and its promises against UK law.",
        discussion: "Exit status: 0 clean (warnings and info allowed), 1 legal errors, 2 invalid file."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, sarif }

    @Argument(help: "The declaration file (pledge.yaml).")
    var file: String

    @Option(help: "Output format: text, json or sarif.")
    var format: Format = .text

    @Option(help: "Check as if today were this day (YYYY-MM-DD).")
    var today: String?

    func run() throws {
        let text = try DeclarationFile.read(file)
        guard let day = today.map({ CalendarDate($0) }) ?? DeclarationFile.today else {
            throw ValidationError("--today must be a date of the form YYYY-MM-DD.")
        }
        let report = LintReport.check(yaml: text, file: file, today: day)
        switch format {
        case .text: print(report.text(), terminator: "")
        case .json: print(report.json(), terminator: "")
        case .sarif: print(report.sarif(), terminator: "")
        }
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}
