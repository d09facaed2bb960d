import PledgeCore
import SQLKit

/// The SQL that finds a person's rows in a table, written from `SystemGraph`'s paths: an identity
/// column `IN` the person's identities, or a link column `IN` a subquery on the parent's rows. The
/// database plans the whole chain with its own indexes and values keep their own types; only the
/// identities are bound. Names come from the declaration and are quoted by SQLKit.
struct SystemReachSQL {
    let graph: SystemGraph
    let identities: [IdentityKind: [String]]
    /// During an erasure, the temporary tables holding each link's values, named by "table.column":
    /// read instead of the parent, whose rows may already be gone.
    var kept: [String: String] = [:]
    /// On MySQL and MariaDB, each link's values read beforehand and bound as a list: before 11.1
    /// MariaDB runs an `IN (SELECT …)` inside UPDATE and DELETE once per row of the table (measured:
    /// 43 ms an erasure on the bench's shop, against under 5 ms with the values bound).
    var resolved: [String: [String]] = [:]

    /// The condition selecting `collection`'s reached rows; false when it is not reached.
    func condition(_ collection: String) -> SQLQueryString {
        guard let reach = graph.reach(of: collection), !reach.paths.isEmpty else { return "1 = 0" }
        let parts = reach.paths.map { path -> SQLQueryString in
            switch path {
            case .identity(let field, let kind):
                let values = identities[kind] ?? []
                return values.isEmpty ? "1 = 0" : "\(ident: collection).\(ident: field) IN (\(binds: values))"
            case .link(let field, let parent, let parentField):
                if let values = resolved["\(parent).\(parentField)"] {
                    return values.isEmpty ? "1 = 0" : "\(ident: collection).\(ident: field) IN (\(binds: values))"
                }
                if let table = kept["\(parent).\(parentField)"] {
                    return "\(ident: collection).\(ident: field) IN (SELECT v FROM \(ident: table))"
                }
                return
                    "\(ident: collection).\(ident: field) IN (SELECT \(ident: parent).\(ident: parentField) FROM \(ident: parent) WHERE \(condition(parent)))"
            }
        }
        return parts.count == 1 ? parts[0] : "(" + parts.joined(separator: " OR ") + ")"
    }

    /// The reach made ready for statements that change rows: on MySQL every link's values read and
    /// bound (see `resolved`); elsewhere the `sources` whose rows may go first copied into temporary
    /// tables (`SystemErasurePlan.linksToKeep`), to be dropped with `release`.
    func settled(keeping sources: [(collection: String, field: String)], on sql: any SQLDatabase) async throws -> SystemReachSQL {
        var reach = self
        let dialect = SystemDialect(sql)
        if dialect == .mysql {
            for source in graph.linkSources {
                reach.resolved["\(source.collection).\(source.field)"] = try await sql.raw(
                    "SELECT DISTINCT \(dialect.text(source.field)) AS v FROM \(ident: source.collection) WHERE \(reach.condition(source.collection))"
                ).all().compactMap { try $0.decode(column: "v", as: String?.self) }
            }
            return reach
        }
        for (index, source) in sources.enumerated() {
            let table = "pledge_reach_\(index)"
            try await dialect.keep(
                "SELECT DISTINCT \(ident: source.collection).\(ident: source.field) AS v FROM \(ident: source.collection) WHERE \(reach.condition(source.collection))",
                as: table, on: sql)
            reach.kept["\(source.collection).\(source.field)"] = table
        }
        return reach
    }

    /// Drops the temporary tables `settled` made.
    func release(on sql: any SQLDatabase) async throws {
        for table in kept.values { try await SystemDialect(sql).drop(table, on: sql) }
    }

    /// The person's identities as the request gives them: an email as written and in lower case.
    static func identities(email: String?) -> [IdentityKind: [String]] {
        guard let email, !email.isEmpty else { return [:] }
        return [.email: Array(Set([email, email.lowercased()])).sorted()]
    }
}
