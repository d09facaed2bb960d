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

    /// A JSON answer's headers, with the security headers every answer carries (`SecurityHeaders`).
    static let headers = HTTPFields([HTTPField(name: .contentType, value: "application/json; charset=utf-8")] + SecurityHeaders.data)

    /// `application/json`, in any case, with any parameters.
    static func isJSON(_ contentType: String) -> Bool {
        contentType.isMediaType("application/json")
    }
}
