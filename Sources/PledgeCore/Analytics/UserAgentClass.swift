/// A user agent reduced to what statistics need: browser family and major version, operating
/// system family and device class, or a bot. The full string is never kept (C13).
public struct UserAgentClass: Sendable, Equatable {
    public var browser: String
    public var os: String
    public var device: String
    public var isBot: Bool

    /// Signs of automated clients; they are not counted.
    static let botMarkers = ["bot", "crawl", "spider", "slurp", "headless", "lighthouse", "preview", "monitor", "curl/", "wget/", "python-", "go-http", "java/", "httpclient", "okhttp", "phantomjs", "wrk"]

    public init(_ userAgent: String) {
        let ua = userAgent.lowercased()
        isBot = ua.isEmpty || Self.botMarkers.contains { ua.contains($0) }
        // Order matters: Edge and Opera also say Chrome, Chrome also says Safari.
        let families: [(marker: String, name: String)] = [
            ("edg/", "Edge"), ("opr/", "Opera"), ("samsungbrowser/", "Samsung Internet"), ("firefox/", "Firefox"),
            ("fxios/", "Firefox"), ("crios/", "Chrome"), ("chrome/", "Chrome"), ("version/", "Safari"),
        ]
        browser = "Other"
        for family in families {
            guard let range = ua.range(of: family.marker) else { continue }
            if family.marker == "version/" && !ua.contains("safari") { continue }
            let major = ua[range.upperBound...].prefix { $0.isNumber }
            browser = major.isEmpty ? family.name : "\(family.name) \(major)"
            break
        }
        os = if ua.contains("android") { "Android" }
            else if ua.contains("iphone") || ua.contains("ipad") || ua.contains("ipod") { "iOS" }
            else if ua.contains("windows") { "Windows" }
            else if ua.contains("mac os x") || ua.contains("macintosh") { "macOS" }
            else if ua.contains("cros") { "ChromeOS" }
            else if ua.contains("linux") { "Linux" }
            else { "Other" }
        device = if ua.contains("ipad") || ua.contains("tablet") || (ua.contains("android") && !ua.contains("mobile")) { "tablet" }
            else if ua.contains("mobi") || ua.contains("iphone") { "mobile" }
            else { "desktop" }
    }
}
