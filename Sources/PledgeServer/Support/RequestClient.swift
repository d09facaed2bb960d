import Hummingbird

/// The address of the client of the request being handled, for the generated handlers, which see
/// no request context: `RequestClientMiddleware` sets it, resolved through the trusted proxies.
enum RequestClient {
    @TaskLocal static var address: String?
}

/// Sets `RequestClient.address` for the routes added after it (the contract's handlers; not the
/// volume routes, which are added before and do not need it).
struct RequestClientMiddleware: RouterMiddleware {
    typealias Context = PledgeRequestContext
    let proxies: TrustedProxies

    func handle(
        _ request: Request, context: PledgeRequestContext, next: (Request, PledgeRequestContext) async throws -> Response
    ) async throws -> Response {
        let address = proxies.client(peer: context.remoteAddress?.ipAddress ?? "", forwardedFor: request.headers[.xForwardedFor])
        return try await RequestClient.$address.withValue(address.isEmpty ? nil : address) { try await next(request, context) }
    }
}
