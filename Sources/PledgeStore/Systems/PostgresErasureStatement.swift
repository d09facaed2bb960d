import Crypto
import PledgeCore
import SQLKit

/// On PostgreSQL, a whole erasure plan as one statement: each DELETE and UPDATE a data-modifying
/// `WITH` step, each hold's rows counted in the final `SELECT`. One statement is atomic without a
/// transaction around it, and every step reads the same snapshot, the rows as they were before the
/// erasure, so a child's condition still finds its parent however the steps run and no link needs
/// copying aside first (`SystemReachSQL.settled`). Foreign keys are checked at the statement's end.
///
/// Why: the step-by-step path costs a round trip per step plus BEGIN and COMMIT (six on the shop);
/// one statement is one. Measured with `bash bench/systems_mariadb.sh` (PLEDGE_BENCH_POSTGRES_URL set)
/// on the bench's shop of 100,000 customers, beside an indexed SELECT in the same run: 2.18 ms an
/// erasure against 4.06 ms step by step (the reference SELECT 0.44 ms).
/// A plan that must read values first (a hashed field the person is not found by) and the dry run
/// take the step-by-step path, in a transaction.
struct PostgresErasureStatement {
    let query: SQLQueryString
    let steps: [SystemErasurePlan.Step]

    /// Nil when a step must read before it writes.
    init?(_ plan: SystemErasurePlan, graph: SystemGraph, identities: [IdentityKind: [String]], hashKey: SymmetricKey) {
        let reach = SystemReachSQL(graph: graph, identities: identities)
        var changes: [SQLQueryString] = []
        var counts: [SQLQueryString] = []
        for (index, step) in plan.steps.enumerated() {
            var hashed: [String: [String]] = [:]
            if case .mask(let masks) = step.operation {
                for mask in masks where mask.strategy == .hash {
                    guard let values = SystemErasure.hashedValues(of: mask.field, in: step.collection, graph: graph, identities: identities)
                    else { return nil }
                    hashed[mask.field] = values
                }
            }
            let name = Self.column(index)
            switch SystemErasure.statement(
                for: step, where: reach.condition(step.collection), hashing: hashed, hashKey: hashKey, dialect: .postgres)
            {
            case nil:
                counts.append("0 AS \(ident: name)")
            case .count(let select):
                counts.append("(\(select)) AS \(ident: name)")
            case .change(let change):
                changes.append("\(ident: name) AS (\(change) RETURNING 1)")
                counts.append("(SELECT COUNT(*) FROM \(ident: name)) AS \(ident: name)")
            }
        }
        guard !counts.isEmpty else { return nil }
        query = (changes.isEmpty ? "" : "WITH " + changes.joined(separator: ", ") + " ") + "SELECT " + counts.joined(separator: ", ")
        steps = plan.steps
    }

    /// The name of step `index`'s `WITH` part and of its count in the result.
    static func column(_ index: Int) -> String { "pledge_step_\(index)" }

    /// Runs the statement; what was done and kept, as the step-by-step path reports it.
    func run(on sql: any SQLDatabase) async throws -> ([String], [String]) {
        guard let row = try await sql.raw(query).first() else { return ([], []) }
        var report = SystemErasureReport()
        for (index, step) in steps.enumerated() {
            report.add(step, count: try row.decode(column: Self.column(index), as: Int.self))
        }
        return (report.done, report.kept)
    }
}
