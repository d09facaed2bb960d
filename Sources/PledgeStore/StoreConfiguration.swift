import Foundation

/// Where Pledge keeps its data: an embedded SQLite file by default, PostgreSQL when one machine
/// is not enough.
public enum StoreConfiguration: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case sqliteInMemory
    case postgres(url: String)

    /// The embedded default: `./pledge-data/pledge.sqlite`.
    public static let defaultSQLite = StoreConfiguration.sqlite(path: "pledge-data/pledge.sqlite")

    /// Reads `--database`: a `postgres://` or `postgresql://` URL, `sqlite::memory:`, `sqlite:PATH`,
    /// or a plain file path.
    public init(argument: String) throws {
        if argument.hasPrefix("postgres://") || argument.hasPrefix("postgresql://") {
            guard URL(string: argument)?.host != nil else {
                throw StoreError.invalidConfiguration("'\(argument)' is not a valid PostgreSQL URL (postgres://user:password@host:port/database).")
            }
            self = .postgres(url: argument)
            _ = try postgresConnection()
        } else if argument == "sqlite::memory:" {
            self = .sqliteInMemory
        } else if argument.hasPrefix("sqlite:") {
            self = .sqlite(path: String(argument.dropFirst("sqlite:".count)))
        } else if argument.contains("://") {
            throw StoreError.invalidConfiguration("Unsupported database '\(argument)': use a file path, sqlite:PATH or postgres://…")
        } else {
            self = .sqlite(path: argument)
        }
    }

    /// A PostgreSQL URL without Pledge's own `schema` parameter, and that schema (Pledge's tables
    /// live there instead of `public`; it is created at start). Throws on a schema name that is
    /// not a plain identifier.
    public func postgresConnection() throws -> (url: String, schema: String?) {
        guard case .postgres(let url) = self, var components = URLComponents(string: url) else { return ("", nil) }
        let schema = components.queryItems?.first { $0.name == "schema" }?.value
        components.queryItems = components.queryItems?.filter { $0.name != "schema" }
        if components.queryItems?.isEmpty == true { components.queryItems = nil }
        if let schema {
            guard schema.range(of: #"^[a-z_][a-z0-9_]{0,62}$"#, options: .regularExpression) != nil else {
                throw StoreError.invalidConfiguration("schema '\(schema)' must be a lower-case identifier (letters, digits, _; at most 63).")
            }
        }
        return (components.string ?? url, schema)
    }

    /// Where the audit trail's anchor is kept unless told otherwise (`AuditAnchorFile`): beside a
    /// SQLite file; for PostgreSQL under `pledge-data/`, named after the server, database and
    /// schema; nil in memory.
    public var defaultAuditAnchorPath: String? { besideTheData("audit-anchor") }

    /// Where the erasure ledger (`ErasureLedger`) lives unless told otherwise: beside the anchor.
    public var defaultErasureLedgerPath: String? { besideTheData("erasures") }

    /// A file named for this store with `suffix`: beside a SQLite file, or under pledge-data/ for PostgreSQL.
    private func besideTheData(_ suffix: String) -> String? {
        switch self {
        case .sqlite(let path): return path + "." + suffix
        case .sqliteInMemory: return nil
        case .postgres(let url):
            let components = URLComponents(string: url)
            let schema = components?.queryItems?.first { $0.name == "schema" }?.value
            let name = [components?.host, components?.port.map(String.init), String(components?.path.dropFirst() ?? ""), schema]
                .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "-")
            let safe = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" })
            return "pledge-data/postgres-\(safe).\(suffix)"
        }
    }

    /// A description with no password in it, for logs.
    public var description: String {
        switch self {
        case .sqlite(let path): return "SQLite at \(path)"
        case .sqliteInMemory: return "SQLite in memory"
        case .postgres(let url):
            if var components = URLComponents(string: url) {
                if components.password != nil { components.password = "***" }
                return "PostgreSQL at \(components.string ?? "?")"
            }
            return "PostgreSQL"
        }
    }
}

/// Errors of the store that a user can cause or must know about.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    case invalidConfiguration(String)
    case unavailable(String)
    /// The database was migrated by a newer Pledge (these migrations are unknown here).
    case schemaNewer([String])

    public var description: String {
        switch self {
        case .invalidConfiguration(let text), .unavailable(let text): text
        case .schemaNewer(let names):
            "The database schema is newer than this Pledge knows (migrations \(names.joined(separator: ", "))); run the newer version, or upgrade this node before starting it."
        }
    }
}
