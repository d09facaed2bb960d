import HTTPTypes
import OpenAPIRuntime

/// Refuses, before the handler runs, a request that breaks a limit of the contract (`ContractRules`):
/// 400 `request.invalid-value` naming the value, and nothing is read or stored.
struct ContractRulesMiddleware: ServerMiddleware {
    let rules: ContractRules

    /// The most a JSON or form body may hold for its limits to be read (the largest the contract
    /// takes is a declaration of 1 MiB).
    static let maximumBody = 2 * 1024 * 1024

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var parsed: ContractBody?
        var forwarded = body
        let contentType = request.headerFields[.contentType]
        if let body, rules.operations[operationID]?.body != nil, ContractBody.reads(contentType) {
            let bytes: ArraySlice<UInt8>
            do {
                bytes = try await ArraySlice(collecting: body, upTo: Self.maximumBody)
            } catch {
                throw APIError.tooLarge("The body", limit: Self.maximumBody)
            }
            parsed = ContractBody(bytes: bytes, contentType: contentType)
            forwarded = HTTPBody(bytes)
        }
        try rules.check(operationID: operationID, target: request.path, pathParameters: metadata.pathParameters, body: parsed)
        return try await next(request, forwarded, metadata)
    }
}
