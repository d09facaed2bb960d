import Foundation

/// RFC 4180 CSV, written straight into bytes: no array of cells or date text per row (an access
/// export's tables hold tens of thousands of rows).
enum CSVTable {
    /// One row being written; fields are separated as they come.
    struct Row {
        fileprivate var text: TextBuffer
        fileprivate var first = true

        /// A text field, quoted when it needs to be.
        mutating func field(_ value: String) {
            separate()
            text.append(csv: value)
        }

        /// An instant as RFC 3339 in UTC (never needs quoting).
        mutating func instant(_ value: Date) {
            separate()
            text.append(rfc3339: value)
        }

        private mutating func separate() {
            if !first { text.append(",") }
            first = false
        }
    }

    /// The table of `rows` under `header`, each row's fields written by `write`.
    static func render<Element>(_ header: [String], _ rows: [Element], _ write: (inout Row, Element) -> Void) -> [UInt8] {
        var row = Row(text: TextBuffer(capacity: 96 * (rows.count + 1)))
        for title in header { row.field(title) }
        row.text.append("\r\n")
        for element in rows {
            row.first = true
            write(&row, element)
            row.text.append("\r\n")
        }
        return row.text.bytes
    }

    /// The table of `rows` of text under `header`.
    static func render(_ header: [String], _ rows: [[String]]) -> [UInt8] {
        render(header, rows) { row, cells in
            for cell in cells { row.field(cell) }
        }
    }
}
