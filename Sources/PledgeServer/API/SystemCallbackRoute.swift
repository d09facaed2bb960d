import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Serves `POST /v1/systems/{systemId}/callback` on the router with the body's exact bytes: the
/// HMAC a system signs covers them, and the generated layer would decode them first (issue 30 §5).
/// Public by design (`APIKeyMiddleware.publicOperations`): the signature under the system's own
/// secret, compared in constant time, is the authentication; the body is capped like any other.
struct SystemCallbackRoute: Sendable {
    static let path = "/v1/systems/{systemId}/callback"
    /// The most an answer may hold (an access answer carries the person's rows).
    static let maximumBody = 16 * 1024 * 1024

    let api: PledgeAPI
    let logger: Logger

    func register(on router: Router<PledgeRequestContext>) {
        router.post(RouterPath(Self.path)) { request, context in
            do {
                let type = request.headers[.contentType]?.lowercased() ?? ""
                guard type.hasPrefix("application/json") else { throw APIError.unsupportedMediaType }
                let body: ByteBuffer
                do {
                    body = try await request.body.collect(upTo: Self.maximumBody)
                } catch {
                    throw APIError.tooLarge("A system's answer", limit: Self.maximumBody)
                }
                let receipt = try await api.systemAnswer(
                    from: context.parameters.get("systemId") ?? "", body: Data(body.readableBytesView), headers: request.headers)
                let json = try ContractJSON.encoder.encode(receipt)
                return Response(status: .ok, headers: ContractJSON.headers, body: .init(byteBuffer: ByteBuffer(bytes: json)))
            } catch {
                // The same envelope as the generated layer: a refusal's code, or `internal` with its cause logged.
                return APIErrorMiddleware.envelope(for: APIError(refusal: error) ?? error, operationID: "receiveSystemAnswer", logger: logger)
                    .response
            }
        }
    }
}
