import Foundation
import PledgeCore
import SQLKit

/// Writes staff's corrections into the organisation's own databases for a rectification request
/// (issue 30 §4; C31; UK GDPR Art 16): every reached row's fields of a corrected category, in one
/// transaction per database. The values are never logged; what each system did is counted.
public struct SystemRectification: Sendable {
    let databases: SystemDatabases

    public init(databases: SystemDatabases) {
        self.databases = databases
    }

    /// Applies `corrections` for `email` in every database system; per system, what it changed.
    public func correct(email: String?, with corrections: [SystemCorrection], in systems: [DataSystem]) async throws -> [SystemChange] {
        let identities = SystemReachSQL.identities(email: email)
        guard !identities.isEmpty, !corrections.isEmpty else { return [] }
        var changes: [SystemChange] = []
        for system in systems where system.kind.isDatabase {
            let graph = SystemGraph(system)
            let plan = SystemRectificationPlan(system, graph: graph, corrections: corrections)
            guard !plan.steps.isEmpty else { continue }
            do {
                let done = try await databases.transaction(on: system) { sql in
                    // A corrected identity is written last, but every link is settled first all the same.
                    let reach = try await SystemReachSQL(graph: graph, identities: identities).settled(keeping: graph.linkSources, on: sql)
                    var done: [String] = []
                    let dialect = SystemDialect(sql)
                    for step in plan.steps {
                        let assignments = step.assignments.map { "\(ident: $0.field) = \(bind: $0.value)" as SQLQueryString }
                        let count = try await dialect.changedRows(
                            "UPDATE \(ident: step.collection) SET \(assignments.joined(separator: ", ")) WHERE \(reach.condition(step.collection))",
                            on: sql)
                        if count > 0 {
                            done.append("\(step.collection): \(count) row(s) corrected (\(step.assignments.map(\.field).joined(separator: ", ")))")
                        }
                    }
                    try await reach.release(on: sql)
                    return done
                }
                changes.append(SystemChange(system: system.id, systemName: system.name, done: done))
            } catch {
                throw SystemRefusal.from(error, system: system.id)
            }
        }
        return changes
    }
}

/// What one system did with a request's corrections.
public struct SystemChange: Sendable, Equatable {
    public var system: String
    public var systemName: String
    public var done: [String]
}
