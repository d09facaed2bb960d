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
                let databases = databases
                group.addTask {
                    (index, try await Self.find(identities, in: system) { () throws(SystemRefusal) in try databases.database(for: system) })
                }
            }
            var found: [(Int, [SystemTable])] = []
            for try await result in group { found.append(result) }
            return found.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }

    /// The reached tables of `system` that hold rows for `identities`, in reach order. Each table's
    /// query carries its whole chain, so they run side by side on connections from `database`
    /// (measured: one access on PostgreSQL went from about five round trips to about two).
    static func find(
        _ identities: [IdentityKind: [String]], in system: DataSystem, only tables: Set<String>? = nil,
        on database: @escaping @Sendable () throws(SystemRefusal) -> any SQLDatabase
    ) async throws -> [SystemTable] {
        let reach = SystemReachSQL(graph: SystemGraph(system), identities: identities)
        do {
            return try await withThrowingTaskGroup(of: (Int, SystemTable?).self) { group in
                for (index, step) in reach.graph.reached.enumerated() {
                    guard let collection = system.collection(step.collection), !collection.fields.isEmpty,
                        tables?.contains(collection.name) ?? true
                    else { continue }
                    let sql = try database()
                    group.addTask { (index, try await table(collection, of: system, reach: reach, on: sql)) }
                }
                var found: [(Int, SystemTable)] = []
                for try await (index, table) in group { if let table { found.append((index, table)) } }
                return found.sorted { $0.0 < $1.0 }.map(\.1)
            }
        } catch {
            throw SystemRefusal.from(error, system: system.id)
        }
    }

    /// The person's rows of one table, nil when there are none.
    static func table(
        _ collection: SystemCollection, of system: DataSystem, reach: SystemReachSQL, on sql: any SQLDatabase
    ) async throws -> SystemTable? {
        let dialect = SystemDialect(sql)
        // Each column as text under its own alias: PostgreSQL names every CAST "text".
        let columns = collection.fields.enumerated().map { dialect.text($1.name) + " AS \(ident: "c\($0)")" }.joined(separator: ", ")
        let rows = try await sql.raw("SELECT \(columns) FROM \(ident: collection.name) WHERE \(reach.condition(collection.name))").all()
        guard !rows.isEmpty else { return nil }
        let values = try rows.map { row in try collection.fields.indices.map { try row.decode(column: "c\($0)", as: String?.self) } }
        return SystemTable(
            system: system.id, systemName: system.name, table: collection.name,
            columns: collection.fields.map { SystemTable.Column(name: $0.name, categories: $0.categories ?? []) }, rows: values)
    }
}
