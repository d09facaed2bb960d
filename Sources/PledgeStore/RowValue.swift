import FluentPostgresDriver
import NIOCore

/// A value a `RowInsert` writes: text, a 64-bit integer, or nil of either. Each kind binds itself
/// to a SQLite statement and writes itself into a PostgreSQL array, so neither path needs runtime
/// casts (they were a tenth of the writer thread, bench/http.sh); through SQLKit it is any `Encodable`.
protocol RowValue: Encodable, Sendable {
    /// Binds the value to parameter `index` (from 1) of `statement`.
    func bind(to statement: SQLitePreparedStatement, at index: Int32) throws

    /// The PostgreSQL types of such a value and of an array of them: `int8`, or `text`.
    static var postgresTypes: (element: PostgresDataType, array: PostgresDataType) { get }

    /// Writes the value as one element of an array in PostgreSQL's binary format: its length in
    /// bytes, then the bytes (a length of −1 and no bytes for NULL). Returns false for NULL.
    func writePostgresElement(to buffer: inout ByteBuffer) -> Bool
}

extension String: RowValue {
    func bind(to statement: SQLitePreparedStatement, at index: Int32) throws { try statement.bind(text: self, at: index) }

    static var postgresTypes: (element: PostgresDataType, array: PostgresDataType) { (.text, .textArray) }

    func writePostgresElement(to buffer: inout ByteBuffer) -> Bool {
        let lengthAt = buffer.writerIndex
        buffer.writeInteger(Int32(0))
        let length = buffer.writeString(self)
        buffer.setInteger(Int32(length), at: lengthAt)
        return true
    }
}

extension Int64: RowValue {
    func bind(to statement: SQLitePreparedStatement, at index: Int32) throws { try statement.bind(integer: self, at: index) }

    static var postgresTypes: (element: PostgresDataType, array: PostgresDataType) { (.int8, .int8Array) }

    func writePostgresElement(to buffer: inout ByteBuffer) -> Bool {
        buffer.writeInteger(Int32(8))
        buffer.writeInteger(self)
        return true
    }
}

extension Optional: RowValue where Wrapped: RowValue {
    func bind(to statement: SQLitePreparedStatement, at index: Int32) throws {
        if let self { try self.bind(to: statement, at: index) } else { try statement.bindNull(at: index) }
    }

    static var postgresTypes: (element: PostgresDataType, array: PostgresDataType) { Wrapped.postgresTypes }

    func writePostgresElement(to buffer: inout ByteBuffer) -> Bool {
        guard let self else {
            buffer.writeInteger(Int32(-1))
            return false
        }
        return self.writePostgresElement(to: &buffer)
    }
}
