/// A value a `RowInsert` writes: text, a 64-bit integer, or nil of either. Each kind binds itself
/// to a SQLite statement, so the journal's direct handle needs no runtime casts (they were a tenth
/// of the writer thread, bench/http.sh); through SQLKit it is any `Encodable`.
protocol RowValue: Encodable, Sendable {
    /// Binds the value to parameter `index` (from 1) of `statement`.
    func bind(to statement: SQLitePreparedStatement, at index: Int32) throws
}

extension String: RowValue {
    func bind(to statement: SQLitePreparedStatement, at index: Int32) throws { try statement.bind(text: self, at: index) }
}

extension Int64: RowValue {
    func bind(to statement: SQLitePreparedStatement, at index: Int32) throws { try statement.bind(integer: self, at: index) }
}

extension Optional: RowValue where Wrapped: RowValue {
    func bind(to statement: SQLitePreparedStatement, at index: Int32) throws {
        if let self { try self.bind(to: statement, at: index) } else { try statement.bindNull(at: index) }
    }
}
