/// How a person's rows are found in one system: breadth first from the tables that hold a verified
/// identity, over the declared references (issue 30 §3; UK GDPR Art 15(1), Art 17(1)).
///
/// A reference `orders.customer_id -> customers.id` is followed both ways: from a reached parent to
/// the rows that refer to it (the customer's orders), and from a reached child to the row it refers
/// to (an order's address), except into a table that holds an identity itself: that table's rows are
/// people, and another person's row must never be reached through a link (an order's referrer).
public struct SystemGraph: Sendable, Equatable {
    /// One way a table's rows are reached; a row is the person's when any of its table's paths holds.
    public enum Path: Sendable, Equatable {
        /// The row's `field` holds one of the person's identities of `kind`.
        case identity(field: String, kind: IdentityKind)
        /// The row's `field` equals `parentField` of a reached row of `parent`.
        case link(field: String, parent: String, parentField: String)
    }

    /// A reached table with its distance from an identity and the paths that reach it.
    public struct Reach: Sendable, Equatable {
        public let collection: String
        public let depth: Int
        public let paths: [Path]
    }

    /// Reached tables in breadth-first order: every path names only tables before it.
    public let reached: [Reach]
    /// Tables holding personal data that no path reaches: named by the linter, never silently skipped.
    public let unreachable: [String]

    /// The graph of `system` as declared. References to missing tables or columns are left out
    /// (the linter names them).
    public init(_ system: DataSystem) {
        let edges = Self.edges(system)
        var reach: [String: Reach] = [:]
        var order: [String] = []
        var frontier: [String] = []
        for collection in system.collections {
            let identities = collection.fields.compactMap { field in field.identity.map { Path.identity(field: field.name, kind: $0) } }
            guard !identities.isEmpty else { continue }
            reach[collection.name] = Reach(collection: collection.name, depth: 0, paths: identities)
            order.append(collection.name)
            frontier.append(collection.name)
        }
        var depth = 0
        while !frontier.isEmpty {
            depth += 1
            var next: [String: [Path]] = [:]
            var nextOrder: [String] = []
            for parent in frontier {
                for edge in edges where edge.from == parent && reach[edge.to] == nil {
                    if next[edge.to] == nil { nextOrder.append(edge.to) }
                    let path = Path.link(field: edge.toField, parent: parent, parentField: edge.fromField)
                    if next[edge.to]?.contains(path) != true { next[edge.to, default: []].append(path) }
                }
            }
            for name in nextOrder {
                reach[name] = Reach(collection: name, depth: depth, paths: next[name] ?? [])
                order.append(name)
            }
            frontier = nextOrder
        }
        reached = order.compactMap { reach[$0] }
        unreachable = system.collections.filter { $0.holdsPersonalData && reach[$0.name] == nil }.map(\.name)
    }

    /// The reach of `collection`, if reached.
    public func reach(of collection: String) -> Reach? { reached.first { $0.collection == collection } }

    /// Tables whose values a later table's path reads: what an erasure keeps aside before it deletes.
    public var linkSources: [(collection: String, field: String)] {
        var seen: Set<String> = []
        var sources: [(String, String)] = []
        for reach in reached {
            for case .link(_, let parent, let parentField) in reach.paths where seen.insert("\(parent).\(parentField)").inserted {
                sources.append((parent, parentField))
            }
        }
        return sources
    }

    /// A directed step: rows of `to` whose `toField` equals `fromField` of reached rows of `from`.
    struct Edge: Equatable {
        let from: String
        let fromField: String
        let to: String
        let toField: String
    }

    static func edges(_ system: DataSystem) -> [Edge] {
        var edges: [Edge] = []
        for child in system.collections {
            for field in child.fields {
                guard let (parentName, parentField) = field.reference, let parent = system.collection(parentName),
                    parent.field(parentField) != nil
                else { continue }
                // Parent to child: the rows that refer to a reached row.
                edges.append(Edge(from: parent.name, fromField: parentField, to: child.name, toField: field.name))
                // Child to parent: the row a reached row refers to, unless that row is a person of its own.
                if !parent.fields.contains(where: { $0.identity != nil }) {
                    edges.append(Edge(from: child.name, fromField: field.name, to: parent.name, toField: parentField))
                }
            }
        }
        return edges
    }
}
