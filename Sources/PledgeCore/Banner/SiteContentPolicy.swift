/// The Content-Security-Policy an organisation's own website sends, so that a browser loads third-party
/// code, frames and beacons only from the hosts the declaration lists for its technologies (CLQ-14:
/// "there are scripts from domains outside of Classeq", listed and nothing else). The banner still holds
/// each one back until its consent (PECR reg 6); the policy stops what no one declared, such as a tag a
/// marketing plug-in adds, from loading at all.
public struct SiteContentPolicy: Sendable {
    /// One directive and the sources it allows, in the order written.
    public struct Directive: Sendable, Equatable {
        public var name: String
        public var sources: [String]
    }

    public let directives: [Directive]
    /// Third-party technologies that name no host: the policy cannot allow them, so they will not load until their
    /// hosts are declared.
    public let withoutHosts: [String]
    /// Declared hosts that are not a host name (or `*.` and a host name) and were left out, with the technology.
    public let rejectedHosts: [(technology: String, host: String)]

    /// The policy for `declaration`'s technologies; `pledge` is the origin Pledge is served from (its banner
    /// script, beacons and forms), when the website uses it from another origin.
    public init(_ declaration: Declaration, pledge: String? = nil) {
        var scripts: [String] = [], connects: [String] = [], images: [String] = [], frames: [String] = []
        var withoutHosts: [String] = []
        var rejected: [(String, String)] = []
        for technology in declaration.technologies ?? [] where technology.party == .third {
            let hosts = (technology.hosts ?? []).compactMap { host -> String? in
                let lower = host.lowercased()  // host names are not case-sensitive (RFC 4343)
                guard Self.isHostSource(lower) else {
                    rejected.append((technology.id, host))
                    return nil
                }
                return lower
            }
            if hosts.isEmpty { withoutHosts.append(technology.id) }
            switch technology.kind {
            case .script, .fingerprint, .applet:
                scripts += hosts
                connects += hosts  // a tag sends what it gathers back to its own hosts
                images += hosts  // and often as an image beacon
            case .pixel, .cookie, .localStorage, .sessionStorage:
                images += hosts
                connects += hosts
            case .embed:
                frames += hosts
            case .socialButton:
                scripts += hosts
                frames += hosts
                images += hosts
            }
        }
        let own = ["'self'"] + (pledge.flatMap(Self.origin).map { [$0] } ?? [])
        func sources(_ base: [String], _ hosts: [String]) -> [String] {
            var seen = Set<String>()
            return (base + hosts.sorted()).filter { seen.insert($0).inserted }
        }
        directives = [
            Directive(name: "default-src", sources: ["'self'"]),
            Directive(name: "script-src", sources: sources(own, scripts)),
            Directive(name: "connect-src", sources: sources(own, connects)),
            Directive(name: "img-src", sources: sources(["'self'", "data:"], images)),
            Directive(name: "frame-src", sources: frames.isEmpty ? ["'none'"] : sources([], frames)),
            Directive(name: "form-action", sources: own),
            Directive(name: "object-src", sources: ["'none'"]),
            Directive(name: "base-uri", sources: ["'self'"]),
        ]
        self.withoutHosts = withoutHosts
        rejectedHosts = rejected
    }

    /// The header's value.
    public var header: String {
        directives.map { ([$0.name] + $0.sources).joined(separator: " ") }.joined(separator: "; ")
    }

    /// A host source a declaration may give: a host name of letters, digits and hyphens in dot-separated labels,
    /// optionally behind `*.`; nothing that could end a directive or widen it (`;`, `,`, spaces, `*` alone, schemes, paths).
    static func isHostSource(_ host: String) -> Bool {
        DomainName.isValid(host.hasPrefix("*.") ? host.dropFirst(2) : Substring(host)) { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }

    /// `scheme://host[:port]` of an `https` (or local `http`) URL, nothing after it; nil for anything else.
    static func origin(_ url: String) -> String? {
        let lower = url.lowercased()
        for scheme in ["https://", "http://"] where lower.hasPrefix(scheme) {
            let rest = lower.dropFirst(scheme.count)
            let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            let parts = authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let name = parts[0]
            guard isHostSource(String(name)) || name == "localhost" || name == "127.0.0.1" else { return nil }
            // A port is 1 to 5 digits up to 65535: no sign, nothing empty.
            if parts.count == 2 {
                let port = parts[1]
                guard !port.isEmpty, port.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }), (UInt16(port) ?? 0) > 0 else { return nil }
            }
            return scheme + authority
        }
        return nil
    }
}
