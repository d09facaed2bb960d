import Foundation

/// A user agent reduced to what statistics need: browser family and major version, operating
/// system family and device class, or a bot. The full string is never kept (C13).
public struct UserAgentClass: Sendable, Equatable {
    public var browser: String
    public var os: String
    public var device: String
    public var isBot: Bool

    /// Signs of automated clients; they are not counted.
    static let botMarkers = [
        "bot", "crawl", "spider", "slurp", "headless", "lighthouse", "preview", "monitor", "curl/", "wget/", "python-",
        "go-http", "java/", "httpclient", "okhttp", "phantomjs", "wrk",
    ].map(Needle.init)
    /// Browser families by their marker. Order matters: Edge and Opera also say Chrome, Chrome also says Safari.
    static let families: [(marker: Needle, name: String)] = [
        ("edg/", "Edge"), ("opr/", "Opera"), ("samsungbrowser/", "Samsung Internet"), ("firefox/", "Firefox"),
        ("fxios/", "Firefox"), ("crios/", "Chrome"), ("chrome/", "Chrome"), ("version/", "Safari"),
    ].map { (Needle($0.0), $0.1) }

    public init(_ userAgent: String) {
        // Byte search on lower-cased ASCII: Foundation's String.contains was a sixth of a page
        // view's cost on Linux, where it goes through NSString.
        let ua = Array(userAgent.utf8.prefix(512)).map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        let has = { (needle: Needle) in needle.end(in: ua) != nil }
        isBot = ua.isEmpty || Self.botMarkers.contains(where: has)
        browser = "Other"
        for family in Self.families {
            guard let end = family.marker.end(in: ua) else { continue }
            if family.name == "Safari" && !has(.safari) { continue }
            let major = ua[end...].prefix { $0 >= 48 && $0 <= 57 }
            browser = major.isEmpty ? family.name : "\(family.name) \(String(decoding: major, as: UTF8.self))"
            break
        }
        os =
            if has(.android) { "Android" } else if has(.iphone) || has(.ipad) || has(.ipod) { "iOS" } else if has(.windows) {
                "Windows"
            } else if has(.macOSX) || has(.macintosh) { "macOS" } else if has(.chromeOS) { "ChromeOS" } else if has(.linux) { "Linux" } else {
                "Other"
            }
        device =
            if has(.ipad) || has(.tablet) || (has(.android) && !has(.mobile)) { "tablet" } else if has(.mobi) || has(.iphone) { "mobile" } else {
                "desktop"
            }
    }

    /// ASCII bytes to look for.
    struct Needle: Sendable {
        let bytes: [UInt8]

        init(_ text: String) { bytes = Array(text.utf8) }

        // Made once, not per user agent.
        static let safari = Needle("safari"), android = Needle("android"), iphone = Needle("iphone"), ipad = Needle("ipad"),
            ipod = Needle("ipod"), windows = Needle("windows"), macOSX = Needle("mac os x"), macintosh = Needle("macintosh"),
            schemeSeparator = Needle("://"), chromeOS = Needle("cros"), linux = Needle("linux"), tablet = Needle("tablet"), mobile = Needle("mobile"),
            mobi = Needle("mobi")

        /// The index just after the first occurrence in `haystack`, if any: memchr to each
        /// candidate first byte, memcmp for the rest (both vectorised in the C library).
        func end(in haystack: [UInt8]) -> Int? {
            let n = bytes.count
            guard n > 0, n <= haystack.count else { return nil }
            return haystack.withUnsafeBytes { hay in
                bytes.withUnsafeBytes { needle in
                    let base = hay.baseAddress!, last = hay.count - n
                    var offset = 0
                    while offset <= last, let hit = memchr(base + offset, Int32(needle[0]), last - offset + 1) {
                        let at = base.distance(to: UnsafeRawPointer(hit))
                        if memcmp(base + at, needle.baseAddress!, n) == 0 { return at + n }
                        offset = at + 1
                    }
                    return nil
                }
            }
        }
    }
}
