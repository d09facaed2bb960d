import Foundation

/// Turns the declaration `Schema` into a JSON Schema (draft 2020-12) for editors (`pledge schema`).
public enum JSONSchemaExporter {
    /// The JSON Schema of `pledge.yaml`, pretty-printed with sorted keys so that it diffs cleanly.
    public static func declarationSchema() -> String {
        var root = object(for: Declaration.schema)
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        root["$id"] = "https://pledge.example/schema/pledge-1.json"
        root["title"] = "Pledge declaration (pledge.yaml), format 1"
        let data = try! JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private static func object(for schema: Schema) -> [String: Any] {
        switch schema {
        case .object(let description, let properties):
            var props: [String: Any] = [:]
            for property in properties { props[property.name] = object(for: property.schema) }
            let required = properties.filter(\.isRequired).map(\.name)
            var result: [String: Any] = ["type": "object", "description": description, "properties": props, "additionalProperties": false]
            if !required.isEmpty { result["required"] = required }
            return result
        case .array(let description, let items):
            return ["type": "array", "description": description, "items": object(for: items)]
        case .string(let description, let allowed, let format):
            var result: [String: Any] = ["type": "string", "description": description]
            if let allowed { result["enum"] = allowed }
            switch format {
            case .date?: result["format"] = "date"
            case .period?: result["pattern"] = "^P(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?$"
            case .identifier?: result["pattern"] = "^[a-z0-9_-]+$"
            case .email?: result["format"] = "email"
            case .url?: result["format"] = "uri"
            case .country?: result["pattern"] = "^[A-Za-z]{2}$"
            case nil: break
            }
            return result
        case .integer(let description, let minimum, let maximum):
            var result: [String: Any] = ["type": "integer", "description": description]
            if let minimum { result["minimum"] = minimum }
            if let maximum { result["maximum"] = maximum }
            return result
        case .boolean(let description):
            return ["type": "boolean", "description": description]
        }
    }
}
