import Foundation
import NIOPosix

/// Runs whole-table reads of a SQLite file with SQLite's own calls, each on a reading thread with a
/// read-only connection of its own, columns read by position and text in place (see README.md).
struct SQLiteScanner: Sendable {
    let path: String
    let threads: NIOThreadPool

    /// Opens a read-only connection, runs `body` with it on one of the reading threads, and closes it.
    func run<T: Sendable>(_ body: @escaping @Sendable (SQLiteHandle) throws -> T) async throws -> T {
        try await threads.runIfActive { [path] in
            let handle = try SQLiteHandle(path: path, pragmas: [], readOnly: true)
            defer { handle.close() }
            return try body(handle)
        }
    }
}

extension PledgeDatabase {
    /// The scanner of a SQLite file; nil on PostgreSQL.
    var scanner: SQLiteScanner? {
        guard let path = writer?.path, let readerThreads else { return nil }
        return SQLiteScanner(path: path, threads: readerThreads)
    }
}

extension SQLitePreparedStatement {
    /// The current row's `column` as a subject id, or `CorruptRow` naming where it was stored.
    func uuid(at column: Int32, table: String, name: String) throws -> UUID {
        let bytes = bytes(at: column)
        guard let id = UUID(canonicalUTF8: bytes) else {
            throw CorruptRow(table: table, row: String(decoding: bytes, as: UTF8.self), column: name)
        }
        return id
    }

    /// The current row's `column` as an integer, nil for NULL.
    func optionalInt64(at column: Int32) -> Int64? {
        isNull(at: column) ? nil : int64(at: column)
    }

    /// Whether the current row's `column` holds exactly `text`.
    func holds(_ text: String, at column: Int32) -> Bool {
        bytes(at: column).elementsEqual(text.utf8)
    }
}

/// Values made from a column's text once per distinct text, for columns of few distinct values read over
/// a million rows (a subject's categories, a stage): the text of the row before is compared in place,
/// and only a new text becomes a string.
struct ColumnInterner<Value> {
    private var last: (bytes: [UInt8], value: Value)?
    private var seen: [String: Value] = [:]
    private let make: (String) -> Value

    init(_ make: @escaping (String) -> Value) { self.make = make }

    mutating func value(_ bytes: UnsafeRawBufferPointer) -> Value {
        if let last, last.bytes.count == bytes.count, last.bytes.withUnsafeBytes({ $0.elementsEqual(bytes) }) { return last.value }
        let text = String(decoding: bytes, as: UTF8.self)
        let value = seen[text] ?? make(text)
        seen[text] = value
        last = (Array(bytes), value)
        return value
    }
}

/// A blind-index digest as a dictionary key without an allocation: an HMAC-SHA256's 32 bytes as four words,
/// any other length kept whole.
enum BlindDigest: Hashable {
    case sha256(UInt64, UInt64, UInt64, UInt64)
    case other([UInt8])

    init(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 32 else {
            self = .other(Array(bytes))
            return
        }
        self = .sha256(
            bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
            bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
    }
}
