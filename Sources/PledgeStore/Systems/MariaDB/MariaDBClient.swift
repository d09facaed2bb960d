import Foundation
import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// MariaDB's own C client library (Debian's `libmariadb3`), loaded when a `mysql` system is first
/// used (issue 30 §1). Why this way: no maintained Swift MySQL driver is among the packages this
/// project can build with, and linking the library would make every build need its headers; loaded
/// at run time, Pledge builds and runs anywhere and only a `mysql` system needs `libmariadb3`
/// (`system.connection-invalid` says so when it is missing). Only the plain text protocol is used:
/// values go into SQL through `mysql_real_escape_string`, which escapes for the connection's
/// character set and its `NO_BACKSLASH_ESCAPES` mode.
struct MariaDBClient: @unchecked Sendable {
    typealias Handle = OpaquePointer
    let initialise: @convention(c) (Handle?) -> Handle?
    let connect:
        @convention(c) (
            Handle?, UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?, UInt32, UnsafePointer<CChar>?, UInt
        ) -> Handle?
    let setCharacterSet: @convention(c) (Handle?, UnsafePointer<CChar>?) -> Int32
    let query: @convention(c) (Handle?, UnsafePointer<CChar>?, UInt) -> Int32
    let storeResult: @convention(c) (Handle?) -> Handle?
    let fieldCount: @convention(c) (Handle?) -> UInt32
    let numberOfFields: @convention(c) (Handle?) -> UInt32
    let fetchRow: @convention(c) (Handle?) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    let fetchLengths: @convention(c) (Handle?) -> UnsafeMutablePointer<UInt>?
    let fetchField: @convention(c) (Handle?, UInt32) -> UnsafeRawPointer?
    let freeResult: @convention(c) (Handle?) -> Void
    let affectedRows: @convention(c) (Handle?) -> UInt64
    let error: @convention(c) (Handle?) -> UnsafePointer<CChar>?
    let escape: @convention(c) (Handle?, UnsafeMutablePointer<CChar>?, UnsafePointer<CChar>?, UInt) -> UInt
    let close: @convention(c) (Handle?) -> Void

    /// The library, loaded once; nil when `libmariadb3` is not installed.
    static let shared: MariaDBClient? = load()
    /// `mysql_init` is not thread-safe the first time (it initialises the library).
    static let initLock = NIOLock()

    private static func load() -> MariaDBClient? {
        let names = ["libmariadb.so.3", "libmariadb.so", "libmysqlclient.so.21"]
        guard let library = names.lazy.compactMap({ (name: String) -> UnsafeMutableRawPointer? in dlopen(name, RTLD_NOW) }).first else {
            return nil
        }
        func symbol<T>(_ name: String, as type: T.Type) -> T? {
            dlsym(library, name).map { unsafeBitCast($0, to: type) }
        }
        guard let initialise = symbol("mysql_init", as: (@convention(c) (Handle?) -> Handle?).self),
            let connect = symbol(
                "mysql_real_connect",
                as: (@convention(c) (
                    Handle?, UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?, UInt32,
                    UnsafePointer<CChar>?, UInt
                ) -> Handle?).self),
            let setCharacterSet = symbol("mysql_set_character_set", as: (@convention(c) (Handle?, UnsafePointer<CChar>?) -> Int32).self),
            let query = symbol("mysql_real_query", as: (@convention(c) (Handle?, UnsafePointer<CChar>?, UInt) -> Int32).self),
            let storeResult = symbol("mysql_store_result", as: (@convention(c) (Handle?) -> Handle?).self),
            let fieldCount = symbol("mysql_field_count", as: (@convention(c) (Handle?) -> UInt32).self),
            let numberOfFields = symbol("mysql_num_fields", as: (@convention(c) (Handle?) -> UInt32).self),
            let fetchRow = symbol("mysql_fetch_row", as: (@convention(c) (Handle?) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?).self),
            let fetchLengths = symbol("mysql_fetch_lengths", as: (@convention(c) (Handle?) -> UnsafeMutablePointer<UInt>?).self),
            let fetchField = symbol("mysql_fetch_field_direct", as: (@convention(c) (Handle?, UInt32) -> UnsafeRawPointer?).self),
            let freeResult = symbol("mysql_free_result", as: (@convention(c) (Handle?) -> Void).self),
            let affectedRows = symbol("mysql_affected_rows", as: (@convention(c) (Handle?) -> UInt64).self),
            let error = symbol("mysql_error", as: (@convention(c) (Handle?) -> UnsafePointer<CChar>?).self),
            let escape = symbol(
                "mysql_real_escape_string", as: (@convention(c) (Handle?, UnsafeMutablePointer<CChar>?, UnsafePointer<CChar>?, UInt) -> UInt).self),
            let close = symbol("mysql_close", as: (@convention(c) (Handle?) -> Void).self)
        else { return nil }
        return MariaDBClient(
            initialise: initialise, connect: connect, setCharacterSet: setCharacterSet, query: query, storeResult: storeResult,
            fieldCount: fieldCount, numberOfFields: numberOfFields, fetchRow: fetchRow, fetchLengths: fetchLengths, fetchField: fetchField,
            freeResult: freeResult, affectedRows: affectedRows, error: error, escape: escape, close: close)
    }
}

/// Why a MariaDB call failed, in the server's words (no values: the client's messages name objects, not data).
struct MariaDBError: Error, CustomStringConvertible {
    let description: String
}

/// One connection, used by one caller at a time (`MariaDBPool` leases it).
final class MariaDBConnection: @unchecked Sendable {
    /// What a statement returned: its columns and text rows, or how many rows it changed.
    struct Result {
        var columns: [String] = []
        var rows: [[String?]] = []
        var affected: UInt64 = 0
    }

    private let client: MariaDBClient
    private let handle: MariaDBClient.Handle

    /// Connects to `target` (blocking: call it off the event loop).
    init(client: MariaDBClient, host: String, port: Int, user: String, password: String, database: String) throws {
        self.client = client
        guard let handle = MariaDBClient.initLock.withLock({ client.initialise(nil) }) else { throw MariaDBError(description: "out of memory") }
        self.handle = handle
        guard client.connect(handle, host, user, password, database, UInt32(port), nil, 0) != nil else {
            let message = String(cString: client.error(handle)!)
            client.close(handle)
            throw MariaDBError(description: message)
        }
        guard client.setCharacterSet(handle, "utf8mb4") == 0 else {
            client.close(handle)
            throw MariaDBError(description: "utf8mb4 refused")
        }
    }

    deinit { client.close(handle) }

    /// `text` as a quoted SQL string literal, escaped by the library for this connection.
    func literal(_ text: String) -> String {
        var bytes = Array(text.utf8)
        var out = [CChar](repeating: 0, count: bytes.count * 2 + 1)
        let length = bytes.withUnsafeMutableBufferPointer { source in
            source.withMemoryRebound(to: CChar.self) { client.escape(handle, &out, $0.baseAddress, UInt(source.count)) }
        }
        bytes.removeAll()
        return "'" + String(decoding: out.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self) + "'"
    }

    /// Runs one statement (blocking).
    func run(_ sql: String) throws -> Result {
        let failed = sql.utf8CString.withUnsafeBufferPointer { client.query(handle, $0.baseAddress, UInt($0.count - 1)) }
        guard failed == 0 else { throw MariaDBError(description: String(cString: client.error(handle)!)) }
        var result = Result()
        guard let stored = client.storeResult(handle) else {
            guard client.fieldCount(handle) == 0 else { throw MariaDBError(description: String(cString: client.error(handle)!)) }
            result.affected = client.affectedRows(handle)
            return result
        }
        defer { client.freeResult(stored) }
        let count = Int(client.numberOfFields(stored))
        // MYSQL_FIELD begins with `char *name`.
        result.columns = (0..<count).map { index in
            guard let field = client.fetchField(stored, UInt32(index)), let name = field.load(as: UnsafePointer<CChar>?.self) else { return "" }
            return String(cString: name)
        }
        while let row = client.fetchRow(stored), let lengths = client.fetchLengths(stored) {
            result.rows.append(
                (0..<count).map { index in
                    row[index].map { String(decoding: UnsafeRawBufferPointer(start: $0, count: Int(lengths[index])), as: UTF8.self) }
                })
        }
        return result
    }
}
