import Foundation

/// The limits the contract sets on one value: a JSON Schema reduced to what `openapi.yaml` uses.
final class ValueRule: Sendable {
    let type: String?
    /// Whether `null` is allowed (`type: [string, 'null']`); the generated decoders take null for
    /// any optional field, so it is refused here where the contract does not allow it.
    let isNullable: Bool
    let minLength: Int?
    let maxLength: Int?
    let minimum: Double?
    let maximum: Double?
    let allowed: [String]?
    let isUUID: Bool
    let maxItems: Int?
    let items: ValueRule?
    let properties: [String: ValueRule]
    let additionalProperties: ValueRule?

    init(
        type: String?, isNullable: Bool, minLength: Int?, maxLength: Int?, minimum: Double?, maximum: Double?, allowed: [String]?, isUUID: Bool,
        maxItems: Int?, items: ValueRule?, properties: [String: ValueRule], additionalProperties: ValueRule?
    ) {
        self.type = type
        self.isNullable = isNullable
        self.minLength = minLength
        self.maxLength = maxLength
        self.minimum = minimum
        self.maximum = maximum
        self.allowed = allowed
        self.isUUID = isUUID
        self.maxItems = maxItems
        self.items = items
        self.properties = properties
        self.additionalProperties = additionalProperties
    }

    /// Throws `request.invalid-value` (400) naming `path` when `value` breaks a limit. A value of
    /// another type than the rule's is let through: the decoder refuses it with its own message.
    func check(_ value: Any, at path: @autoclosure () -> String) throws(APIError) {
        switch value {
        case let text as String:
            if type == "integer" || type == "number" {
                // Form fields and query parameters carry numbers as text.
                if let number = Double(text) { try checkNumber(number, at: path()) }
                return
            }
            if type == "array", let items {
                return try items.check(text, at: path())
            }
            try checkText(text, at: path())
        case let list as [Any]:
            if let maxItems, list.count > maxItems { throw Self.refusal(path(), "has more than \(maxItems) items") }
            for (index, item) in list.enumerated() { try items?.check(item, at: "\(path())[\(index)]") }
        case let object as [String: Any]:
            try check(fields: object.map { ($0.key, $0.value) }, at: path())
        case let number as Int where type == "integer" || type == "number":
            try checkNumber(Double(number), at: path())
        case let number as NSNumber where type == "integer" || type == "number":
            try checkNumber(number.doubleValue, at: path())
        case is NSNull where !isNullable:
            throw Self.refusal(path(), "must not be null; leave it out instead")
        default:
            return
        }
    }

    /// Checks an object's fields, parsed or decoded (absent ones as nil).
    func check(fields: [(name: String, value: Any?)], at path: @autoclosure () -> String) throws(APIError) {
        for (name, value) in fields {
            if let value { try (properties[name] ?? additionalProperties)?.check(value, at: "\(path()).\(name)") }
        }
    }

    private func checkText(_ text: String, at path: @autoclosure () -> String) throws(APIError) {
        guard type == nil || type == "string" else { return }
        // JSON Schema counts characters as code points.
        let length = text.unicodeScalars.count
        if let maxLength, length > maxLength { throw Self.refusal(path(), "is longer than \(maxLength) characters") }
        if let minLength, length < minLength { throw Self.refusal(path(), "is shorter than \(minLength) characters") }
        if isUUID, UUID(canonical: text) == nil { throw Self.notAnID(text, at: path()) }
        // PostgreSQL's text cannot hold U+0000 (SQLSTATE 22021): refused on both backends alike.
        if text.utf8.contains(0) { throw Self.refusal(path(), "contains the character U+0000, which no text may hold") }
        if let allowed, !allowed.contains(text) { throw Self.refusal(path(), "is not one of \(allowed.joined(separator: ", "))") }
    }

    private func checkNumber(_ number: Double, at path: @autoclosure () -> String) throws(APIError) {
        if let minimum, number < minimum { throw Self.refusal(path(), "is below \(Self.text(minimum))") }
        if let maximum, number > maximum { throw Self.refusal(path(), "is above \(Self.text(maximum))") }
    }

    private static func text(_ number: Double) -> String {
        number == number.rounded() ? String(Int(number)) : String(number)
    }

    /// An id that is not a UUID keeps the code its handler gives: `subjectId` or `subject` → `request.invalid-subject-id`.
    private static func notAnID(_ text: String, at path: String) -> APIError {
        var name = path.split(separator: ".").last.map(String.init) ?? path
        if name.hasSuffix("Id") { name.removeLast(2) }
        return APIError(
            APIErrorCode(rawValue: "request.invalid-\(name)-id") ?? .requestInvalidValue,
            message: "'\(text.prefix(64))' is not a \(name) id (a UUID).")
    }

    private static func refusal(_ path: String, _ problem: String) -> APIError {
        APIError(.requestInvalidValue, message: "'\(path)' \(problem) (see /openapi.yaml).")
    }
}

/// Reads `ValueRule`s from the contract's schema objects, following `$ref`s into `components/schemas`.
struct SchemaReader {
    let schemas: [String: Any]

    func rule(_ schema: [String: Any], depth: Int = 0) throws -> ValueRule {
        // The contract has no recursive schemas; the bound keeps a mistake from looping.
        guard depth < 32 else { throw ContractRulesError.unreadable("schemas nest too deep") }
        if let reference = schema["$ref"] as? String {
            let name = String(reference.split(separator: "/").last ?? "")
            guard let target = schemas[name] as? [String: Any] else { throw ContractRulesError.unreadable("no schema \(reference)") }
            return try rule(target, depth: depth + 1)
        }
        let properties = try (schema["properties"] as? [String: Any] ?? [:]).compactMapValues { value -> ValueRule? in
            guard let value = value as? [String: Any] else { return nil }
            return try rule(value, depth: depth + 1)
        }
        // OpenAPI 3.1 writes a nullable type as a list: [string, 'null'].
        let types = (schema["type"] as? [String]) ?? (schema["type"] as? String).map { [$0] } ?? []
        return ValueRule(
            type: types.first { $0 != "null" }, isNullable: types.contains("null"),
            minLength: schema["minLength"] as? Int, maxLength: schema["maxLength"] as? Int,
            minimum: Self.number(schema["minimum"]), maximum: Self.number(schema["maximum"]),
            allowed: (schema["enum"] as? [Any])?.map { "\($0)" },
            isUUID: schema["format"] as? String == "uuid",
            maxItems: schema["maxItems"] as? Int,
            items: try (schema["items"] as? [String: Any]).map { try rule($0, depth: depth + 1) },
            properties: properties,
            additionalProperties: try (schema["additionalProperties"] as? [String: Any]).map { try rule($0, depth: depth + 1) }
        )
    }

    private static func number(_ value: Any?) -> Double? {
        switch value {
        case let int as Int: Double(int)
        case let double as Double: double
        default: nil
        }
    }
}
