/// A JSON object whose values are all strings or lists of strings, read straight from the bytes:
/// the fast path for the bodies clients send at volume (gate decisions, consent writes), where
/// `JSONDecoder` cost a quarter of the request's work on the event loop (perf, bench/http.sh).
///
/// It reads only what it can read exactly as `JSONDecoder` would. Anything else (an escape, a
/// number, `true`, `null`, a nested object, a repeated key, invalid UTF-8, text after the object)
/// gives nil, and the caller decodes with `JSONDecoder`, whose answer and error messages stand.
/// So the fast path can change how quickly a body is read, never what it means.
struct FlatJSONObject {
    enum Value: Equatable {
        case string(String)
        case strings([String])
    }

    /// The members in the order written; keys are unique.
    private(set) var members: [(key: String, value: Value)] = []

    /// The most members it reads; a body with more is left to `JSONDecoder`. The bodies it serves
    /// have a handful, and its check for a repeated key compares each key with those before, which
    /// for a 64 KB body of ~6,900 keys held an event loop for 1.8 s (issue 24 finding 8).
    static let maximumMembers = 16

    init?(_ bytes: UnsafeRawBufferPointer) {
        var reader = Reader(bytes: bytes)
        reader.skipSpace()
        guard reader.take(UInt8(ascii: "{")) else { return nil }
        reader.skipSpace()
        if !reader.take(UInt8(ascii: "}")) {
            repeat {
                reader.skipSpace()
                guard let key = reader.string() else { return nil }
                reader.skipSpace()
                guard reader.take(UInt8(ascii: ":")) else { return nil }
                reader.skipSpace()
                guard members.count < Self.maximumMembers, let value = reader.value(), !members.contains(where: { $0.key == key }) else { return nil }
                members.append((key, value))
                reader.skipSpace()
            } while reader.take(UInt8(ascii: ","))
            guard reader.take(UInt8(ascii: "}")) else { return nil }
        }
        reader.skipSpace()
        guard reader.atEnd else { return nil }
    }

    /// Whether every key is one of `strings` with a string value or one of `lists` with a list:
    /// a body with any other key is left to `JSONDecoder`.
    func conforms(strings: [String], lists: [String] = []) -> Bool {
        members.allSatisfy { member in
            switch member.value {
            case .string: strings.contains(member.key)
            case .strings: lists.contains(member.key)
            }
        }
    }

    /// The string under `key`, nil when absent.
    func string(_ key: String) -> String? {
        guard case .string(let text)? = value(key) else { return nil }
        return text
    }

    /// The list of strings under `key`, nil when absent.
    func strings(_ key: String) -> [String]? {
        guard case .strings(let list)? = value(key) else { return nil }
        return list
    }

    private func value(_ key: String) -> Value? {
        members.first { $0.key == key }?.value
    }

    /// A cursor over the bytes.
    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var index = 0

        var atEnd: Bool { index == bytes.count }

        /// JSON's whitespace (RFC 8259 §2): space, tab, line feed, carriage return.
        mutating func skipSpace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D {
                index += 1
            }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func value() -> Value? {
            if let text = string() { return .string(text) }
            guard take(UInt8(ascii: "[")) else { return nil }
            var list: [String] = []
            skipSpace()
            if take(UInt8(ascii: "]")) { return .strings(list) }
            repeat {
                skipSpace()
                guard let text = string() else { return nil }
                list.append(text)
                skipSpace()
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "]")) ? .strings(list) : nil
        }

        /// A string without escapes; nil for anything else, and for an escape or a control
        /// character (which JSON allows only escaped) inside one.
        mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let text = String(validating: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                    index += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
                index += 1
            }
            return nil
        }
    }
}
