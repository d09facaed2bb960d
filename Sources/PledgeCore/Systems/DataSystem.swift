/// One of the organisation's own systems that holds personal data: its application database, its
/// shop, its CRM (issue 30; C30-C33). Pledge reaches the people in it from their verified
/// identities, answers access requests with what it finds and erases by the declared strategy,
/// so "from our systems" is kept where the data actually lives (UK GDPR Arts 15-17).
/// Credentials never appear here: `connection_env` or `connection_file` names where they are.
public struct DataSystem: Codable, Sendable, Equatable, SchemaDescribed {
    public var id: String
    public var name: String
    public var kind: SystemKind
    /// The environment variable that holds the connection URL.
    public var connectionEnv: String?
    /// A file (e.g. a mounted secret) whose first line is the connection URL.
    public var connectionFile: String?
    /// For an `http` system: the organisation's endpoint that answers access, erasure and rectification.
    public var url: String?
    /// For an `http` system: the environment variable holding the shared secret requests are signed with.
    public var secretEnv: String?
    /// The tables (collections) that hold personal data, and the tables that lead to them; for an
    /// `http` system, what it holds, for the linter and the notice.
    public var collections: [SystemCollection]
    /// ISO 3166-1 alpha-2 country where the system keeps its data; GB when not given (ECR-26).
    public var location: String?

    /// The country where the system keeps its data, upper-cased, GB when not given.
    public var country: String { UKAdequacy.country(location) }

    public init(
        id: String, name: String, kind: SystemKind, connectionEnv: String? = nil, connectionFile: String? = nil, url: String? = nil,
        secretEnv: String? = nil, collections: [SystemCollection]
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.connectionEnv = connectionEnv
        self.connectionFile = connectionFile
        self.url = url
        self.secretEnv = secretEnv
        self.collections = collections
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        kind = try container.decode(SystemKind.self, forKey: .kind)
        connectionEnv = try container.decodeIfPresent(String.self, forKey: .connectionEnv)
        connectionFile = try container.decodeIfPresent(String.self, forKey: .connectionFile)
        url = try container.decodeIfPresent(String.self, forKey: .url)
        secretEnv = try container.decodeIfPresent(String.self, forKey: .secretEnv)
        collections = try container.decodeIfPresent([SystemCollection].self, forKey: .collections) ?? []
        location = try container.decodeIfPresent(String.self, forKey: .location)
    }

    public static let schema: Schema = .object(
        description: "A system of the organisation's own that holds personal data (issue 30).",
        properties: [
            .required("id", .identifier("Id used to refer to this system.")),
            .required("name", .text("Plain-English name.")),
            .required("kind", .oneOf(SystemKind.self, "The kind of database.")),
            .optional("connection_env", .text("Environment variable holding the connection URL (never the URL itself).")),
            .optional("connection_file", .text("File whose first line is the connection URL, e.g. a mounted secret.")),
            .optional("url", .string(description: "For kind http: the endpoint Pledge sends signed requests to.", format: .url)),
            .optional("secret_env", .text("For kind http: environment variable holding the shared signing secret.")),
            .optional("collections", .list("Tables holding personal data, and tables that lead to it.", SystemCollection.schema)),
            .optional("location", .string(description: "Country where it keeps its data (ISO 3166-1 alpha-2), default GB.", format: .country)),
        ])

    /// The collection called `name`.
    public func collection(_ name: String) -> SystemCollection? { collections.first { $0.name == name } }
}

/// The kinds of system: databases Pledge queries itself, and endpoints it asks.
public enum SystemKind: String, Codable, Sendable, CaseIterable {
    case postgres
    case sqlite
    /// MySQL or MariaDB, through MariaDB's client library.
    case mysql
    /// The organisation's own endpoint, asked with a signed request (issue 30 §5).
    case http

    /// True for the kinds Pledge queries with SQL.
    public var isDatabase: Bool { self != .http }
}

/// A table of a system: its fields, and what erasure does to its rows.
public struct SystemCollection: Codable, Sendable, Equatable, SchemaDescribed {
    public var name: String
    public var fields: [SystemField]
    /// What erasing a person does to their rows here; nil for a table with no personal data.
    public var erasure: ErasureStrategy?
    /// Why rows are kept when `erasure` is `keep` (Art 17(3)).
    public var hold: String?

    public init(name: String, fields: [SystemField], erasure: ErasureStrategy? = nil, hold: String? = nil) {
        self.name = name
        self.fields = fields
        self.erasure = erasure
        self.hold = hold
    }

    public static let schema: Schema = .object(
        description: "A table (collection) of a system.",
        properties: [
            .required("name", .text("The table's name as the database spells it.")),
            .required("fields", .list("Its columns that hold personal data, identify a person or link tables.", SystemField.schema)),
            .optional("erasure", .oneOf(ErasureStrategy.self, "What erasing a person does to their rows (Art 17).")),
            .optional("hold", .text("Why rows are kept, where erasure is keep (Art 17(3)).")),
        ])

    /// The field called `name`.
    public func field(_ name: String) -> SystemField? { fields.first { $0.name == name } }

    /// The fields that hold personal data: any category under `user`.
    public var personalFields: [SystemField] { fields.filter(\.isPersonal) }

    /// True when any field holds personal data.
    public var holdsPersonalData: Bool { fields.contains(where: \.isPersonal) }

    /// The field that identifies a row, if declared.
    public var primaryKey: SystemField? { fields.first { $0.primaryKey == true } }
}

/// A column of a table.
public struct SystemField: Codable, Sendable, Equatable, SchemaDescribed {
    public var name: String
    /// Fideslang data categories the column holds.
    public var categories: [String]?
    /// The verified identity this column holds, from which a person is found.
    public var identity: IdentityKind?
    public var primaryKey: Bool?
    /// `table.column` this column's values refer to (a foreign key).
    public var references: String?
    /// What erasure does to this column where the table's rows are kept and masked.
    public var erasure: ErasureStrategy?
    /// The value `rewrite` writes; default `erased`.
    public var rewriteTo: String?

    public init(
        name: String, categories: [String]? = nil, identity: IdentityKind? = nil, primaryKey: Bool? = nil, references: String? = nil,
        erasure: ErasureStrategy? = nil, rewriteTo: String? = nil
    ) {
        self.name = name
        self.categories = categories
        self.identity = identity
        self.primaryKey = primaryKey
        self.references = references
        self.erasure = erasure
        self.rewriteTo = rewriteTo
    }

    public static let schema: Schema = .object(
        description: "A column of a table.",
        properties: [
            .required("name", .text("The column's name as the database spells it.")),
            .optional("categories", .list("Data categories it holds.", .text("A data category."))),
            .optional("identity", .oneOf(IdentityKind.self, "The verified identity it holds: a person is found from it.")),
            .optional("primary_key", .flag("True for the column that identifies a row.")),
            .optional("references", .text("table.column its values refer to (a foreign key).")),
            .optional("erasure", .oneOf(ErasureStrategy.self, "What erasure does to this column where rows are kept and masked.")),
            .optional("rewrite_to", .text("What rewrite writes; default 'erased'.")),
        ])

    /// True when the column holds personal data: a category under `user`, or an identity.
    public var isPersonal: Bool { identity != nil || (categories ?? []).contains { Fideslang.key($0, isWithin: "user") } }

    /// The referenced table and column, when `references` names one as `table.column`.
    public var reference: (collection: String, field: String)? {
        guard let references, let dot = references.lastIndex(of: ".") else { return nil }
        let table = String(references[..<dot])
        let column = String(references[references.index(after: dot)...])
        return table.isEmpty || column.isEmpty ? nil : (table, column)
    }
}

/// An identity a person is found from. Only email is verified by the privacy centre (C29).
public enum IdentityKind: String, Codable, Sendable, CaseIterable {
    case email
}

/// What erasing a person does to a table's rows or a column (UK GDPR Art 17; Art 5(1)(e)).
public enum ErasureStrategy: String, Codable, Sendable, CaseIterable {
    /// Delete the rows (children before parents).
    case delete
    /// Keep the row, set the column to NULL.
    case null
    /// Keep the row, write a fixed value (`rewrite_to`, default `erased`).
    case rewrite
    /// Keep the row, replace the value with a keyed hash: rows stay linkable, the person is gone.
    case hash
    /// Keep the rows under a legal hold (`hold` says why; Art 17(3)).
    case keep
}
