import Dispatch
import Hummingbird
import Metrics

/// Request counts, errors, durations and requests in flight, under the names and labels of
/// Hummingbird's `MetricsMiddleware` (`hb_requests`, `hb_request_errors`,
/// `http_server_request_duration_seconds`, `http_server_active_requests`).
///
/// Hummingbird's middleware records after the body is written, through `withPostWriteClosure`: that
/// turns every body into a closure, which takes the response off Hummingbird's one-write path (head,
/// body and end in one batch), so every answer went out in two socket writes with two encoder passes
/// (strace under bench/http.sh: 2.2 writes a request). This one records when the handler returns: the
/// duration is the time to the answer, not to its last byte sent.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    private let metrics = RequestMetrics()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        let active = metrics.active(request.method)
        active.increment()
        defer { active.decrement() }
        do {
            let response = try await next(request, context)
            metrics.endpoint(context.endpointPath ?? "Unknown", request.method, response.status)
                .record(since: start, failed: false)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            metrics.endpoint(context.endpointPath ?? "NotFound", request.method, status).record(since: start, failed: true)
            throw error
        }
    }
}

/// The metric objects of `RequestMetricsMiddleware`, made once per route, method and status.
final class RequestMetrics: Sendable {
    struct Endpoint: Sendable {
        let requests: Counter
        /// Only for error statuses: a counter of errors for a 200 would always read 0.
        let errors: Counter?
        let duration: Timer

        init(_ key: EndpointKey) {
            let labels = [("http.route", key.route), ("http.request.method", key.method.rawValue)]
            let status = key.status.code.description
            requests = Counter(label: "hb.requests", dimensions: labels + [("http.response.status_code", status)])
            errors = key.status.code >= 400 ? Counter(label: "hb.request.errors", dimensions: labels + [("error.type", status)]) : nil
            duration = Timer(
                label: "http.server.request.duration", dimensions: labels + [("http.response.status_code", status)],
                preferredDisplayUnit: .seconds)
        }

        func record(since start: UInt64, failed: Bool) {
            requests.increment()
            if failed { errors?.increment() }
            duration.recordNanoseconds(DispatchTime.now().uptimeNanoseconds - start)
        }
    }

    struct EndpointKey: Hashable, Sendable {
        let route: String
        let method: HTTPRequest.Method
        let status: HTTPResponse.Status
    }

    private let endpoints = MetricCache<EndpointKey, Endpoint>(make: Endpoint.init)
    private let activeRequests = MetricCache<HTTPRequest.Method, Meter> { method in
        Meter(label: "http.server.active_requests", dimensions: [("http.request.method", method.rawValue)])
    }

    func endpoint(_ route: String, _ method: HTTPRequest.Method, _ status: HTTPResponse.Status) -> Endpoint {
        endpoints[EndpointKey(route: route, method: method, status: status)]
    }

    func active(_ method: HTTPRequest.Method) -> Meter { activeRequests[method] }
}
