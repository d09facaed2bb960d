import Foundation
import PledgeCore

/// JSON written byte for byte as `ContractJSON.encoder` writes it: compact, keys in the order the
/// caller gives (which it keeps sorted), strings as `TextBuffer.append(json:escapingSolidus:)`
/// writes them with `/` escaped, instants as `TextBuffer.append(rfc3339:)`. The direct routes
/// write their answers with it: `JSONEncoder` was a tenth of a consent write's work (bench/http.sh).
/// `JSONTextTests` hold it to `JSONEncoder`'s bytes.
struct JSONText: Sendable {
    private var out = TextBuffer(capacity: 256)
    /// Whether the object or array being written has an element yet (a comma goes before the next).
    private var needsComma = false

    var bytes: [UInt8] { out.bytes }

    mutating func beginObject() {
        separate()
        out.append("{")
        needsComma = false
    }

    mutating func endObject() {
        out.append("}")
        needsComma = true
    }

    /// An array as a member of the object being written.
    mutating func beginArray(_ key: String) {
        self.key(key)
        out.append("[")
        needsComma = false
    }

    mutating func endArray() {
        out.append("]")
        needsComma = true
    }

    mutating func member(_ key: String, _ value: String) {
        self.key(key)
        out.append(json: value, escapingSolidus: true)
    }

    /// A member only when `value` is present, as `encodeIfPresent` leaves out nil.
    mutating func member(_ key: String, _ value: String?) {
        if let value { member(key, value) }
    }

    mutating func member(_ key: String, _ value: Bool) {
        self.key(key)
        out.append(value ? "true" : "false")
    }

    mutating func member(_ key: String, _ value: Int64) {
        self.key(key)
        out.append(String(value))
    }

    mutating func member(_ key: String, _ value: Date) {
        self.key(key)
        out.append("\"")
        out.append(rfc3339: value)
        out.append("\"")
    }

    private mutating func separate() {
        if needsComma { out.append(",") }
    }

    /// The key of the member whose value follows; the member after it takes a comma.
    private mutating func key(_ key: String) {
        separate()
        out.append(json: key, escapingSolidus: true)
        out.append(":")
        needsComma = true
    }
}

/// An answer `JSONText` writes as `ContractJSON.encoder` would.
protocol JSONTextEncodable {
    func write(to json: inout JSONText)
}
