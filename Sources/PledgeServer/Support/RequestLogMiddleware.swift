import Hummingbird
import Logging

/// One log line per request, once it is answered: method, route, status and milliseconds. The route
/// is the contract's template (`/v1/subjects/{subjectId}`), never the path as sent: paths and
/// queries carry a case's follow key, a verification token or a visitor's consent id, which are
/// secrets, and subject ids, which a request log does not need (who used what is in the audit
/// trail, C14). Hummingbird's LogRequestsMiddleware logs the whole URI.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let level: Logger.Level

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.logger.logLevel <= level else { return try await next(request, context) }
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context: context, status: response.status.code, since: start)
            return response
        } catch {
            log(request, context: context, status: (error as? any HTTPResponseError)?.status.code ?? 500, since: start)
            throw error
        }
    }

    private func log(_ request: Request, context: Context, status: Int, since start: ContinuousClock.Instant) {
        let elapsed = start.duration(to: .now)
        let milliseconds = Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.log(
            level: level, "Request",
            metadata: [
                "http.method": .string(request.method.rawValue),
                "http.route": .string(context.endpointPath ?? "unknown"),
                "http.status": .stringConvertible(status),
                // Tenths of a millisecond, without String(format:), which is slow on Linux and runs per request.
                "duration_ms": .stringConvertible((milliseconds * 10).rounded() / 10),
            ])
    }
}
