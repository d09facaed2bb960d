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
