import ArgumentParser
import Foundation
import PledgeCore
import PledgeStore

/// `pledge retention`: what the declared retention periods remove, and when (issue 29 §1; C36).
struct Retention: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what retention would remove, or run the sweep now.", subcommands: [Plan.self, Run.self])

    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what the retention sweep would remove by a day, what holds keep, and what has no period.",
            discussion: "Counts only. Asks the store the same questions the sweep asks, so what it shows is what would go.")
        @OptionGroup var storage: StorageOptions
        @OptionGroup var master: MasterKeyOptions
        @Option(help: "The declaration file (pledge.yaml).")
        var declaration: String
        @Option(help: "The day to plan for, YYYY-MM-DD (UTC, end of the day); default now.")
        var at: String?

        func run() async throws {
            let schedule = RetentionSchedule(try DeclarationFile.load(declaration))
            var end = Date()
            if let at {
                guard let day = CalendarDate(at) else { throw ValidationError("'\(at)' is not a day: give YYYY-MM-DD.") }
                end = day.startOfDayUTC.addingTimeInterval(86_400 - 0.000_001)
            }
            let instant = end
            let (key, _) = try master.load(createIfMissing: false)
            try await storage.withVault(master: key) { vault in
                print(Self.text(try await RetentionSweep(vault: vault).plan(schedule, at: instant)), terminator: "")
            }
        }

        static func text(_ plan: RetentionPlan) -> String {
            var out = "Retention plan at \(plan.at.formatted(.iso8601)): \(plan.due) items would go.\n"
            // Every purpose is listed; a rule only where interaction records name it.
            for line in plan.lines where line.kind != .interactions || line.due + line.held > 0 {
                let held = line.held > 0 ? ", \(line.held) held" : ""
                out += "  \(line.kind.rawValue) \(line.name): \(line.due) due\(held) (\(line.howLong), then \(line.action.rawValue))\n"
            }
            for (purpose, values) in plan.unscheduled.sorted(by: { $0.key < $1.key }) {
                out += "  values \(purpose): no period declared, \(values) kept until one is\n"
            }
            for hold in plan.holds {
                out +=
                    "  hold \(hold.id.lowercasedString) on \(hold.scope.rawValue) \(hold.target) since \(CalendarDate(utc: hold.placedAt)): \(hold.reason)\n"
            }
            if plan.flaggedSubjects > 0 { out += "  \(plan.flaggedSubjects) people under the legal-hold flag\n" }
            return out
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the retention sweep now, as the server does every hour.",
            discussion: "Removes what has outlived its period in small batches and audits the run with its counts.")
        @OptionGroup var storage: StorageOptions
        @OptionGroup var master: MasterKeyOptions
        @Option(help: "The declaration file (pledge.yaml).")
        var declaration: String

        func run() async throws {
            let schedule = RetentionSchedule(try DeclarationFile.load(declaration))
            let (key, _) = try master.load(createIfMissing: false)
            try await storage.withVault(master: key) { vault in
                let run = try await RetentionSweep(vault: vault).run(schedule, at: Date(), actor: CommandActor.current)
                print("retention sweep: \(run.total) items removed, \(run.subjectsErased) people erased (\(run.summary))")
            }
        }
    }
}
