import Foundation
import HTTPTypes
import PledgeCore
import Yams

/// What the contract (`openapi.yaml`) lets a request carry, read once from the shipped document:
/// its routes with their methods, and the limits on parameters and bodies. The generated server
/// decodes types but checks none of the limits (`maxLength`, `minimum`, `format: uuid`, `enum`,
/// `maxItems`), so a request over them would otherwise be accepted although the contract refuses it.
struct ContractRules: Sendable {
    /// The limits on one operation's inputs.
    struct Operation: Sendable {
        /// Query and path parameters by name.
        var query: [String: ValueRule] = [:]
        var path: [String: ValueRule] = [:]
        /// The JSON or form body's rule, when the operation takes one.
        var body: ValueRule?
        /// The media types the operation's body may have (the keys of `requestBody.content`, in
        /// lower case); empty when it takes no body.
        var mediaTypes: [String] = []

        /// The most its body may hold, whatever its type: an identity document of
        /// `IdentityDocument.maximumBytes` with its form's framing for a multipart body, 2 MiB for
        /// the others (the largest is a declaration of 1 MiB), and 64 KiB of one sent to an
        /// operation that takes none, so no body is left for the server to drain unbounded.
        var maximumBody: Int {
            if mediaTypes.isEmpty { return 64 * 1024 }
            return mediaTypes.contains("multipart/form-data") ? IdentityDocument.maximumBytes + 1024 * 1024 : 2 * 1024 * 1024
        }

        /// Whether a body of `contentType` is one the operation takes. No Content-Type at all is
        /// read as the first listed type, as the generated server does; a wildcard such as `*/*`
        /// names no type and is refused. An operation that takes no body reads past any type.
        func accepts(_ contentType: String?) -> Bool {
            guard let contentType, !contentType.isEmpty, !mediaTypes.isEmpty else { return true }
            return mediaTypes.contains { contentType.isMediaType($0) }
        }

        /// Checks the path's parameters: a dictionary, or the router's own list as it comes.
        func check<Name: StringProtocol>(pathParameters: some Sequence<(key: Name, value: Substring)>) throws(APIError) {
            for (name, value) in pathParameters {
                try path[String(name)]?.check(value.percentDecoded, at: String(name))
            }
        }

        /// Checks the path's parameters and the fields of a body already decoded (absent ones as nil).
        func check<Name: StringProtocol>(
            pathParameters: some Sequence<(key: Name, value: Substring)>,
            fields: [(name: String, value: Any?)]
        ) throws(APIError) {
            try check(pathParameters: pathParameters)
            try body?.check(fields: fields, at: "body")
        }

        /// Checks the path's parameters, the query of `target` and the parsed `body`.
        func check<Name: StringProtocol>(
            target: String?, pathParameters: some Sequence<(key: Name, value: Substring)>,
            body: ContractBody?
        ) throws(APIError) {
            try check(pathParameters: pathParameters)
            if let query = target?.split(separator: "?", maxSplits: 1).dropFirst().first, !self.query.isEmpty {
                for (name, value) in FormFields.pairs(query) {
                    try self.query[name]?.check(value, at: name)
                }
            }
            if let rule = self.body, let body {
                try rule.check(body.value, at: "body")
            }
        }
    }

    /// A path template's segments ("{…}" matches any one segment) and the methods it serves.
    struct Route: Sendable {
        let segments: [String]
        let methods: [String]

        /// 1 for each literal segment, 0 for each parameter: the more specific route compares greater.
        var literals: [Int] { segments.map { $0.hasPrefix("{") ? 0 : 1 } }

        func matches(_ path: [Substring]) -> Bool {
            segments.count == path.count && zip(segments, path).allSatisfy { template, actual in template.hasPrefix("{") || template == actual }
        }
    }

    let operations: [String: Operation]
    let routes: [Route]

    /// Reads the rules from the contract's YAML.
    init(yaml: String) throws {
        guard let document = try Yams.load(yaml: yaml) as? [String: Any], let paths = document["paths"] as? [String: Any] else {
            throw ContractRulesError.unreadable("no paths")
        }
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
        let reader = SchemaReader(schemas: schemas)
        var operations: [String: Operation] = [:]
        var routes: [Route] = []
        for (path, item) in paths {
            guard let item = item as? [String: Any] else { continue }
            let shared = item["parameters"] as? [[String: Any]] ?? []
            var methods: [String] = []
            for (method, value) in item where Self.methods.contains(method) {
                guard let operation = value as? [String: Any], let id = operation["operationId"] as? String else { continue }
                methods.append(method.uppercased())
                var rules = Operation()
                for parameter in shared + (operation["parameters"] as? [[String: Any]] ?? []) {
                    guard let name = parameter["name"] as? String, let schema = parameter["schema"] as? [String: Any] else { continue }
                    switch parameter["in"] as? String {
                    case "query": rules.query[name] = try reader.rule(schema)
                    case "path": rules.path[name] = try reader.rule(schema)
                    default: break
                    }
                }
                let content = (operation["requestBody"] as? [String: Any])?["content"] as? [String: Any] ?? [:]
                rules.mediaTypes = content.keys.map { $0.lowercased() }.sorted()
                if let form = (content["application/json"] ?? content["application/x-www-form-urlencoded"]) as? [String: Any],
                    let schema = form["schema"] as? [String: Any]
                {
                    rules.body = try reader.rule(schema)
                }
                operations[id] = rules
            }
            routes.append(Route(segments: path.split(separator: "/").map(String.init), methods: methods.sorted()))
        }
        self.operations = operations
        self.routes = routes
    }

    private static let methods: Set = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    /// The contract's rules, from the document shipped in the bundle.
    static func bundled() throws -> ContractRules {
        try ContractRules(yaml: OpenAPIDocument.text())
    }

    /// The methods the contract serves on `path` (without its query); empty when it has no such route.
    /// A literal segment wins over a parameter, as in the router's trie: `/v1/campaigns/preview` is
    /// the preview's path only, not also `/v1/campaigns/{campaignId}`.
    func methods(at path: String) -> [String] {
        let segments = path.split(separator: "/")
        let matching = routes.filter { $0.matches(segments) }
        guard let best = matching.map(\.literals).max(by: { $0.lexicographicallyPrecedes($1) }) else { return [] }
        return Array(Set(matching.filter { $0.literals == best }.flatMap(\.methods))).sorted()
    }

    /// Refuses a request whose parameters or body break a limit of operation `operationID`, naming
    /// the value and the limit. Values of the wrong type are left to the decoder, which names them too.
    func check(operationID: String, target: String?, pathParameters: [String: Substring], body: ContractBody?) throws(APIError) {
        try operations[operationID]?.check(target: target, pathParameters: pathParameters, body: body)
    }
}

enum ContractRulesError: Error, CustomStringConvertible {
    case unreadable(String)

    var description: String {
        switch self {
        case .unreadable(let why): "openapi.yaml could not be read for its rules: \(why)"
        }
    }
}

/// A request body as the contract's rules see it: parsed JSON, or a form's fields as strings.
struct ContractBody {
    let value: Any

    /// The media types the rules read; no Content-Type at all is read as JSON, as the generated server does.
    private enum MediaType {
        case json, form

        init?(_ contentType: String?) {
            // An empty Content-Type counts as none.
            guard let contentType, !contentType.isEmpty else { self = .json; return }
            if ContractJSON.isJSON(contentType) {
                self = .json
            } else if contentType.isMediaType("application/x-www-form-urlencoded") {
                self = .form
            } else {
                return nil
            }
        }
    }

    /// Whether a body of `contentType` is one the rules read (JSON or a URL-encoded form).
    static func reads(_ contentType: String?) -> Bool {
        MediaType(contentType) != nil
    }

    /// The body, when its media type is one the rules read and it parses.
    init?(bytes: some Collection<UInt8>, contentType: String?) {
        switch MediaType(contentType) {
        case .json:
            guard let value = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) else { return nil }
            self.value = value
        case .form:
            var fields: [String: Any] = [:]
            for (name, value) in FormFields.pairs(Substring(decoding: bytes, as: UTF8.self)) { fields[name] = value }
            self.value = fields
        case nil:
            return nil
        }
    }
}

/// `name=value&…` pairs as sent by forms and in query strings, decoded (`+` is a space).
enum FormFields {
    static func pairs(_ text: Substring) -> [(String, String)] {
        text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    private static func decode(_ text: Substring) -> String {
        text.replacingOccurrences(of: "+", with: " ").percentDecoded
    }
}
