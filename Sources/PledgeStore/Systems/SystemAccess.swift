import PledgeCore
import SQLKit

/// Reads a person's rows from the organisation's own databases (issue 30 §3; C30, C33; UK GDPR
/// Art 15(1)): every reached table, its declared columns as text, systems queried side by side.
public struct SystemAccess: Sendable {
    let databases: SystemDatabases

    public init(databases: SystemDatabases) {
        self.databases = databases
    }

    /// The rows of every reached table of every system that holds any for `email`.
    public func find(email: String?, in systems: [DataSystem]) async throws -> [SystemTable] {
        let identities = SystemReachSQL.identities(email: email)
        guard !identities.isEmpty else { return [] }
        return try await withThrowingTaskGroup(of: (Int, [SystemTable]).self) { group in
            for (index, system) in systems.enumerated() {
                let database = try databases.database(for: system)
                group.addTask { (index, try await Self.find(identities, in: system, on: database)) }
            }
            var found: [(Int, [SystemTable])] = []
            for try await result in group { found.append(result) }
            return found.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }

    /// The reached tables of `system` that hold rows for `identities`, in reach order.
    static func find(_ identities: [IdentityKind: [String]], in system: DataSystem, on database: any SQLDatabase) async throws -> [SystemTable] {
        let reach = SystemReachSQL(graph: SystemGraph(system), identities: identities)
        let dialect = SystemDialect(database)
        var tables: [SystemTable] = []
        do {
            for step in reach.graph.reached {
                guard let collection = system.collection(step.collection), !collection.fields.isEmpty else { continue }
                // Each column as text under its own alias: PostgreSQL names every CAST "text".
                let columns = collection.fields.enumerated().map { dialect.text($1.name) + " AS \(ident: "c\($0)")" }
                    .joined(separator: ", ")
                let rows = try await database.raw("SELECT \(columns) FROM \(ident: collection.name) WHERE \(reach.condition(collection.name))").all()
                guard !rows.isEmpty else { continue }
                let values = try rows.map { row in
                    try collection.fields.indices.map { try row.decode(column: "c\($0)", as: String?.self) }
                }
                tables.append(
                    SystemTable(
                        system: system.id, systemName: system.name, table: collection.name,
                        columns: collection.fields.map { SystemTable.Column(name: $0.name, categories: $0.categories ?? []) }, rows: values))
            }
        } catch let refusal as SystemRefusal {
            throw refusal
        } catch {
            throw SystemRefusal.unreachable(system: system.id, detail: String(describing: type(of: error)))
        }
        return tables
    }
}
