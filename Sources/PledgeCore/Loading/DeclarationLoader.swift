import Foundation
import Yams

/// The outcome of reading a declaration: the decoded model when the file is usable, and every
/// structural finding, each with its path and, where it can be traced, its line and column.
public struct LoadedDeclaration: Sendable {
    public var declaration: Declaration?
    public var document: DeclarationDocument?
    public var findings: [Finding]
    /// The exact text that was read, so a published version can be reproduced byte for byte.
    public var source: String

    public var isUsable: Bool { declaration != nil && !findings.contains { $0.severity == .error } }
}

/// Reads `pledge.yaml`: YAML syntax, then the schema, then the references between entries.
public enum DeclarationLoader {
    /// Reads a declaration from a file.
    public static func load(contentsOf url: URL) throws -> LoadedDeclaration {
        let data = try Data(contentsOf: url)
        guard let text = String(data: data, encoding: .utf8) else {
            return LoadedDeclaration(
                declaration: nil, document: nil,
                findings: [
                    StructuralRule.yamlSyntax.finding("The file is not UTF-8 text.", at: .root, location: nil)
                ], source: "")
        }
        return load(yaml: text)
    }

    /// Reads a declaration from YAML text.
    public static func load(yaml text: String) -> LoadedDeclaration {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                return failure(StructuralRule.yamlSyntax.finding("The file is empty.", at: .root, location: SourceLocation(line: 1, column: 1)), text)
            }
            root = node
        } catch let error as YamlError {
            return failure(syntaxFinding(error), text)
        } catch {
            return failure(StructuralRule.yamlSyntax.finding("The YAML could not be read: \(error)", at: .root, location: nil), text)
        }

        if case .mapping(let mapping) = root, let version = mapping["pledge"]?.int, !Declaration.supportedFormats.contains(version) {
            return failure(
                StructuralRule.unsupportedVersion.finding(
                    "This declaration is format version \(version); this Pledge reads version \(Declaration.supportedFormats.upperBound).",
                    at: DeclarationPath.root.key("pledge"), location: mapping["pledge"]?.mark.map(SourceLocation.init)), text)
        }

        var validator = SchemaValidator()
        validator.validate(root, against: Declaration.schema, at: .root)
        let document = DeclarationDocument(root: root)
        guard validator.findings.isEmpty else {
            return LoadedDeclaration(declaration: nil, document: document, findings: sorted(validator.findings), source: text)
        }

        let declaration: Declaration
        do {
            declaration = try YAMLDecoder().decode(Declaration.self, from: root.camelCasingKeys())
        } catch let error as DecodingError {
            // The schema check should have caught this; report it rather than crash.
            let (path, message) = describe(error)
            return LoadedDeclaration(
                declaration: nil, document: document,
                findings: [
                    StructuralRule.wrongType.finding(message, at: path, location: document.location(of: path))
                ], source: text)
        } catch {
            return failure(StructuralRule.wrongType.finding("The declaration could not be decoded: \(error)", at: .root, location: nil), text)
        }

        let references = ReferenceChecker(declaration: declaration, document: document).findings()
        return LoadedDeclaration(declaration: declaration, document: document, findings: sorted(references), source: text)
    }

    private static func failure(_ finding: Finding, _ text: String) -> LoadedDeclaration {
        LoadedDeclaration(declaration: nil, document: nil, findings: [finding], source: text)
    }

    private static func sorted(_ findings: [Finding]) -> [Finding] {
        findings.sorted {
            ($0.location?.line ?? .max, $0.location?.column ?? .max, $0.rule) < ($1.location?.line ?? .max, $1.location?.column ?? .max, $1.rule)
        }
    }

    private static func syntaxFinding(_ error: YamlError) -> Finding {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return StructuralRule.yamlSyntax.finding("YAML syntax error: \(detail).", at: .root, location: SourceLocation(mark))
        case .reader(let problem, _, _, _):
            return StructuralRule.yamlSyntax.finding("YAML could not be read: \(problem).", at: .root, location: nil)
        default:
            return StructuralRule.yamlSyntax.finding("YAML syntax error: \(error).", at: .root, location: nil)
        }
    }

    private static func describe(_ error: DecodingError) -> (DeclarationPath, String) {
        let (codingPath, text): ([any CodingKey], String) =
            switch error {
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context):
                (context.codingPath, context.debugDescription)
            @unknown default:
                ([], "\(error)")
            }
        let path = DeclarationPath(
            codingPath.map { key in
                key.intValue.map { .index($0) } ?? .key(snakeCased(key.stringValue))
            })
        return (path, "\(path): \(text)")
    }

    static func snakeCased(_ name: String) -> String {
        name.reduce(into: "") { result, character in
            if character.isUppercase { result += "_" + character.lowercased() } else { result.append(character) }
        }
    }
}

extension Node {
    /// The same tree with `snake_case` mapping keys turned into `camelCase`, so Swift's synthesised
    /// Codable can read YAML's conventional key style.
    func camelCasingKeys() -> Node {
        switch self {
        case .mapping(let mapping):
            var pairs: [(Node, Node)] = []
            for (key, value) in mapping {
                let name = key.string.map(Node.camelCased) ?? ""
                pairs.append((Node(name), value.camelCasingKeys()))
            }
            return .mapping(Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark))
        case .sequence(let sequence):
            return .sequence(Node.Sequence(sequence.map { $0.camelCasingKeys() }, sequence.tag, sequence.style, sequence.mark))
        default:
            return self
        }
    }

    static func camelCased(_ key: String) -> String {
        let parts = key.split(separator: "_")
        guard let first = parts.first else { return key }
        return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
