import Crypto
import Foundation

/// What erasing a person does in one system, table by table, in the order a database with foreign
/// keys accepts: rows that refer to a table are dealt with before the table's own (issue 30 §4;
/// UK GDPR Art 17(1), with Art 17(3) holds kept and said).
public struct SystemErasurePlan: Sendable, Equatable {
    /// What happens to a table's reached rows.
    public enum Operation: Sendable, Equatable {
        case delete
        /// Keep the rows, change these columns.
        case mask([Mask])
        /// Keep the rows as they are (Art 17(3)), for `reason`.
        case keep(reason: String)
    }

    /// One column's change in a kept row.
    public struct Mask: Sendable, Equatable {
        public let field: String
        public let strategy: ErasureStrategy
        /// The value `rewrite` writes.
        public let value: String?
    }

    public struct Step: Sendable, Equatable {
        public let collection: String
        public let operation: Operation
    }

    /// Steps in execution order; reached tables with nothing to erase are left out.
    public let steps: [Step]

    /// The tables whose rows the plan deletes or masks: what the check afterwards reads.
    public var changed: Set<String> {
        Set(steps.filter { if case .keep = $0.operation { false } else { true } }.map(\.collection))
    }

    /// The plan for `system`, reached as `graph` says.
    public init(_ system: DataSystem, graph: SystemGraph) {
        var steps: [Step] = []
        for name in Self.order(system, graph: graph) {
            guard let collection = system.collection(name), let strategy = collection.erasure else { continue }
            switch strategy {
            case .delete:
                steps.append(Step(collection: name, operation: .delete))
            case .keep:
                steps.append(Step(collection: name, operation: .keep(reason: collection.hold ?? "kept under a legal hold")))
            case .null, .rewrite, .hash:
                let masks = collection.personalFields.filter { $0.primaryKey != true }.compactMap { field -> Mask? in
                    let own = field.erasure ?? strategy
                    switch own {
                    case .keep: return nil
                    case .delete, .null: return Mask(field: field.name, strategy: .null, value: nil)
                    case .rewrite: return Mask(field: field.name, strategy: .rewrite, value: field.rewriteTo ?? "erased")
                    case .hash: return Mask(field: field.name, strategy: .hash, value: nil)
                    }
                }
                if !masks.isEmpty { steps.append(Step(collection: name, operation: .mask(masks))) }
            }
        }
        self.steps = steps
    }

    /// Reached tables with every referrer before the table it refers to (Kahn's order), the
    /// deeper first among equals; tables in a reference cycle last, deepest first.
    static func order(_ system: DataSystem, graph: SystemGraph) -> [String] {
        let names = graph.reached.enumerated().sorted { ($0.element.depth, $1.offset) > ($1.element.depth, $0.offset) }.map(\.element.collection)
        let reached = Set(names)
        // waiting[parent] = referrers still to go before it.
        var waiting: [String: Set<String>] = [:]
        for child in system.collections where reached.contains(child.name) {
            for field in child.fields {
                if let parent = field.reference?.collection, parent != child.name, reached.contains(parent) {
                    waiting[parent, default: []].insert(child.name)
                }
            }
        }
        var order: [String] = []
        var done: Set<String> = []
        var progress = true
        while progress {
            progress = false
            for name in names where !done.contains(name) && (waiting[name] ?? []).isSubset(of: done) {
                order.append(name)
                done.insert(name)
                progress = true
            }
        }
        return order + names.filter { !done.contains($0) }
    }

    /// The links whose values an erasure must copy aside before it changes anything: those whose
    /// table is deleted, or loses the linked column or a column its own rows are found by, before a
    /// table reached through it is done (an order deleted before the address reached from it). The
    /// rest are read live, which spares the database a temporary table each.
    public func linksToKeep(_ graph: SystemGraph) -> [(collection: String, field: String)] {
        let position = Dictionary(steps.enumerated().map { ($1.collection, $0) }, uniquingKeysWith: { first, _ in first })
        var kept: Set<String> = []
        // The tables whose live query reads `name`'s rows: through links not copied aside.
        func readsLive(_ table: String, through name: String) -> Bool {
            var seen: Set<String> = []
            var queue = [table]
            while let next = queue.popLast() {
                for case .link(_, let parent, let parentField) in graph.reach(of: next)?.paths ?? []
                where !kept.contains("\(parent).\(parentField)") && seen.insert(parent).inserted {
                    if parent == name { return true }
                    queue.append(parent)
                }
            }
            return false
        }
        // Deepest first, so a link copied aside below spares the ones above it.
        for source in graph.linkSources.reversed() {
            guard let index = position[source.collection] else { continue }  // never changed
            let readBy = Set(
                (graph.reach(of: source.collection)?.paths ?? []).map { path -> String in
                    switch path {
                    case .identity(let field, _), .link(let field, _, _): field
                    }
                }
            ).union([source.field])
            let changes: Bool
            switch steps[index].operation {
            case .delete: changes = true
            case .keep: changes = false
            case .mask(let masks): changes = masks.contains { readBy.contains($0.field) }
            }
            // A table with no step is not touched inside the erasure; the check after it reads live.
            let needed =
                changes
                && graph.reached.contains { reach in
                    guard let later = position[reach.collection], later > index else { return false }
                    return readsLive(reach.collection, through: source.collection)
                }
            if needed { kept.insert("\(source.collection).\(source.field)") }
        }
        return graph.linkSources.filter { kept.contains("\($0.collection).\($0.field)") }
    }

    /// What is still there after the plan ran, from the access query run again: rows of deleted
    /// tables, and masked columns still holding something other than what the mask writes. Empty
    /// when the erasure is complete; kept tables never count.
    public func leftovers(in found: [SystemTable]) -> [String] {
        var left: [String] = []
        for table in found where !table.rows.isEmpty {
            guard let step = steps.first(where: { $0.collection == table.table }) else { continue }
            switch step.operation {
            case .keep: continue
            case .delete: left.append("\(table.table): \(table.rows.count) row(s)")
            case .mask(let masks):
                for mask in masks {
                    guard let column = table.columns.firstIndex(where: { $0.name == mask.field }) else { continue }
                    let unmasked = table.rows.filter { row in
                        guard column < row.count, let value = row[column] else { return false }
                        switch mask.strategy {
                        case .rewrite: return value != mask.value
                        case .hash: return !value.hasPrefix(KeyedHash.prefix)
                        default: return true
                        }
                    }
                    if !unmasked.isEmpty { left.append("\(table.table).\(mask.field): \(unmasked.count) value(s)") }
                }
            }
        }
        return left
    }
}

/// The value `hash` writes: an HMAC-SHA256 of the old value under the organisation's key, so rows
/// stay linkable to each other while the person can no longer be read from them.
public enum KeyedHash {
    public static let prefix = "hmac:"

    /// `hmac:` and the first 128 bits of HMAC-SHA256(key, value) in hex.
    public static func of(_ value: String, key: SymmetricKey) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: key)
        return prefix + Data(mac).prefix(16).hexString
    }
}
