import Foundation
import Yams

/// Checks a YAML node tree against a `Schema` and reports every mismatch with its line and column.
struct SchemaValidator {
    private(set) var findings: [Finding] = []

    mutating func validate(_ node: Node, against schema: Schema, at path: DeclarationPath) {
        switch schema {
        case .object(_, let properties):
            guard case .mapping(let mapping) = node else { return mismatch(node, expected: "a mapping of keys to values", at: path) }
            let known = properties.map(\.name)
            var seen = Set<String>()
            for (keyNode, value) in mapping {
                let key = keyNode.string ?? ""
                seen.insert(key)
                guard let property = properties.first(where: { $0.name == key }) else {
                    let suggestion = NearestName.suggestion(for: key, among: known)
                    report(
                        StructuralRule.unknownKey, "Unknown key '\(key)' in \(path)." + hint(suggestion),
                        path.key(key), keyNode.mark, suggestion: suggestion)
                    continue
                }
                if value.isNull {
                    if property.isRequired {
                        report(StructuralRule.missingKey, "'\(key)' needs a value.", path.key(key), value.mark ?? keyNode.mark)
                    }
                    continue
                }
                validate(value, against: property.schema, at: path.key(key))
            }
            for property in properties where property.isRequired && !seen.contains(property.name) {
                report(
                    StructuralRule.missingKey, "Missing required key '\(property.name)' in \(path): \(property.schema.description)",
                    path.key(property.name), node.mark)
            }
        case .array(_, let items):
            guard case .sequence(let sequence) = node else { return mismatch(node, expected: "a list", at: path) }
            for (index, item) in sequence.enumerated() {
                validate(item, against: items, at: path.index(index))
            }
        case .string(_, let allowed, let format):
            guard case .scalar(let scalar) = node else { return mismatch(node, expected: "a text value", at: path) }
            if let allowed, !allowed.contains(scalar.string) {
                let suggestion = NearestName.suggestion(for: scalar.string, among: allowed)
                report(
                    StructuralRule.invalidValue,
                    "'\(scalar.string)' is not allowed for \(path); use one of: \(allowed.joined(separator: ", ")).",
                    path, node.mark, suggestion: suggestion)
            }
            if let format, let problem = Self.problem(with: scalar.string, format: format) {
                report(StructuralRule.invalidFormat, "\(path): \(problem)", path, node.mark)
            }
        case .integer(_, let minimum, let maximum):
            guard case .scalar(let scalar) = node, let value = Int(scalar.string) else {
                return mismatch(node, expected: "a whole number", at: path)
            }
            if let minimum, value < minimum {
                report(StructuralRule.invalidValue, "\(path) must be at least \(minimum); it is \(value).", path, node.mark)
            }
            if let maximum, value > maximum {
                report(StructuralRule.invalidValue, "\(path) must be at most \(maximum); it is \(value).", path, node.mark)
            }
        case .boolean:
            guard case .scalar = node, node.bool != nil else { return mismatch(node, expected: "true or false", at: path) }
        }
    }

    private mutating func mismatch(_ node: Node, expected: String, at path: DeclarationPath) {
        report(StructuralRule.wrongType, "\(path) should be \(expected).", path, node.mark)
    }

    private mutating func report(_ rule: StructuralRule, _ message: String, _ path: DeclarationPath, _ mark: Mark?, suggestion: String? = nil) {
        findings.append(rule.finding(message, at: path, location: mark.map(SourceLocation.init), suggestion: suggestion))
    }

    private func hint(_ suggestion: String?) -> String {
        suggestion.map { " Did you mean '\($0)'?" } ?? ""
    }

    /// What is wrong with `text` for `format`, or nil when it is fine.
    static func problem(with text: String, format: Schema.StringFormat) -> String? {
        switch format {
        case .date:
            return CalendarDate(text) == nil ? "'\(text)' is not a date of the form YYYY-MM-DD." : nil
        case .period:
            return RetentionPeriod(text) == nil ? "'\(text)' is not a period such as P12M, P6Y or P30D." : nil
        case .identifier:
            let valid = !text.isEmpty && text.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_" }
            return valid ? nil : "'\(text)' is not an id: use lower-case letters, digits, '-' and '_'."
        case .email:
            let parts = text.split(separator: "@")
            return parts.count == 2 && parts[1].contains(".") && !text.contains(" ") ? nil : "'\(text)' is not an email address."
        case .url:
            guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                return "'\(text)' is not a web address starting with https://."
            }
            return nil
        case .country:
            return text.count == 2 && text.allSatisfy(\.isLetter) ? nil : "'\(text)' is not a two-letter country code such as GB or US."
        }
    }
}

extension Node {
    /// True for an empty value (`key:` with nothing after it, `~` or `null`).
    var isNull: Bool { null != nil }
}
