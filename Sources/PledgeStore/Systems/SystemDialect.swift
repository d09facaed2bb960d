import SQLKit

/// Where the three databases the connector queries write the same thing differently: the type a
/// value is read as text, temporary tables, and counting the rows a statement changed.
enum SystemDialect {
    case postgres
    case sqlite
    case mysql

    init(_ sql: any SQLDatabase) {
        switch sql.dialect.name {
        case "postgresql": self = .postgres
        case "mysql": self = .mysql
        default: self = .sqlite
        }
    }

    /// `CAST(column AS …)` to read any value as text.
    func text(_ column: String) -> SQLQueryString {
        self == .mysql ? "CAST(\(ident: column) AS CHAR)" : "CAST(\(ident: column) AS TEXT)"
    }

    /// A temporary table holding `select`'s rows until the transaction ends.
    func keep(_ select: SQLQueryString, as table: String, on sql: any SQLDatabase) async throws {
        switch self {
        case .postgres:
            try await sql.raw("CREATE TEMPORARY TABLE \(ident: table) ON COMMIT DROP AS \(select)").run()
        case .sqlite, .mysql:
            try await drop(table, on: sql)
            try await sql.raw("CREATE TEMPORARY TABLE \(ident: table) AS \(select)").run()
        }
    }

    /// Drops a temporary table made by `keep` (PostgreSQL drops its own at commit).
    func drop(_ table: String, on sql: any SQLDatabase) async throws {
        switch self {
        case .postgres: return
        case .sqlite: try await sql.raw("DROP TABLE IF EXISTS temp.\(ident: table)").run()
        case .mysql: try await sql.raw("DROP TEMPORARY TABLE IF EXISTS \(ident: table)").run()
        }
    }

    /// Runs a DELETE or UPDATE and says how many rows it changed: `RETURNING` where the database
    /// has it, else the count MariaDB's client reports (`MariaDBDatabase`'s `affected_rows` row).
    func changedRows(_ statement: SQLQueryString, on sql: any SQLDatabase) async throws -> Int {
        if self == .mysql { return try await sql.raw(statement).first()?.decode(column: "affected_rows", as: Int.self) ?? 0 }
        return try await sql.raw(statement + " RETURNING 1 AS one").all().count
    }
}
