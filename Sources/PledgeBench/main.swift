import Foundation
import Logging
import PledgeCore
import PledgeStore

// Speed figures for the foundation. They are printed, never asserted; run a release build:
//   swift run -c release pledge-bench [examples/compliant.yaml]
// Issue 3's targets: gate decisions in process, durable consent writes with 32 concurrent
// writers (SQLite, and PostgreSQL when PLEDGE_BENCH_POSTGRES_URL is set), memory at
// PLEDGE_BENCH_SUBJECTS subjects (default 1,000,000; below 64 skips it). HTTP figures: bench/http.sh (wrk).
// Issue 4's: page views counted in process, and the 30-day report over PLEDGE_BENCH_EVENTS page
// views (default 10,000,000; below 1,000 skips it) on SQLite, and PostgreSQL when set.
// Issue 5's: access export of a subject with 10,000 records and erasure, at store sizes
// PLEDGE_BENCH_REQUEST_SIZES (default 10000,100000,1000000; empty skips it), each timed
// PLEDGE_BENCH_EXPORTS times (default 15).

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
await measure("lint (L01–L42)") { _ = Linter(today: today).lint(declaration) }
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
    try await measure("statement round trip (SQLite, SELECT 1)") { try await database.sql.raw("SELECT 1").run() }
    try await measure("notice in force at a date (SQLite, one task)") { _ = try await notices.inForce(at: now) }
    try await measure("publish unchanged declaration (SQLite)") { _ = try await registry.publish(yaml: yaml, strict: false) }
}

// MARK: Issue 3: the processing gate, in process, on one core

let gate = ProcessingGate(declaration)
let now = Date()
let subjectState = SubjectState(
    categories: ["customer"],
    consents: ConsentState(events: [
        ConsentEvent(
            holder: .visitor("bench"), scope: ConsentScope(purpose: "newsletter"), action: .granted, mechanism: "opt_in_checkbox",
            noticeVersion: "1", wordingHash: "", recordedAt: now)
    ]))
let requests = [
    DecisionRequest(purpose: "service", categories: ["user.name", "user.account.contact.email"]),
    DecisionRequest(purpose: "newsletter", categories: ["user.contact.email"], recipient: "mailer"),
    DecisionRequest(purpose: "billing", categories: ["user.account.payment"], recipient: "payments"),
    DecisionRequest(purpose: "statistics", categories: ["user.device.ip_address"]),
]
do {
    var allowed = 0
    let rounds = 2_000_000
    let start = DispatchTime.now().uptimeNanoseconds
    for index in 0..<rounds where gate.decide(requests[index & 3], for: subjectState, at: now).isAllowed { allowed += 1 }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    print(
        "gate decisions in process (one core)".padding(toLength: 46, withPad: " ", startingAt: 0)
            + String(
                format: "%12.0f /s  %10.3f µs each  (%d allowed of %d)", Double(rounds) / seconds, seconds * 1e6 / Double(rounds), allowed, rounds))
}

// MARK: Issue 3: durable consent writes, 32 concurrent writers, group commit

/// Resident memory of this process in MiB (Linux /proc).
@Sendable func residentMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
        let kb = Double(line.split(separator: " ").dropFirst().first ?? "")
    else { return 0 }
    return kb / 1024
}

/// Runs `body` on an empty, migrated store: on PostgreSQL the schema a run before left is reverted first.
func withFreshDatabase(_ configuration: StoreConfiguration, _ body: (PledgeDatabase) async throws -> Void) async throws {
    try await PledgeDatabase.with(
        configuration, logger: logger,
        prepare: { database in
            if case .postgres = configuration { try await database.revertAllMigrations() }
            try await database.migrate()
        }, body)
}

func consentWrites(_ configuration: StoreConfiguration, label: String, seconds: Double = 5, writers: Int = 32) async throws {
    try await withFreshDatabase(configuration) { database in
        let keys = try await VaultKeys.load(database, master: .generate())
        try await Journal.running(on: database, logger: logger, chainKey: keys.auditChain) { journal in
            let vault = PersonalDataVault(database: database, journal: journal, keys: keys)
            let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
            let start = DispatchTime.now().uptimeNanoseconds
            let acknowledged = try await withThrowingTaskGroup(of: Int.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        var count = 0
                        while DispatchTime.now().uptimeNanoseconds < deadline {
                            let event = ConsentEvent(
                                holder: .visitor("w\(writer)-\(count)"), scope: ConsentScope(purpose: "newsletter"), action: .granted,
                                mechanism: "banner", noticeVersion: "2026-10", wordingHash: String(repeating: "c", count: 64), recordedAt: Date())
                            try await vault.record([event], actor: "bench", at: Date())
                            count += 1
                        }
                        return count
                    }
                }
                return try await group.reduce(0, +)
            }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let stored = try await vault.consentEventCount()
            print(
                "durable consent writes, \(writers) writers (\(label))".padding(toLength: 46, withPad: " ", startingAt: 0)
                    + String(format: "%12.0f /s  (%d acknowledged, %d stored)", Double(acknowledged) / elapsed, acknowledged, stored))
        }
    }
}

try await consentWrites(.sqlite(path: directory.appendingPathComponent("consent.sqlite").path), label: "SQLite")
if let url = ProcessInfo.processInfo.environment["PLEDGE_BENCH_POSTGRES_URL"], !url.isEmpty {
    try await consentWrites(.postgres(url: url), label: "PostgreSQL")
}

// MARK: Issue 3: memory at a million subjects

let subjects = Int(ProcessInfo.processInfo.environment["PLEDGE_BENCH_SUBJECTS"] ?? "") ?? 1_000_000
if subjects >= 64 {
    try await PledgeDatabase.with(.sqlite(path: directory.appendingPathComponent("subjects.sqlite").path), logger: logger) { database in
        let keys = try await VaultKeys.load(database, master: .generate())
        try await Journal.running(on: database, logger: logger, chainKey: keys.auditChain) { journal in
            let vault = PersonalDataVault(
                database: database, journal: journal, keys: keys,
                cacheCapacity: subjects)
            let before = residentMiB()
            let start = DispatchTime.now().uptimeNanoseconds
            let perWriter = subjects / 64
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<64 {
                    group.addTask {
                        for index in 0..<perWriter {
                            let email = try SubjectIdentifier(kind: .email, raw: "s\(writer)-\(index)@bench.example")
                            _ = try await vault.createSubject(NewSubject(identifiers: [email], categories: ["customer"]), actor: "bench", at: Date())
                        }
                    }
                }
                try await group.waitForAll()
            }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let after = residentMiB()
            let file =
                (try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("subjects.sqlite").path)[.size] as? Int) ?? 0
            print(
                String(
                    format: "subjects created (SQLite, 64 writers)            %12.0f /s  (%d in %.1f s)", Double(perWriter * 64) / elapsed,
                    perWriter * 64, elapsed))
            print(
                String(
                    format:
                        "memory with %d subjects' gate states cached: %.0f MiB resident (%.0f MiB before; %.0f bytes per subject); SQLite file %.0f MiB",
                    perWriter * 64, after, before, (after - before) * 1_048_576 / Double(perWriter * 64), Double(file) / 1_048_576))
        }
    }
}
// MARK: Issue 4: cookieless statistics

/// Page views spread over the last 30 days, counted by the tally and written as roll-ups hour by
/// hour, as the collector does; then the dashboard's 30-day and 2-day reports, timed.
func statistics(_ configuration: StoreConfiguration, label: String, events: Int) async throws {
    try await withFreshDatabase(configuration) { database in
        let store = TrafficStore(database: database)
        let agents =
            (0..<40).map { "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/\(100 + $0).0 Safari/537.36" }
            + (0..<10).map { "Mozilla/5.0 (iPhone; CPU iPhone OS 17_\($0) like Mac OS X) Version/17.\($0) Mobile Safari/604.1" }
        // A pool of distinct page views: 500 pages, 50 referrers, 20 campaigns, the agents above.
        var random = SystemRandomNumberGenerator()
        let pool: [PageView] = try (0..<5_000).map { index in
            try PageViewReduction.reduce(
                PageViewReport(
                    site: "www.example.org", path: "/section-\(index % 12)/page-\(index % 500)",
                    referrer: index % 3 == 0 ? nil : "https://referrer-\(index % 50).example/", screenWidth: [390, 768, 1280, 1920][index % 4],
                    utmCampaign: index % 5 == 0 ? "campaign-\(index % 20)" : nil), userAgent: agents[index % agents.count], sites: nil)
        }
        let hours = 30 * 24
        let perHour = events / hours
        let end = TrafficTally.bucket(Date(), .hour) + 3_600
        let start = end - Int64(hours) * 3_600
        var tally = TrafficTally()
        var countSeconds = 0.0, writeSeconds = 0.0
        for hour in 0..<hours {
            let bucket = start + Int64(hour) * 3_600
            let t0 = DispatchTime.now().uptimeNanoseconds
            for event in 0..<perHour {
                // About 40,000 visitors a day; most see a few pages.
                let visitor = UInt64(bucket / 86_400) << 32 | UInt64.random(in: 0..<40_000, using: &random)
                tally.count(
                    pool[Int.random(in: 0..<pool.count, using: &random)], visitor: visitor,
                    at: Date(timeIntervalSince1970: TimeInterval(bucket) + TimeInterval(event * 3_600 / perHour)))
            }
            let t1 = DispatchTime.now().uptimeNanoseconds
            try await store.write(tally.drain(at: Date(timeIntervalSince1970: TimeInterval(bucket + 3_600))), views: [])
            writeSeconds += Double(DispatchTime.now().uptimeNanoseconds - t1) / 1e9
            countSeconds += Double(t1 - t0) / 1e9
        }
        let rollups = try await database.sql.raw("SELECT COUNT(*) AS n FROM traffic_rollups").first()!.decode(column: "n", as: Int.self)
        print(
            String(
                format: "page views counted in process (\(label))         %12.0f /s  (%d views, %d roll-up rows written in %.1f s)",
                Double(perHour * hours) / countSeconds, perHour * hours, rollups, writeSeconds))
        for (days, granularity) in [(30, TrafficTally.Granularity.day), (2, .hour)] {
            let to = TrafficTally.bucket(Date(), .day) + 86_400
            let from = to - Int64(days) * 86_400
            var timings: [Double] = []
            var report: TrafficReport?
            for _ in 0..<15 {
                let t0 = DispatchTime.now().uptimeNanoseconds
                report = try await store.report(granularity, site: nil, from: from, to: to, k: 5)
                timings.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            }
            timings.sort()
            print(
                String(format: "%d-day report over %d views (\(label))".padding(toLength: 46, withPad: " ", startingAt: 0), days, perHour * hours)
                    + String(
                        format: "median %6.1f ms, worst %6.1f ms  (%d views in the period)", timings[timings.count / 2], timings.last!,
                        report?.views ?? 0))
        }
    }
}

let events = Int(ProcessInfo.processInfo.environment["PLEDGE_BENCH_EVENTS"] ?? "") ?? 10_000_000
if events >= 1_000 {
    try await statistics(.sqlite(path: directory.appendingPathComponent("statistics.sqlite").path), label: "SQLite", events: events)
    if let url = ProcessInfo.processInfo.environment["PLEDGE_BENCH_POSTGRES_URL"], !url.isEmpty {
        try await statistics(.postgres(url: url), label: "PostgreSQL", events: events)
    }
}

// MARK: Issue 5: access export and erasure as the store grows

/// CPU time this process has used, user and system, in milliseconds: with the wall time it shows
/// how much of an export ran on more than one core.
@Sendable func processorTime() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1_000 + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1_000
}

/// A store grown to each size in `sizes`; at each, 15 access exports (records opened, the JSON,
/// report and CSV built, zipped) of one subject with 5,000 values and 5,000 interaction records,
/// and erasures of subjects with 10 values and 10 interactions, timed.
func requests(sizes: [Int]) async throws {
    try await PledgeDatabase.with(.sqlite(path: directory.appendingPathComponent("requests.sqlite").path), logger: logger) { database in
        let keys = try await VaultKeys.load(database, master: .generate())
        try await Journal.running(on: database, logger: logger, chainKey: keys.auditChain) { journal in
            let vault = PersonalDataVault(database: database, journal: journal, keys: keys, cacheCapacity: 1_000)
            let source = DataSource(id: "signup", name: "signup", kind: .direct)
            func subject(_ email: String, values: Int, interactions: Int) async throws -> UUID {
                let id = try await vault.createSubject(
                    NewSubject(identifiers: [try SubjectIdentifier(kind: .email, raw: email)], categories: ["customer"]), actor: "bench", at: Date())
                if values > 0 {
                    try await vault.collect(
                        CollectionPlan(
                            values: (0..<values).map {
                                CollectedValue(field: "field-\($0)", category: "user.name", purpose: "service", value: "value \($0) of \(email)")
                            },
                            source: source, art14DueBy: nil), for: id, gate: gate, noticeVersion: "bench", actor: "bench", at: Date())
                }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<interactions {
                        group.addTask {
                            _ = try await vault.addInteraction(
                                to: id, kind: "note", content: "Note \(index) about \(email)", retention: nil, actor: "bench", at: Date())
                        }
                    }
                    try await group.waitForAll()
                }
                return id
            }
            var population = 0
            for size in sizes {
                let perWriter = (size - population) / 64
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for writer in 0..<64 {
                        group.addTask {
                            for index in 0..<perWriter {
                                _ = try await vault.createSubject(
                                    NewSubject(
                                        identifiers: [try SubjectIdentifier(kind: .email, raw: "p\(size)-\(writer)-\(index)@bench.example")],
                                        categories: ["customer"]), actor: "bench", at: Date())
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                population += perWriter * 64
                // A new subject of the same shape at each size, so every size exports the same
                // amount: each export adds its own read to the next one's disclosure log.
                let target = try await subject("target-\(size)@bench.example", values: 5_000, interactions: 5_000)
                population += 1
                var exports: [Double] = []
                var reads: [Double] = []
                var processorTimes: [Double] = []
                var bytes = 0
                for _ in 0..<exportRuns {
                    let cpu0 = processorTime()
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    let records = try await vault.records(of: target, purpose: "request:bench", actor: "bench", at: Date())!
                    reads.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                    let export = SubjectExport(
                        records: records, request: UUID(), kind: .access, receivedAt: Date(), generatedAt: Date(), declaration: declaration,
                        withheld: [])
                    bytes = try await ExportPackage.zip(export).count
                    exports.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                    processorTimes.append(processorTime() - cpu0)
                }
                reads.sort()
                var erasures: [Double] = []
                for index in 0..<15 {
                    let doomed = try await subject("erase-\(size)-\(index)@bench.example", values: 10, interactions: 10)
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    _ = try await vault.erase(doomed, reason: "bench", keeping: .nothing, actor: "bench", at: Date())
                    erasures.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                }
                exports.sort(); erasures.sort(); processorTimes.sort()
                print(
                    String(
                        format:
                            "store of %8d subjects: access export (10,000 records, %.1f MB ZIP) median %6.1f ms (reading the vault %5.1f ms; CPU %5.1f ms on %d cores), worst %6.1f ms; erasure median %5.1f ms, worst %5.1f ms",
                        population, Double(bytes) / 1e6, exports[exports.count / 2], reads[reads.count / 2], processorTimes[processorTimes.count / 2],
                        ProcessInfo.processInfo.activeProcessorCount, exports.last!, erasures[erasures.count / 2], erasures.last!))
            }
        }
    }
}

/// Exports timed at each size (PLEDGE_BENCH_EXPORTS, default 15; more for a profiler).
let exportRuns = ProcessInfo.processInfo.environment["PLEDGE_BENCH_EXPORTS"].flatMap { Int($0) } ?? 15
let requestSizes = (ProcessInfo.processInfo.environment["PLEDGE_BENCH_REQUEST_SIZES"] ?? "10000,100000,1000000").split(separator: ",").compactMap {
    Int($0)
}
if !requestSizes.isEmpty { try await requests(sizes: requestSizes) }
// Issue 28: a campaign's audience at PLEDGE_BENCH_AUDIENCE_SIZES subjects (default 100000,1000000; empty skips it).
let audienceSizes = (ProcessInfo.processInfo.environment["PLEDGE_BENCH_AUDIENCE_SIZES"] ?? "100000,1000000").split(separator: ",").compactMap {
    Int($0)
}
if !audienceSizes.isEmpty { try await audience(sizes: audienceSizes, declaration: declaration) }
// Issue 29: the retention sweep and a breach's scope over PLEDGE_BENCH_RETENTION_SIZE subjects (default 1000000; 0 skips it).
let retentionSize = ProcessInfo.processInfo.environment["PLEDGE_BENCH_RETENTION_SIZE"].flatMap { Int($0) } ?? 1_000_000
if retentionSize > 0 { try await retention(size: retentionSize, declaration: declaration) }
// Issue 30: access and erasure in the organisation's own database, PLEDGE_BENCH_SYSTEM_CUSTOMERS customers (default 100000; 0 skips it).
let systemCustomers = ProcessInfo.processInfo.environment["PLEDGE_BENCH_SYSTEM_CUSTOMERS"].flatMap { Int($0) } ?? 100_000
if systemCustomers > 0 { try await systems(customers: systemCustomers) }
// PLEDGE_BENCH_KEEP=1 leaves the stores for a look with sqlite3 or perf.
if ProcessInfo.processInfo.environment["PLEDGE_BENCH_KEEP"] == "1" {
    print("stores kept in \(directory.path)")
} else {
    try? FileManager.default.removeItem(at: directory)
}
