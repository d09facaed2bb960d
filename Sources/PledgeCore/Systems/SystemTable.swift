/// The rows of one table of one system found for a person: what an access request adds to the
/// export with its system and table (issue 30 §3; C30, C33; UK GDPR Art 15(1), Art 15(3)).
public struct SystemTable: Codable, Sendable, Equatable {
    /// A declared column and the categories it holds.
    public struct Column: Codable, Sendable, Equatable {
        public var name: String
        public var categories: [String]

        public init(name: String, categories: [String]) {
            self.name = name
            self.categories = categories
        }
    }

    public var system: String
    public var systemName: String
    public var table: String
    public var columns: [Column]
    /// Values as text, in `columns` order; nil for SQL NULL.
    public var rows: [[String?]]

    public init(system: String, systemName: String, table: String, columns: [Column], rows: [[String?]]) {
        self.system = system
        self.systemName = systemName
        self.table = table
        self.columns = columns
        self.rows = rows
    }
}

/// What erasure did in one system, for the case's record (issue 30 §4; C32).
public struct SystemErasureOutcome: Codable, Sendable, Equatable {
    public var system: String
    public var systemName: String
    /// Per table: what was done and to how many rows, e.g. "orders: 3 row(s) deleted".
    public var done: [String]
    /// Tables kept under a hold, with the reason.
    public var kept: [String]
    /// What the access query still found afterwards that the plan should have removed; empty when verified.
    public var leftovers: [String]

    public init(system: String, systemName: String, done: [String], kept: [String], leftovers: [String]) {
        self.system = system
        self.systemName = systemName
        self.done = done
        self.kept = kept
        self.leftovers = leftovers
    }

    /// True when the access query, run again, found only what a hold keeps.
    public var verified: Bool { leftovers.isEmpty }
}
