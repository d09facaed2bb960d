import Foundation
import Logging
import PledgeCore
import PledgeStore

// Speed figures for the foundation. They are printed, never asserted; run a release build:
//   swift run -c release pledge-bench [examples/compliant.yaml]
// The hot-path targets of later issues (gate decisions, consent writes, collection) join here.

let path = CommandLine.arguments.dropFirst().first ?? "examples/compliant.yaml"
guard let yaml = try? String(contentsOfFile: path, encoding: .utf8) else {
    FileHandle.standardError.write(Data("pledge-bench: cannot read \(path)\n".utf8))
    exit(2)
}

/// Runs `body` repeatedly for about `seconds` and prints operations per second.
@MainActor
func measure(_ name: String, seconds: Double = 2, _ body: () async throws -> Void) async rethrows {
    try await body()  // warm up
    var count = 0
    let start = DispatchTime.now().uptimeNanoseconds
    var elapsed = 0.0
    while elapsed < seconds {
        for _ in 0..<10 { try await body() }
        count += 10
        elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
    let rate = Double(count) / elapsed
    print(name.padding(toLength: 46, withPad: " ", startingAt: 0) + String(format: "%12.0f /s  %10.1f µs each  (%d runs)", rate, 1e6 / rate, count))
}

print("pledge-bench: \(path) (\(yaml.utf8.count) bytes)")
let loaded = DeclarationLoader.load(yaml: yaml)
guard let declaration = loaded.declaration else {
    print(LintReport(file: path, findings: loaded.findings).text())
    exit(2)
}
let today = CalendarDate(utc: Date())
await measure("load (YAML + schema + references)") { _ = DeclarationLoader.load(yaml: yaml) }
await measure("lint (L01–L35)") { _ = Linter(today: today).lint(declaration) }
await measure("render notice (Markdown)") { _ = NoticeWriter.markdown(NoticeComposer(declaration: declaration).compose()) }
await measure("render notice (HTML)") { _ = NoticeWriter.htmlFragment(NoticeComposer(declaration: declaration).compose()) }
await measure("render record of processing (CSV)") { _ = RecordOfProcessing(declaration: declaration).csv() }

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pledge-bench-\(UUID().uuidString)")
var logger = Logger(label: "pledge.bench")
logger.logLevel = .error
try await PledgeDatabase.with(.sqlite(path: directory.appendingPathComponent("bench.sqlite").path), logger: logger) { database in
    let registry = DeclarationRegistry(notices: FluentNoticeRepository(database: database))
    try await registry.publish(yaml: yaml, strict: false)
    let notices = FluentNoticeRepository(database: database)
    let now = Date()
    try await measure("notice in force at a date (SQLite, one task)") { _ = try await notices.inForce(at: now) }
    try await measure("publish unchanged declaration (SQLite)") { _ = try await registry.publish(yaml: yaml, strict: false) }
}
try? FileManager.default.removeItem(at: directory)
