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

    /// The condition selecting `collection`'s reached rows; false when it is not reached.
    func condition(_ collection: String) -> SQLQueryString {
        guard let reach = graph.reach(of: collection), !reach.paths.isEmpty else { return "1 = 0" }
        let parts = reach.paths.map { path -> SQLQueryString in
            switch path {
            case .identity(let field, let kind):
                let values = identities[kind] ?? []
                return values.isEmpty ? "1 = 0" : "\(ident: collection).\(ident: field) IN (\(binds: values))"
            case .link(let field, let parent, let parentField):
                if let table = kept["\(parent).\(parentField)"] {
                    return "\(ident: collection).\(ident: field) IN (SELECT v FROM \(ident: table))"
                }
                return
                    "\(ident: collection).\(ident: field) IN (SELECT \(ident: parent).\(ident: parentField) FROM \(ident: parent) WHERE \(condition(parent)))"
            }
        }
        return parts.count == 1 ? parts[0] : "(" + parts.joined(separator: " OR ") + ")"
    }

    /// The person's identities as the request gives them: an email as written and in lower case.
    static func identities(email: String?) -> [IdentityKind: [String]] {
        guard let email, !email.isEmpty else { return [:] }
        return [.email: Array(Set([email, email.lowercased()])).sorted()]
    }
}
