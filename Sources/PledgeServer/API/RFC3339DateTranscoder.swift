import Foundation
import OpenAPIRuntime

/// Dates as the contract writes and reads them (`format: date-time`, RFC 3339 §5.6): written
/// without fractions, read with or without them, since browsers send `toISOString()`'s milliseconds.
struct RFC3339DateTranscoder: DateTranscoder {
    private let whole = ISO8601DateTranscoder.iso8601
    private let fractional = ISO8601DateTranscoder.iso8601WithFractionalSeconds

    func encode(_ date: Date) throws -> String {
        try whole.encode(date)
    }

    func decode(_ text: String) throws -> Date {
        if let date = try? whole.decode(text) { return date }
        return try fractional.decode(text)
    }
}
