import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PledgeTestSupport
import Synchronization
import Testing

@testable import PledgeServer

/// Who the visitor is behind a reverse proxy (issue 4 §5: the daily visitor key needs the visitor's
/// address, C12), and what the request log may say about a request.
@Suite("Trusted proxies and the request log")
struct TrustedProxiesTests {
    @Test("C12: X-Forwarded-For is believed only from a named proxy, read from the right past further named proxies")
    func clientAddress() throws {
        let proxies = try TrustedProxies(["127.0.0.1", "10.0.0.2", "0:0:0:0:0:0:0:1"])
        #expect(proxies.client(peer: "127.0.0.1", forwardedFor: "203.0.113.7") == "203.0.113.7")
        #expect(
            proxies.client(peer: "127.0.0.1", forwardedFor: "198.51.100.1, 203.0.113.7, 10.0.0.2") == "203.0.113.7",
            "the left entries are the client's own claims; the nearest untrusted hop is the visitor")
        #expect(proxies.client(peer: "::1", forwardedFor: " 2001:db8::5 ") == "2001:db8::5", "IPv6, normalised, spaces trimmed")
        #expect(proxies.client(peer: "192.0.2.9", forwardedFor: "203.0.113.7") == "192.0.2.9", "from anyone else the header is ignored")
        #expect(proxies.client(peer: "127.0.0.1", forwardedFor: "unknown") == "127.0.0.1", "not an address: the last trusted hop")
        #expect(proxies.client(peer: "127.0.0.1", forwardedFor: "10.0.0.2") == "10.0.0.2", "only proxies: the farthest one")
        #expect(proxies.client(peer: "127.0.0.1", forwardedFor: nil) == "127.0.0.1")
        #expect(TrustedProxies.none.client(peer: "127.0.0.1", forwardedFor: "203.0.113.7") == "127.0.0.1")
        #expect(throws: TrustedProxies.InvalidAddress.self) { try TrustedProxies(["proxy.example"]) }
    }

    /// Six page views from one browser version at six forwarded addresses; the day's unique visitors.
    static func visitors(trusting proxies: TrustedProxies) async throws -> Int64 {
        let visitors = Mutex<Int64>(0)
        try await TestServer(trustedProxies: proxies, setup: .live).test { client, _, dependencies in
            for index in 1...6 {
                let response = try await StatisticsAPITests.beacon(
                    client, ["s": "www.northwind.example", "p": "/"],
                    extra: [HTTPField.Name("X-Forwarded-For")!: "203.0.113.\(index)"])
                #expect(response.status == .accepted && response.headers[HTTPField.Name("X-Pledge-Skipped")!] == nil)
            }
            try await dependencies.traffic.flush()
            let row = try await dependencies.database.sql.raw(
                "SELECT visitors FROM traffic_rollups WHERE granularity = 'day' AND dimension = '' AND value = ''"
            ).first()
            visitors.withLock { $0 = (try? row?.decode(column: "visitors", as: Int64.self)) ?? -1 }
        }
        return visitors.withLock { $0 }
    }

    @Test("C12: behind a named proxy each forwarded address is its own visitor; without one the header changes nothing")
    func visitorsBehindProxy() async throws {
        #expect(try await Self.visitors(trusting: TrustedProxies(["127.0.0.1", "::1"])) == 6)
        #expect(try await Self.visitors(trusting: .none) == 1, "a header anyone can write must not make visitors")
    }

    @Test("C14/Art 32: the request log names the route, never the path as sent (keys, tokens and consent ids stay out of logs)")
    func requestLog() async throws {
        let lines = CapturedLog()
        let secret = "follow-key-\(UUID().uuidString)", caseID = UUID().uuidString, consentID = UUID().uuidString
        try await TestServer(logger: lines.logger).test { client in
            try await client.execute(uri: "/privacy-centre/requests/\(caseID)?key=\(secret)", method: .get) { _ in }
            try await client.execute(uri: "/v1/consents/\(consentID)", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
        let requests = lines.all.filter { $0.hasPrefix("Request") }
        #expect(requests.contains { $0.contains("http.route=/privacy-centre/requests/{requestId}") && $0.contains("http.method=GET") })
        #expect(requests.contains { $0.contains("http.route=/v1/consents/{consentId}") && $0.contains("http.status=404") })
        #expect(!lines.all.contains { $0.contains(secret) || $0.contains(caseID) || $0.contains(consentID) }, "\(lines.all)")
    }
}

/// Log lines kept in memory, "message key=value ...", for tests that read what was logged.
final class CapturedLog: Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    var logger: Logger {
        Logger(label: "pledge.test") { _ in Handler(log: self) }
    }

    struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let fields = self.metadata.merging(event.metadata ?? [:]) { $1 }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            log.lines.withLock { $0.append(([event.message.description] + fields).joined(separator: " ")) }
        }
    }
}
