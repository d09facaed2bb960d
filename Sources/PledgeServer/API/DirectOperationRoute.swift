import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Serves one keyed JSON operation of the contract straight from the router, for the operations a
/// client calls at volume (gate decisions, consent writes). The OpenAPI handler layer (its runtime
/// converter and three middlewares, each a further async hop on the event loop) cost about a third
/// of such a request (perf, bench/http.sh). The route calls the very same `PledgeAPI` handler with
/// the same key check (`APIKeyMiddleware.admitted`), error envelope (`APIErrorMiddleware.envelope`)
/// and JSON as the contract; the contract stays the route's one description (`ContractTransport`
/// leaves it out of the generated registration).
struct DirectOperationRoute<Body: Decodable & Sendable, Answer: Encodable & Sendable>: Sendable {
    let method: HTTPRequest.Method
    /// The contract's path, parameters in braces: `/v1/subjects/{subjectId}/consents`.
    let path: String
    let operationID: String
    let status: HTTPResponse.Status
    /// Calls the contract's handler with the decoded body and the path's parameters.
    let handle: @Sendable (Body, Parameters) async throws -> Answer

    /// How `ContractTransport.servedElsewhere` names this operation.
    var contractKey: String { ContractTransport.key(method, path) }

    /// The most a JSON body of these operations may hold.
    static var maximumBody: Int { 64 * 1024 }

    func register(on router: Router<PledgeRequestContext>, access: APIKeyMiddleware, rules: ContractRules, logger: Logger) {
        router.on(RouterPath(path), method: method) { request, context in
            do {
                let answer = try await access.admitted(operationID, headers: request.headers) {
                    try await handle(try await decode(request, parameters: context.parameters, rules: rules), context.parameters)
                }
                return Response(status: status, headers: ContractJSON.headers, body: .init(byteBuffer: ByteBuffer(bytes: try ContractJSON.encoder.encode(answer))))
            } catch {
                return APIErrorMiddleware.envelope(for: error, operationID: operationID, logger: logger).response
            }
        }
    }

    /// The body, once the request is within the contract's limits (as `ContractRulesMiddleware` checks them for the generated handlers).
    private func decode(_ request: Request, parameters: Parameters, rules: ContractRules) async throws -> Body {
        // As the generated server: JSON, or no Content-Type at all.
        let contentType = request.headers[.contentType]
        if let contentType, !ContractJSON.isJSON(contentType) { throw APIError.unsupportedMediaType }
        let bytes: ByteBuffer
        do {
            bytes = try await request.body.collect(upTo: Self.maximumBody)
        } catch {
            throw APIError.tooLarge("The body", limit: Self.maximumBody)
        }
        try rules.check(operationID: operationID, target: nil, pathParameters: Dictionary(parameters.map { (String($0.key), $0.value) }, uniquingKeysWith: { $1 }),
                        body: ContractBody(bytes: bytes.readableBytesView, contentType: contentType))
        do {
            return try ContractJSON.decoder.decode(Body.self, from: Data(bytes.readableBytesView))
        } catch {
            throw APIError.unreadable(String(describing: error))
        }
    }
}
