import Foundation
import HTTPTypes

/// JSON as the OpenAPI handlers write and read it (`buildRouter` gives them the same options):
/// sorted keys, RFC 3339 dates (`RFC3339DateTranscoder`). Used where Pledge writes JSON outside those
/// handlers: the direct routes and the error envelope.
enum ContractJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            try dates.decode(try decoder.singleValueContainer().decode(String.self))
        }
        return decoder
    }()

    static let dates = RFC3339DateTranscoder()

    static let headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]

    /// `application/json`, in any case, with any parameters (compared byte by byte: Foundation's
    /// trimming and lowercasing were 2% of a gate decision).
    static func isJSON(_ contentType: String) -> Bool {
        let type = contentType.utf8.prefix { $0 != UInt8(ascii: ";") }
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 }
        guard let first = type.firstIndex(where: { !isSpace($0) }), let last = type.lastIndex(where: { !isSpace($0) }) else { return false }
        let name = type[first...last]
        // A capital ASCII letter is its small letter less 0x20.
        return name.count == json.count && zip(name, json).allSatisfy { $0 == $1 || ($1 >= UInt8(ascii: "a") && $0 == $1 - 0x20) }
    }

    private static let json = Array("application/json".utf8)
}
