import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PledgeCore
import SQLKit

/// SQLKit over `MariaDBClient`, so the connector's queries (`SystemReachSQL`, `SystemAccess`,
/// `SystemErasure`) run on MariaDB and MySQL as on the other two. Statements are serialised with
/// the MySQL dialect, binds become literals escaped by the library, and the blocking calls run on
/// the systems' thread pool. A statement that returns no rows reports one row, `affected_rows`:
/// MariaDB has no `UPDATE … RETURNING`, and the erasure counts what it changed.
struct MariaDBDatabase: SQLDatabase {
    let pool: MariaDBPool
    /// Set inside a transaction: every statement uses this one connection.
    let pinned: MariaDBConnection?
    let logger: Logger
    let eventLoop: any EventLoop
    var dialect: any SQLDialect { MariaDBDialect() }
    var version: (any SQLDatabaseReportedVersion)? { nil }
    var queryLogLevel: Logger.Level? { .trace }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        var serializer = SQLSerializer(database: self)
        query.serialize(to: &serializer)
        let (text, binds) = (serializer.sql, serializer.binds)
        return pool.threads.runIfActive(eventLoop: eventLoop) {
            let run: (MariaDBConnection) throws -> MariaDBConnection.Result = { connection in
                try connection.run(try MariaDBDialect.inline(binds, into: text, using: connection))
            }
            let result = try pinned.map(run) ?? pool.leasing(run)
            if result.columns.isEmpty {
                onRow(MariaDBRow(columns: ["affected_rows"], values: [String(result.affected)]))
            } else {
                for values in result.rows { onRow(MariaDBRow(columns: result.columns, values: values)) }
            }
        }
    }

    /// Runs `body` in one transaction on one connection.
    func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let connection = try await pool.threads.runIfActive(eventLoop: eventLoop) { try pool.lease() }.get()
        let pinned = MariaDBDatabase(pool: pool, pinned: connection, logger: logger, eventLoop: eventLoop)
        do {
            try await pinned.raw("START TRANSACTION").run()
            let result = try await body(pinned)
            try await pinned.raw("COMMIT").run()
            pool.giveBack(connection)
            return result
        } catch {
            try? await pinned.raw("ROLLBACK").run()
            pool.giveBack(connection)
            throw error
        }
    }
}

/// Idle connections to one MariaDB database, opened as needed.
final class MariaDBPool: Sendable {
    struct Target: Equatable, Sendable {
        let host: String
        let port: Int
        let user: String
        let password: String
        let database: String
    }

    let client: MariaDBClient
    let target: Target
    let threads: NIOThreadPool
    private let idle = NIOLockedValueBox<[MariaDBConnection]>([])

    init(client: MariaDBClient, target: Target, threads: NIOThreadPool) {
        self.client = client
        self.target = target
        self.threads = threads
    }

    /// An idle connection, or a new one (blocking).
    func lease() throws -> MariaDBConnection {
        if let connection = idle.withLockedValue({ $0.popLast() }) { return connection }
        return try MariaDBConnection(
            client: client, host: target.host, port: target.port, user: target.user, password: target.password, database: target.database)
    }

    func giveBack(_ connection: MariaDBConnection) {
        idle.withLockedValue { if $0.count < 4 { $0.append(connection) } }
    }

    /// `body` on a leased connection; a connection that failed is not given back.
    func leasing<T>(_ body: (MariaDBConnection) throws -> T) throws -> T {
        let connection = try lease()
        let result = try body(connection)
        giveBack(connection)
        return result
    }

    /// The target of a `mysql://user:password@host:port/database` (or `mariadb://`) URL.
    static func target(of url: String) -> Target? {
        guard let components = URLComponents(string: url), ["mysql", "mariadb"].contains(components.scheme ?? ""),
            let host = components.host, let user = components.user
        else { return nil }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty else { return nil }
        return Target(
            host: host == "localhost" ? "127.0.0.1" : host, port: components.port ?? 3306, user: user.removingPercentEncoding ?? user,
            password: (components.password ?? "").removingPercentEncoding ?? "", database: database)
    }
}

/// MySQL's SQL: backquoted names, `?` binds (made literals before sending).
struct MariaDBDialect: SQLDialect {
    var name: String { "mysql" }
    var identifierQuote: any SQLExpression { SQLRaw("`") }
    var supportsAutoIncrement: Bool { true }
    var autoIncrementClause: any SQLExpression { SQLRaw("AUTO_INCREMENT") }
    /// A marker no name or value of Pledge's writes: `inline` swaps each for its bind.
    func bindPlaceholder(at position: Int) -> any SQLExpression { SQLRaw("\u{1}\(position)\u{1}") }
    func literalBoolean(_ value: Bool) -> any SQLExpression { SQLRaw(value ? "1" : "0") }
    var supportsReturning: Bool { false }

    /// `text` with each bind marker replaced by its value as an escaped literal.
    static func inline(_ binds: [any Encodable & Sendable], into text: String, using connection: MariaDBConnection) throws -> String {
        let parts = text.split(separator: "\u{1}", omittingEmptySubsequences: false)
        guard parts.count == 2 * binds.count + 1 else { throw MariaDBError(description: "bind markers do not match the binds") }
        var out = String(parts[0])
        for index in binds.indices {
            guard Int(parts[2 * index + 1]) == index + 1 else { throw MariaDBError(description: "bind markers out of order") }
            out += try literal(binds[index], using: connection) + parts[2 * index + 2]
        }
        return out
    }

    static func literal(_ value: any Encodable & Sendable, using connection: MariaDBConnection) throws -> String {
        switch value {
        case let text as String: return connection.literal(text)
        case let number as any BinaryInteger: return String(describing: number)
        case let number as Double: return String(number)
        case let flag as Bool: return flag ? "1" : "0"
        case let data as Data: return "X'" + data.hexString + "'"
        case let optional as String?: return optional.map(connection.literal) ?? "NULL"
        default: throw MariaDBError(description: "a bind of type \(type(of: value)) is not supported")
        }
    }
}

/// A row of text values.
struct MariaDBRow: SQLRow {
    let columns: [String]
    let values: [String?]

    var allColumns: [String] { columns }
    func contains(column: String) -> Bool { columns.contains(column) }

    func decodeNil(column: String) throws -> Bool { try value(column) == nil }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        try D(from: TextValueDecoder(value: try value(column)))
    }

    private func value(_ column: String) throws -> String? {
        guard let index = columns.firstIndex(of: column) else { throw MariaDBError(description: "no column \(column)") }
        return values[index]
    }
}

/// Decodes one text value as a string, a number, a flag or an optional of these.
struct TextValueDecoder: Decoder, SingleValueDecodingContainer {
    let value: String?
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> { throw mismatch("a keyed value") }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { throw mismatch("a list") }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool { value == nil }
    func decode(_ type: Bool.Type) throws -> Bool { try text() == "1" }
    func decode(_ type: String.Type) throws -> String { try text() }
    func decode(_ type: Double.Type) throws -> Double { try number(Double(try text())) }
    func decode(_ type: Float.Type) throws -> Float { try number(Float(try text())) }
    func decode(_ type: Int.Type) throws -> Int { try number(Int(try text())) }
    func decode(_ type: Int8.Type) throws -> Int8 { try number(Int8(try text())) }
    func decode(_ type: Int16.Type) throws -> Int16 { try number(Int16(try text())) }
    func decode(_ type: Int32.Type) throws -> Int32 { try number(Int32(try text())) }
    func decode(_ type: Int64.Type) throws -> Int64 { try number(Int64(try text())) }
    func decode(_ type: UInt.Type) throws -> UInt { try number(UInt(try text())) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try number(UInt8(try text())) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try number(UInt16(try text())) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try number(UInt32(try text())) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try number(UInt64(try text())) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: self) }

    private func text() throws -> String {
        guard let value else { throw mismatch("a value, not NULL") }
        return value
    }

    private func number<N>(_ parsed: N?) throws -> N {
        guard let parsed else { throw mismatch("a number") }
        return parsed
    }

    private func mismatch(_ expected: String) -> DecodingError {
        DecodingError.typeMismatch(Any.self, .init(codingPath: [], debugDescription: "expected \(expected)"))
    }
}
