import Foundation
import HTTPTypes
import Logging
import OpenAPIRuntime
import PledgeCore

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
            let apiError = Self.envelope(for: error, operationID: operationID, logger: logger)
            return (HTTPResponse(status: apiError.status, headerFields: apiError.httpHeaderFields), apiError.httpBody)
        }
    }

    /// What the client is told about `error`; an unexpected one is logged here. Also used by the
    /// routes that serve an operation outside the OpenAPI handlers.
    static func envelope(for error: any Error, operationID: String, logger: Logger) -> APIError {
        let underlying = (error as? ServerError)?.underlyingError ?? error
        if let apiError = underlying as? APIError { return apiError }
        if let serverError = error as? ServerError, serverError.httpStatus.code < 500 {
            if serverError.httpStatus == .unsupportedMediaType { return .unsupportedMediaType }
            return .unreadable(serverError.causeDescription, status: serverError.httpStatus)
        }
        logger.error("Unhandled error", metadata: ["operation": .string(operationID), "error": .string(String(reflecting: underlying))])
        return APIError(.internalError, message: "Something went wrong on our side; it has been logged.")
    }
}

extension APIError {
    /// A body that is not what the operation takes (malformed JSON, a missing or mistyped field).
    static func unreadable(_ cause: String, status: HTTPResponse.Status = .badRequest) -> APIError {
        APIError(.requestInvalid, status: status, message: "The request could not be read: \(cause).")
    }

    /// A key whose role lacks `permission`.
    static func roleRefused(_ role: Role, needs permission: Permission) -> APIError {
        APIError(.authRole, message: "A key with role '\(role)' may not do this (needs '\(permission.rawValue)').")
    }

    /// A body over `limit` bytes; `subject` says what it is ("A page view", "The body").
    static func tooLarge(_ subject: String, limit: Int) -> APIError {
        APIError(.requestTooLarge, message: "\(subject) is at most \(limit) bytes.")
    }

    static let unsupportedMediaType = unsupportedMediaType(["application/json"])

    /// A body of a type the operation does not take; `accepted` lists those it does.
    static func unsupportedMediaType(_ accepted: [String]) -> APIError {
        APIError(
            .requestUnsupportedMediaType,
            message: "The request could not be read: send the body as \(accepted.joined(separator: " or ")).")
    }
}
