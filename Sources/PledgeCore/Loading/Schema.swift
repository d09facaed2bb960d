/// The shape of a declaration, written once and used twice: to check a file before it is decoded
/// (unknown keys, missing fields, wrong types, with line and column) and to publish a JSON Schema
/// (`pledge schema`) that editors use to validate and autocomplete.
public indirect enum Schema: Sendable {
    case object(description: String, properties: [SchemaProperty])
    case array(description: String, items: Schema)
    case string(description: String, allowed: [String]? = nil, format: StringFormat? = nil)
    case integer(description: String, minimum: Int? = nil, maximum: Int? = nil)
    case boolean(description: String)

    /// Extra rules for strings that the type alone does not express.
    public enum StringFormat: String, Sendable {
        case date  // YYYY-MM-DD
        case period  // ISO 8601 duration of years, months, days
        case identifier  // lowercase slug used to refer to an entry
        case email
        case url
        case country  // ISO 3166-1 alpha-2
    }

    public var description: String {
        switch self {
        case .object(let d, _), .array(let d, _), .string(let d, _, _), .integer(let d, _, _), .boolean(let d): d
        }
    }

    /// A string limited to the raw values of a Swift enum, so the Swift type stays the single source.
    public static func oneOf<E: CaseIterable & RawRepresentable>(_ type: E.Type, _ description: String) -> Schema
    where E.RawValue == String {
        .string(description: description, allowed: E.allCases.map(\.rawValue))
    }

    public static func text(_ description: String) -> Schema { .string(description: description) }
    public static func date(_ description: String) -> Schema { .string(description: description, format: .date) }
    public static func identifier(_ description: String) -> Schema { .string(description: description, format: .identifier) }
    public static func list(_ description: String, _ items: Schema) -> Schema { .array(description: description, items: items) }
    public static func flag(_ description: String) -> Schema { .boolean(description: description) }
}

/// One key of an object schema.
public struct SchemaProperty: Sendable {
    public var name: String
    public var schema: Schema
    public var isRequired: Bool

    public static func required(_ name: String, _ schema: Schema) -> SchemaProperty {
        SchemaProperty(name: name, schema: schema, isRequired: true)
    }

    public static func optional(_ name: String, _ schema: Schema) -> SchemaProperty {
        SchemaProperty(name: name, schema: schema, isRequired: false)
    }
}

/// A declaration type that describes its own YAML shape.
public protocol SchemaDescribed {
    static var schema: Schema { get }
}
