import Foundation
import HTTPTypes
import Logging
import OpenAPIRuntime

/// Turns every error out of an operation into the JSON error envelope with the right status:
/// request decoding problems become 400 `request.invalid`, `APIError`s keep their own code, and
/// anything unexpected is logged and answered 500 `internal` without details.
struct APIErrorMiddleware: ServerMiddleware {
    let logger: Logger

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        do {
            return try await next(request, body, metadata)
        } catch {
            let apiError = translate(error, operationID: operationID)
            return (HTTPResponse(status: apiError.status, headerFields: apiError.httpHeaderFields), apiError.httpBody)
        }
    }

    private func translate(_ error: any Error, operationID: String) -> APIError {
        let underlying = (error as? ServerError)?.underlyingError ?? error
        if let apiError = underlying as? APIError { return apiError }
        if let serverError = error as? ServerError, serverError.httpStatus.code < 500 {
            let code = serverError.httpStatus == .unsupportedMediaType ? "request.unsupported-media-type" : "request.invalid"
            return APIError(status: serverError.httpStatus, code: code, message: "The request could not be read: \(serverError.causeDescription).")
        }
        logger.error("Unhandled error", metadata: ["operation": .string(operationID), "error": .string(String(reflecting: underlying))])
        return APIError(status: .internalServerError, code: "internal", message: "Something went wrong on our side; it has been logged.")
    }
}
