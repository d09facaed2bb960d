import Testing

@testable import PledgeCore

/// The Content-Security-Policy `pledge render csp` writes for the organisation's website.
@Suite("Site content policy")
struct SiteContentPolicyTests {
    @Test(
        "CLQ-14 (C11): Classeq's third-party scripts, buttons and embeds load only from the hosts its declaration lists; Pledge's own origin is allowed for the banner and forms"
    )
    func classeq() throws {
        let policy = SiteContentPolicy(try Examples.declaration("classeq"), pledge: "https://privacy.classeq.example/privacy?x=1")
        let directives = Dictionary(uniqueKeysWithValues: policy.directives.map { ($0.name, $0.sources) })
        #expect(
            directives["script-src"] == [
                "'self'", "https://privacy.classeq.example", "apis.google.com", "connect.facebook.net", "platform.linkedin.com",
                "platform.twitter.com", "www.google-analytics.com",
            ])
        #expect(
            directives["frame-src"]?.contains("www.youtube.com") == true && directives["frame-src"]?.contains("www.google-analytics.com") == false)
        #expect(directives["default-src"] == ["'self'"] && directives["object-src"] == ["'none'"])
        #expect(policy.withoutHosts.isEmpty && policy.rejectedHosts.isEmpty)
        #expect(policy.header.hasPrefix("default-src 'self'; script-src 'self' https://privacy.classeq.example apis.google.com"))
        // Nothing undeclared: every host in the header is one a technology names, or Pledge's origin.
        let declared = Set((try Examples.declaration("classeq").technologies ?? []).flatMap { $0.hosts ?? [] })
        let named = Set(policy.directives.flatMap(\.sources).filter { !$0.hasPrefix("'") && $0 != "data:" && !$0.hasPrefix("https://") })
        #expect(named == declared)
    }

    @Test("CLQ-14: a host that could end or widen a directive is left out and reported; a third party with no host is reported, not allowed")
    func hostileHosts() throws {
        var declaration = try Examples.declaration("classeq")
        let tag = try #require(declaration.technologies?.first { $0.id == "ga" })
        var hostile = tag
        hostile.id = "plugin"
        hostile.hosts = ["evil.example; script-src *", "*", "https://cdn.example", "*.tags.example", "-bad.example", "UPPER.example"]
        var bare = tag
        bare.id = "bare"
        bare.hosts = nil
        declaration.technologies = [hostile, bare]
        let policy = SiteContentPolicy(declaration, pledge: "javascript:alert(1)")
        #expect(policy.rejectedHosts.map(\.host) == ["evil.example; script-src *", "*", "https://cdn.example", "-bad.example"])
        #expect(policy.withoutHosts == ["bare"])
        let scripts = policy.directives.first { $0.name == "script-src" }?.sources
        #expect(scripts == ["'self'", "*.tags.example", "upper.example"], "the bad origin for Pledge is ignored too")
        #expect(!policy.header.contains("evil") && policy.header.components(separatedBy: ";").count == policy.directives.count)
        // Pledge's origin: scheme, host and a port of digits only, nothing after.
        #expect(SiteContentPolicy.origin("https://privacy.example:8443/x") == "https://privacy.example:8443")
        for bad in [
            "https://privacy.example:+443", "https://privacy.example:-1", "https://privacy.example:", "https://privacy.example:99999",
            "https://privacy.example:0",
        ] {
            #expect(SiteContentPolicy.origin(bad) == nil, "\(bad)")
        }
    }
}
