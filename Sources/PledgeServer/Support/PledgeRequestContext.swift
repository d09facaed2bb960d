import Hummingbird
import Logging
import NIOCore

/// The request context of Pledge's router: Hummingbird's basics plus the peer's address, which
/// statistics need for the daily visitor key (and then forget).
public struct PledgeRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

/// The address of the client being served, for handlers of the OpenAPI contract (which do not see
/// the Hummingbird context).
enum ClientAddress {
    @TaskLocal static var current: String = ""
}

/// Makes the peer's address available to handlers as `ClientAddress.current`.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = PledgeRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await ClientAddress.$current.withValue(context.remoteAddress?.ipAddress ?? "") {
            try await next(request, context)
        }
    }
}
