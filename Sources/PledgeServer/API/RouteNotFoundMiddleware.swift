import Hummingbird

/// Answers requests for routes the contract does not have with the JSON error envelope
/// (`route.not-found`, 404) instead of an empty body.
struct RouteNotFoundMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return APIError(status: .notFound, code: "route.not-found", message: "There is no \(request.method) \(request.uri.path); see /openapi.yaml for the routes.").response
        }
    }
}
