import Foundation
import NIOCore

/// The reverse proxies in front of the server, named by the operator (`--trusted-proxy`). Behind
/// one, every visitor arrives from the proxy's address, so the visitor's own address is taken from
/// the `X-Forwarded-For` the proxy adds, and only from a proxy named here: anyone else could write
/// that header to pass for someone they are not.
public struct TrustedProxies: Sendable, Equatable {
    /// Normalised IP addresses.
    public let addresses: Set<String>

    public static let none = TrustedProxies(addresses: [])

    /// Fails on a text that is not an IP address, naming it.
    public init(_ texts: [String]) throws(InvalidAddress) {
        var addresses: Set<String> = []
        for text in texts {
            guard let address = Self.normalised(text) else { throw InvalidAddress(text: text) }
            addresses.insert(address)
        }
        self.addresses = addresses
    }

    private init(addresses: Set<String>) { self.addresses = addresses }

    /// A text that is not an IP address.
    public struct InvalidAddress: Error, CustomStringConvertible {
        public let text: String
        public var description: String { "'\(text)' is not an IP address (--trusted-proxy takes addresses such as 127.0.0.1 or ::1)." }
    }

    /// The address of the client: the peer's, unless the peer is a trusted proxy, in which case the
    /// nearest address in `forwardedFor` (read from the right, past further trusted proxies) that is
    /// not a trusted proxy. An entry that is not an address ends the walk at the last trusted hop.
    public func client(peer: String, forwardedFor: String?) -> String {
        guard !addresses.isEmpty, addresses.contains(peer), let forwardedFor else { return peer }
        var client = peer
        for entry in forwardedFor.split(separator: ",").reversed() {
            guard let address = Self.normalised(String(entry)) else { break }
            client = address
            if !addresses.contains(address) { break }
        }
        return client
    }

    /// The canonical text of an IPv4 or IPv6 address, or nil.
    static func normalised(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return (try? SocketAddress(ipAddress: trimmed, port: 0))?.ipAddress
    }
}
