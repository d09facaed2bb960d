import Crypto
import Foundation
import PledgeCore
import SQLKit

/// Erases a person from the organisation's own databases by each table's declared strategy
/// (issue 30 §4; C32; UK GDPR Art 17): one transaction per database, referrers before the tables
/// they refer to, then the access query again to verify that only what a hold keeps is left.
public struct SystemErasure: Sendable {
    let databases: SystemDatabases

    public init(databases: SystemDatabases) {
        self.databases = databases
    }

    /// What erasing `email` would touch, table by table, changing nothing: the dry run.
    public func plan(email: String?, in systems: [DataSystem]) async throws -> [SystemErasureOutcome] {
        try await run(email: email, in: systems, dryRun: true)
    }

    /// Erases `email` from every system; throws `system.erasure-incomplete` when the check after it
    /// still finds what should be gone (the erasure's transaction has committed by then).
    public func erase(email: String?, in systems: [DataSystem]) async throws -> [SystemErasureOutcome] {
        let outcomes = try await run(email: email, in: systems, dryRun: false)
        if let failed = outcomes.first(where: { !$0.verified }) {
            throw SystemRefusal.erasureIncomplete(system: failed.system, leftovers: failed.leftovers)
        }
        return outcomes
    }

    private func run(email: String?, in systems: [DataSystem], dryRun: Bool) async throws -> [SystemErasureOutcome] {
        let identities = SystemReachSQL.identities(email: email)
        guard !identities.isEmpty else { return [] }
        var outcomes: [SystemErasureOutcome] = []
        for system in systems {
            let graph = SystemGraph(system)
            let plan = SystemErasurePlan(system, graph: graph)
            let key = databases.hashKey
            let (done, kept): ([String], [String])
            do {
                let database = try databases.database(for: system)
                if !dryRun, SystemDialect(database) == .postgres,
                    let statement = PostgresErasureStatement(plan, graph: graph, identities: identities, hashKey: key)
                {
                    (done, kept) = try await statement.run(on: database)
                } else {
                    (done, kept) = try await databases.transaction(on: system) { sql in
                        let result = try await Self.carryOut(
                            plan, graph: graph, identities: identities, hashKey: key, listing: dryRun ? system : nil, on: sql)
                        if dryRun { throw DryRun(result: result) }
                        return result
                    }
                }
            } catch let dry as DryRun {
                (done, kept) = dry.result
            } catch {
                throw SystemRefusal.from(error, system: system.id)
            }
            let databases = databases
            let leftovers =
                dryRun
                ? []
                : plan.leftovers(
                    in: try await SystemAccess.find(identities, in: system, only: plan.changed) { () throws(SystemRefusal) in
                        try databases.database(for: system)
                    })
            outcomes.append(SystemErasureOutcome(system: system.id, systemName: system.name, done: done, kept: kept, leftovers: leftovers))
        }
        return outcomes
    }

    /// True when every path to `reach`'s rows is an identity in `field`.
    static func foundOnlyBy(_ field: String, in reach: SystemGraph.Reach?) -> Bool {
        guard let reach, !reach.paths.isEmpty else { return false }
        return reach.paths.allSatisfy { $0 == .identity(field: field, kind: .email) }
    }

    /// A dry run carries the plan out and rolls it back, so it reports the rows a real run touches.
    private struct DryRun: Error {
        let result: ([String], [String])
    }

    /// Runs `plan` inside the caller's transaction; what was done and what was kept, table by table.
    /// With `listing`, each line also names the keys of the rows it touches (the dry run shows every row).
    static func carryOut(
        _ plan: SystemErasurePlan, graph: SystemGraph, identities: [IdentityKind: [String]], hashKey: SymmetricKey, listing: DataSystem? = nil,
        on sql: any SQLDatabase
    ) async throws -> ([String], [String]) {
        let reach = try await SystemReachSQL(graph: graph, identities: identities).settled(keeping: plan.linksToKeep(graph), on: sql)
        let dialect = SystemDialect(sql)
        var report = SystemErasureReport()
        for step in plan.steps {
            let table = step.collection
            let condition = reach.condition(table)
            var rows = ""
            if let key = listing?.collection(table)?.primaryKey?.name {
                let keys = try await sql.raw("SELECT \(dialect.text(key)) AS k FROM \(ident: table) WHERE \(condition)").all()
                    .compactMap { try $0.decode(column: "k", as: String?.self) }
                if !keys.isEmpty { rows = " [\(key) \(keys.prefix(50).joined(separator: ", "))\(keys.count > 50 ? ", …" : "")]" }
            }
            var hashed: [String: [String]] = [:]
            if case .mask(let masks) = step.operation {
                for mask in masks where mask.strategy == .hash {
                    if let known = hashedValues(of: mask.field, in: table, graph: graph, identities: identities) {
                        hashed[mask.field] = known
                        continue
                    }
                    hashed[mask.field] = try await sql.raw(
                        "SELECT DISTINCT \(dialect.text(mask.field)) AS v FROM \(ident: table) WHERE \(condition) AND \(ident: mask.field) IS NOT NULL"
                    ).all().map { try $0.decode(column: "v", as: String.self) }.filter { !$0.hasPrefix(KeyedHash.prefix) }
                }
            }
            switch statement(for: step, where: condition, hashing: hashed, hashKey: hashKey, dialect: dialect) {
            case nil:
                continue
            case .count(let query):
                report.add(step, count: try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0, rows: rows)
            case .change(let query):
                report.add(step, count: try await dialect.changedRows(query, on: sql), rows: rows)
            }
        }
        try await reach.release(on: sql)
        return (report.done, report.kept)
    }

    /// The statement carrying out one step: a hold's rows counted, the rest deleted or masked; nil
    /// when a mask has nothing to do. `hashing` holds, per hashed field, the values to replace.
    static func statement(
        for step: SystemErasurePlan.Step, where condition: SQLQueryString, hashing: [String: [String]], hashKey: SymmetricKey,
        dialect: SystemDialect
    ) -> SystemErasureStatement? {
        let table = step.collection
        switch step.operation {
        case .keep:
            return .count("SELECT COUNT(*) AS n FROM \(ident: table) WHERE \(condition)")
        case .delete:
            return .change("DELETE FROM \(ident: table) WHERE \(condition)")
        case .mask(let masks):
            var assignments: [SQLQueryString] = []
            for mask in masks {
                switch mask.strategy {
                case .hash:
                    guard let values = hashing[mask.field], !values.isEmpty else { continue }
                    let cases = values.map { "WHEN \(bind: $0) THEN \(bind: KeyedHash.of($0, key: hashKey))" as SQLQueryString }
                    assignments.append(
                        "\(ident: mask.field) = CASE \(dialect.text(mask.field)) \(cases.joined(separator: " ")) ELSE \(ident: mask.field) END")
                case .rewrite:
                    assignments.append("\(ident: mask.field) = \(bind: mask.value ?? "erased")")
                default:
                    assignments.append("\(ident: mask.field) = NULL")
                }
            }
            guard !assignments.isEmpty else { return nil }
            return .change("UPDATE \(ident: table) SET \(assignments.joined(separator: ", ")) WHERE \(condition)")
        }
    }

    /// The values a hashed field holds for the person without reading them: the identities, when
    /// the rows are found by this very column; nil when they must be read.
    static func hashedValues(of field: String, in table: String, graph: SystemGraph, identities: [IdentityKind: [String]]) -> [String]? {
        foundOnlyBy(field, in: graph.reach(of: table)) ? identities.values.flatMap { $0 } : nil
    }
}

/// A step's SQL: counting what a hold keeps, or a DELETE or UPDATE whose changed rows are counted.
enum SystemErasureStatement {
    case count(SQLQueryString)
    case change(SQLQueryString)
}

/// What an erasure did and kept, a line per table, as the case records it.
struct SystemErasureReport {
    var done: [String] = []
    var kept: [String] = []

    mutating func add(_ step: SystemErasurePlan.Step, count: Int, rows: String = "") {
        guard count > 0 else { return }
        let table = step.collection
        switch step.operation {
        case .keep(let reason): kept.append("\(table): \(count) row(s) kept (\(reason))\(rows)")
        case .delete: done.append("\(table): \(count) row(s) deleted\(rows)")
        case .mask(let masks): done.append("\(table): \(count) row(s) masked (\(masks.map(\.field).joined(separator: ", ")))\(rows)")
        }
    }
}
