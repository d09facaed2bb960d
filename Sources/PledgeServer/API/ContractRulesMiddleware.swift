import HTTPTypes
import OpenAPIRuntime

/// Refuses, before the handler runs, a request that breaks a limit of the contract (`ContractRules`):
/// 400 `request.invalid-value` naming the value, 415 for a body of a type the operation does not
/// list, 413 for a body over the operation's cap; nothing is stored.
///
/// Every body of an operation that takes one is read here, whatever its Content-Type, up to the
/// operation's cap (issue 24 finding 2): the generated layer reads a body of any type it matches
/// (`*/*` matched every case) to its end, so a cap that depended on the type let 1.5 GB through.
struct ContractRulesMiddleware: ServerMiddleware {
    let rules: ContractRules

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var parsed: ContractBody?
        var forwarded = body
        let contentType = request.headerFields[.contentType]
        if let body {
            let operation = rules.operations[operationID] ?? ContractRules.Operation()
            guard operation.accepts(contentType) else { throw APIError.unsupportedMediaType(operation.mediaTypes) }
            let bytes: ArraySlice<UInt8>
            do {
                bytes = try await ArraySlice(collecting: body, upTo: operation.maximumBody)
            } catch {
                throw APIError.tooLarge("The body", limit: operation.maximumBody)
            }
            if operation.body != nil, ContractBody.reads(contentType) {
                parsed = ContractBody(bytes: bytes, contentType: contentType)
            }
            forwarded = HTTPBody(bytes)
        }
        try rules.check(operationID: operationID, target: request.path, pathParameters: metadata.pathParameters, body: parsed)
        return try await next(request, forwarded, metadata)
    }
}
