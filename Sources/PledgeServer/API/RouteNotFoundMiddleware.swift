import HTTPTypes
import Hummingbird

/// Answers requests for routes the contract does not have with the JSON error envelope instead of
/// an empty body: 405 `route.method-not-allowed` with `Allow` when the path exists for other
/// methods (RFC 9110 §15.5.6), else 404 `route.not-found`.
struct RouteNotFoundMiddleware<Context: RequestContext>: RouterMiddleware {
    let rules: ContractRules

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = rules.methods(at: request.uri.path)
            guard allowed.isEmpty || allowed.contains(request.method.rawValue) else {
                let allow = allowed.joined(separator: ", ")
                var response = APIError(
                    .routeMethodNotAllowed,
                    message: "\(request.uri.path) takes \(allow), not \(request.method)."
                ).response
                response.headers[.allow] = allow
                return response
            }
            return APIError(.routeNotFound, message: "There is no \(request.method) \(request.uri.path); see /openapi.yaml for the routes.").response
        }
    }
}
