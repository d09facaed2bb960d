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
struct DirectOperationRoute<Body: DirectOperationBody, Answer: JSONTextEncodable & Sendable>: Sendable {
    let method: HTTPRequest.Method
    /// The contract's path, parameters in braces: `/v1/subjects/{subjectId}/consents`.
    let path: String
    let operationID: String
    let status: HTTPResponse.Status
    /// Calls the contract's handler with the decoded body and the path's parameters.
    let handle: @Sendable (Body, Parameters) async throws -> Answer

    /// How `ContractTransport.servedElsewhere` names this operation.
    var contractKey: String { ContractTransport.key(method, path) }

    /// Whether `bytes` hold the four bytes `null` anywhere (a plain loop: Foundation's generic
    /// `firstRange(of:)` cost 6% of a decision).
    static func mentionsNull(_ bytes: ByteBuffer) -> Bool {
        bytes.withUnsafeReadableBytes { raw in
            guard raw.count >= 4 else { return false }
            for index in 0...(raw.count - 4) where raw[index] == UInt8(ascii: "n") {
                if raw[index + 1] == UInt8(ascii: "u"), raw[index + 2] == UInt8(ascii: "l"), raw[index + 3] == UInt8(ascii: "l") { return true }
            }
            return false
        }
    }

    /// The most a JSON body of these operations may hold.
    static var maximumBody: Int { 64 * 1024 }

    func register(on router: Router<PledgeRequestContext>, access: APIKeyMiddleware, rules: ContractRules, logger: Logger) {
        // Looked up once here, not on every request.
        let operation = rules.operations[operationID]
        router.on(RouterPath(path), method: method) { request, context in
            do {
                let answer = try await access.admitted(operationID, headers: request.headers) {
                    try await handle(try await decode(request, parameters: context.parameters, operation: operation), context.parameters)
                }
                var json = JSONText()
                answer.write(to: &json)
                return Response(status: status, headers: ContractJSON.headers, body: .init(byteBuffer: ByteBuffer(bytes: json.bytes)))
            } catch {
                return APIErrorMiddleware.envelope(for: error, operationID: operationID, logger: logger).response
            }
        }
    }

    /// The body, once the request is within the contract's limits (as `ContractRulesMiddleware` checks them for the generated handlers).
    private func decode(_ request: Request, parameters: Parameters, operation: ContractRules.Operation?) async throws -> Body {
        // As the generated server: JSON, or no Content-Type at all.
        let contentType = request.headers[.contentType]
        if let contentType, !ContractJSON.isJSON(contentType) { throw APIError.unsupportedMediaType }
        let bytes: ByteBuffer
        do {
            bytes = try await request.body.collect(upTo: Self.maximumBody)
        } catch {
            throw APIError.tooLarge("The body", limit: Self.maximumBody)
        }
        let flat = bytes.withUnsafeReadableBytes { FlatJSONObject($0) }.flatMap(Body.init(flat:))
        let body: Body
        do {
            body = try flat ?? ContractJSON.decoder.decode(Body.self, from: Data(bytes.readableBytesView))
        } catch {
            throw APIError.unreadable(String(describing: error))
        }
        // The decoded fields are checked unless the text may have a null, which decoding cannot tell
        // from an absent field: then the parsed JSON is (parsing it every time cost a third of a
        // decision). A body the flat reader took has no null.
        if flat != nil || !Self.mentionsNull(bytes) {
            try operation?.check(pathParameters: parameters, fields: body.contractFields)
        } else {
            try operation?.check(
                target: nil, pathParameters: parameters, body: ContractBody(bytes: bytes.readableBytesView, contentType: contentType))
        }
        return body
    }
}
