import FluentPostgresDriver
import NIOCore

/// One column of a `RowInsert`'s rows as a single PostgreSQL array bind, which the statement reads
/// back row by row with `unnest` (`RowInsert.run(_:on:)`).
///
/// Written straight into PostgreSQL's binary array format (`array_recv`: dimensions, a has-NULL
/// flag, the element type, each dimension's length and lower bound, then each element with its
/// length), with no casts or intermediate values.
struct PostgresArrayColumn: PostgresThrowingDynamicTypeEncodable {
    /// The rows' values, row after row, `width` to a row.
    let values: [any RowValue]
    let width: Int
    /// Which value of each row.
    let column: Int
    /// The values' types (`RowValue.postgresTypes`).
    let types: (element: PostgresDataType, array: PostgresDataType)

    var psqlType: PostgresDataType { types.array }
    var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        let rows = values.count / width
        buffer.writeInteger(Int32(1))
        let flagAt = buffer.writerIndex
        buffer.writeInteger(Int32(0))
        buffer.writeInteger(types.element.rawValue)
        buffer.writeInteger(Int32(rows))
        buffer.writeInteger(Int32(1))
        var hasNull = false
        for row in 0..<rows where !values[row * width + column].writePostgresElement(to: &buffer) {
            hasNull = true
        }
        if hasNull { buffer.setInteger(Int32(1), at: flagAt) }
    }
}
