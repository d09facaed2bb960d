import Crypto
import Logging
import PledgeCore
import SQLKit

/// Reads a database's schema for `pledge discover` (issue 30 §2): tables, columns, primary and
/// foreign keys from the catalog alone (`pg_catalog`, SQLite's `pragma_*` functions). No query
/// here reads a table, so a role that may not select from any table can still be discovered.
public enum SchemaDiscovery {
    /// The kind of database `url` names: postgres:// or sqlite:.
    public static func kind(of url: String) -> SystemKind? {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") { return .postgres }
        if url.hasPrefix("sqlite:") { return .sqlite }
        if url.hasPrefix("mysql://") || url.hasPrefix("mariadb://") { return .mysql }
        return nil
    }

    /// The tables of the database at `url`, by name.
    public static func tables(at url: String, logger: Logger) async throws -> [SystemProposal.Table] {
        guard let kind = kind(of: url) else {
            throw SystemRefusal.connectionInvalid(system: "discover", detail: "use a postgres://, mysql:// or sqlite: URL")
        }
        let system = DataSystem(id: "discover", name: "discover", kind: kind, connectionEnv: "URL", collections: [])
        let databases = SystemDatabases(hashKey: SymmetricKey(size: .bits256), logger: logger) { ["URL": url] }
        do {
            let sql = try databases.database(for: system)
            let tables: [SystemProposal.Table]
            switch kind {
            case .postgres: tables = try await postgres(sql)
            case .mysql: tables = try await mysql(sql)
            case .sqlite, .http: tables = try await sqlite(sql)
            }
            await databases.shutdown()
            // By name, byte by byte: the same order whatever the database's collation.
            return tables.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        } catch {
            await databases.shutdown()
            throw error
        }
    }

    static func postgres(_ sql: any SQLDatabase) async throws -> [SystemProposal.Table] {
        let columns = try await sql.raw(
            """
            SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS column_type
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid
            WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY c.relname, a.attnum
            """
        ).all()
        let keys = try await sql.raw(
            """
            SELECT c.relname AS table_name, con.contype::text AS kind,
              (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS key_columns,
              f.relname AS foreign_table,
              (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS foreign_columns
            FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_class f ON f.oid = con.confrelid
            WHERE n.nspname = current_schema() AND con.contype IN ('p', 'f')
            ORDER BY c.relname, con.conname
            """
        ).all()
        let (order, byTable) = try Self.columns(columns)
        var primary: [String: [String]] = [:]
        var foreign: [String: [SystemProposal.ForeignKey]] = [:]
        for row in keys {
            let table = try row.decode(column: "table_name", as: String.self)
            let own = try row.decode(column: "key_columns", as: String.self).split(separator: ",").map(String.init)
            if try row.decode(column: "kind", as: String.self) == "p" {
                primary[table] = own
            } else if let target = try row.decode(column: "foreign_table", as: String?.self),
                let theirs = try row.decode(column: "foreign_columns", as: String?.self)?.split(separator: ",").map(String.init),
                own.count == 1, theirs.count == 1
            {
                // A key over several columns cannot be one reference; the DPO writes those by hand.
                foreign[table, default: []].append(SystemProposal.ForeignKey(column: own[0], table: target, tableColumn: theirs[0]))
            }
        }
        return order.map { SystemProposal.Table(name: $0, columns: byTable[$0] ?? [], primaryKey: primary[$0] ?? [], foreignKeys: foreign[$0] ?? []) }
    }

    /// MySQL and MariaDB: `information_schema`, which lists the tables this user has any right on.
    static func mysql(_ sql: any SQLDatabase) async throws -> [SystemProposal.Table] {
        let columns = try await sql.raw(
            """
            SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name, COLUMN_TYPE AS column_type FROM information_schema.COLUMNS
            WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION
            """
        ).all()
        let keys = try await sql.raw(
            """
            SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name, CONSTRAINT_NAME AS constraint_name,
              REFERENCED_TABLE_NAME AS foreign_table, REFERENCED_COLUMN_NAME AS foreign_column
            FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE()
            ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION
            """
        ).all()
        let (order, byTable) = try Self.columns(columns)
        var primary: [String: [String]] = [:]
        var constraints: [String: (table: String, parts: [(column: String, target: String, foreign: String)])] = [:]
        for row in keys {
            let table = try row.decode(column: "table_name", as: String.self)
            let column = try row.decode(column: "column_name", as: String.self)
            let name = try row.decode(column: "constraint_name", as: String.self)
            if name == "PRIMARY" {
                primary[table, default: []].append(column)
            } else if let target = try row.decode(column: "foreign_table", as: String?.self),
                let foreign = try row.decode(column: "foreign_column", as: String?.self)
            {
                constraints["\(table).\(name)", default: (table, [])].parts.append((column, target, foreign))
            }
        }
        var foreign: [String: [SystemProposal.ForeignKey]] = [:]
        // A key over several columns cannot be one reference; the DPO writes those by hand.
        for (_, constraint) in constraints.sorted(by: { $0.key < $1.key }) where constraint.parts.count == 1 {
            let part = constraint.parts[0]
            foreign[constraint.table, default: []].append(
                SystemProposal.ForeignKey(column: part.column, table: part.target, tableColumn: part.foreign))
        }
        return order.map { SystemProposal.Table(name: $0, columns: byTable[$0] ?? [], primaryKey: primary[$0] ?? [], foreignKeys: foreign[$0] ?? []) }
    }

    /// Catalog rows of `table_name`, `column_name` and `column_type`: the tables in the order they
    /// come, and each one's columns.
    static func columns(_ rows: [any SQLRow]) throws -> (order: [String], byTable: [String: [SystemProposal.Column]]) {
        var byTable: [String: [SystemProposal.Column]] = [:]
        var order: [String] = []
        for row in rows {
            let table = try row.decode(column: "table_name", as: String.self)
            if byTable[table] == nil { order.append(table) }
            byTable[table, default: []].append(
                SystemProposal.Column(
                    name: try row.decode(column: "column_name", as: String.self), type: try row.decode(column: "column_type", as: String.self)))
        }
        return (order, byTable)
    }

    static func sqlite(_ sql: any SQLDatabase) async throws -> [SystemProposal.Table] {
        let names = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all()
            .map { try $0.decode(column: "name", as: String.self) }
        var tables: [SystemProposal.Table] = []
        var primaries: [String: [String]] = [:]
        var pending: [(String, [SystemProposal.Column], [String], [(String, String, String?)])] = []
        for name in names {
            let info = try await sql.raw("SELECT name, type, pk FROM pragma_table_info(\(bind: name)) ORDER BY cid").all()
            let columns = try info.map {
                SystemProposal.Column(name: try $0.decode(column: "name", as: String.self), type: try $0.decode(column: "type", as: String.self))
            }
            let primary = try info.map { (try $0.decode(column: "pk", as: Int.self), try $0.decode(column: "name", as: String.self)) }
                .filter { $0.0 > 0 }.sorted { $0.0 < $1.0 }.map(\.1)
            let keys = try await sql.raw("SELECT \"from\" AS own, \"table\" AS target, \"to\" AS theirs FROM pragma_foreign_key_list(\(bind: name))")
                .all()
                .map {
                    (
                        try $0.decode(column: "own", as: String.self), try $0.decode(column: "target", as: String.self),
                        try $0.decode(column: "theirs", as: String?.self)
                    )
                }
            primaries[name] = primary
            pending.append((name, columns, primary, keys))
        }
        for (name, columns, primary, keys) in pending {
            // A key written `REFERENCES parent` with no column refers to the parent's primary key.
            let foreign = keys.compactMap { own, target, theirs -> SystemProposal.ForeignKey? in
                guard let column = theirs ?? primaries[target].flatMap({ $0.count == 1 ? $0[0] : nil }) else { return nil }
                return SystemProposal.ForeignKey(column: own, table: target, tableColumn: column)
            }
            tables.append(SystemProposal.Table(name: name, columns: columns, primaryKey: primary, foreignKeys: foreign))
        }
        return tables
    }
}
