import HTTPTypes
import Hummingbird
import OpenAPIHummingbird
import OpenAPIRuntime

/// Registers the OpenAPI contract's handlers on the router, except the operations Pledge serves
/// with a route of its own (listed by method and path, e.g. `PageViewRoute`). The contract stays
/// the one description of every route; this only decides which code answers.
struct ContractTransport: ServerTransport {
    let router: Router<PledgeRequestContext>
    /// `key(method, path)` of the operations served elsewhere.
    let servedElsewhere: Set<String>

    /// "METHOD /path", the path as the contract writes it.
    static func key(_ method: HTTPRequest.Method, _ path: String) -> String { "\(method.rawValue) \(path)" }

    func register(
        _ handler: @escaping @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?),
        method: HTTPRequest.Method, path: String
    ) throws {
        guard !servedElsewhere.contains(Self.key(method, path)) else { return }
        router.register(handler, method: method, path: path)
    }
}
