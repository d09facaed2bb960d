import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import OpenAPIRuntime
import PledgeTestSupport
import Testing

@testable import PledgeServer

/// `POST /v1/collect`, `GET /v1/statistics` and the dashboard (issue 4 §5-6; C12, C13, C37).
@Suite("Statistics API")
struct StatisticsAPITests {
    static let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"

    static func beacon(
        _ client: any TestClientProtocol, _ object: [String: Any], agent: String = firefox, extra: HTTPFields = [:],
        contentType: String = "text/plain;charset=UTF-8"
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: contentType, .userAgent: agent]
        headers.append(contentsOf: extra)
        return try await client.execute(uri: "/v1/collect", method: .post, headers: headers, body: VaultAPITests.body(object)) { $0 }
    }

    @Test(
        "C12/C13/APX-08/APX-16/CLQ-05/CAM-12/ECR-10: page views are counted without storing who sent them; bots, GPC and bad bodies are refused with stable codes",
        arguments: StoreBackend.all)
    func collect(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys, dependencies in
            for index in 0..<6 {
                let agent = Self.firefox.replacingOccurrences(of: "133.0", with: "13\(index).0")
                let counted = try await Self.beacon(
                    client,
                    [
                        "s": "www.northwind.example", "p": "/pricing?email=a@b.example", "r": "https://www.news.example/story", "w": 1440,
                        "uc": "Launch",
                    ], agent: agent)
                #expect(counted.status == .accepted && counted.headers[HTTPField.Name("X-Pledge-Skipped")!] == nil)
            }
            let json = try await Self.beacon(
                client, ["s": "www.northwind.example", "p": "/"],
                agent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Version/17.0 Mobile Safari/604.1",
                contentType: "application/json")
            #expect(json.status == .accepted)
            let bot = try await Self.beacon(client, ["s": "www.northwind.example", "p": "/"], agent: "Mozilla/5.0 (compatible; bingbot/2.0)")
            #expect(bot.status == .accepted && bot.headers[HTTPField.Name("X-Pledge-Skipped")!] == "collect.bot")
            let gpc = try await Self.beacon(client, ["s": "www.northwind.example", "p": "/"], extra: [HTTPField.Name("Sec-GPC")!: "1"])
            #expect(gpc.headers[HTTPField.Name("X-Pledge-Skipped")!] == "collect.gpc")
            let relative = try await Self.beacon(client, ["s": "www.northwind.example", "p": "pricing"])
            #expect(relative.status == .badRequest && relative.body.errorCode() == "collect.invalid")
            let garbage = try await client.execute(
                uri: "/v1/collect", method: .post, headers: [.contentType: "text/plain", .userAgent: Self.firefox],
                body: ByteBuffer(string: "not json")
            ) { $0 }
            #expect(garbage.status == .badRequest && garbage.body.errorCode() == "request.invalid-body")
            let form = try await Self.beacon(client, ["s": "www.northwind.example", "p": "/"], contentType: "application/x-www-form-urlencoded")
            #expect(form.status == .unsupportedMediaType && form.body.errorCode() == "request.unsupported-media-type")
            let huge = try await Self.beacon(client, ["s": "www.northwind.example", "p": "/" + String(repeating: "a", count: 5_000)])
            #expect(huge.status == .contentTooLarge && huge.body.errorCode() == "request.too-large")
            try await dependencies.traffic.flush()

            try await client.execute(uri: "/v1/statistics?days=7", method: .get, headers: keys.headers("analyst")) { response in
                #expect(response.status == .ok, "\(response.body.text)")
                let report = response.body.json()
                #expect(report["views"] as? Int == 7 && report["visitors"] as? Int == 7 && report["k"] as? Int == 5)
                #expect((report["series"] as? [Any])?.count == 7)
                let breakdowns = report["breakdowns"] as? [String: [[String: Any]]] ?? [:]
                // The query string is never kept; the referrer is its host; the campaign is lower case.
                #expect(breakdowns["page"]?.first?["value"] as? String == "/pricing" && breakdowns["page"]?.first?["views"] as? Int == 6)
                #expect(breakdowns["referrer"]?.map { $0["value"] as? String } == ["news.example"])
                #expect(breakdowns["campaign"]?.first?["value"] as? String == "launch")
                #expect(
                    breakdowns["browser"]?.first?["value"] as? String == nil, "six Firefox versions, one visitor each: every browser cell is below k")
                // "/" had one visitor: below k, suppressed.
                #expect(!(breakdowns["page"] ?? []).contains { $0["value"] as? String == "/" })
                #expect((report["suppressedCells"] as? Int ?? 0) > 0)
            }
            // No column holds an address, a user agent or a visitor key.
            let columns = try await dependencies.database.sql.select().column("*").from("page_views").all()
            #expect(columns.count == 7)
            for row in columns {
                #expect(
                    Set(row.allColumns) == ["at_us", "site", "path", "referrer", "campaign", "source", "medium", "browser", "os", "device", "screen"])
                #expect(try row.decode(column: "path", as: String.self).contains("@") == false)
            }
        }
    }

    @Test(
        "C37/CAM-10: the statistics need a key whose role reads them; the traffic dashboard takes the key from the pledge_admin cookie and draws SVG"
    )
    func access() async throws {
        try await TestServer().test { client, keys, dependencies in
            try await client.execute(uri: "/v1/statistics", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/v1/statistics", method: .get, headers: keys.headers("support")) { response in
                #expect(response.status == .forbidden && response.body.errorCode() == "auth.role")
            }
            try await client.execute(uri: "/v1/statistics?days=0", method: .get, headers: keys.headers("admin")) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(
                uri: "/admin/statistics?days=30", method: .get,
                headers: [.cookie: "theme=dark; pledge_admin=\(try await ConsoleTests.session(client, keys.tokens["dpo"]!))"]
            ) { response in
                #expect(response.status == .ok)
                let page = response.body.text
                #expect(page.contains("<svg class=\"chart\"") && page.components(separatedBy: "<rect class=\"bar").count - 1 == 30)
            }
            // A cookie never authorises the JSON API (a cross-site request would carry it).
            try await client.execute(uri: "/v1/statistics", method: .get, headers: [.cookie: "pledge_admin=\(keys.tokens["admin"]!)"]) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test("C12: the contract's collectPageView, called directly, counts and skips as the route does")
    func handlerDirectly() async throws {
        try await TestServer().test { _, _, dependencies in
            let api = PledgeAPI(dependencies, logger: Logger(label: "pledge.test"))
            let counted = try await api.collectPageView(
                .init(headers: .init(userAgent: Self.firefox), body: .json(.init(s: "www.northwind.example", p: "/a"))))
            #expect(counted == .accepted(.init()))
            let bot = try await api.collectPageView(
                .init(headers: .init(userAgent: "curl/8.5"), body: .plainText(HTTPBody(#"{"s":"www.northwind.example","p":"/"}"#))))
            #expect(bot == .accepted(.init(headers: .init(xPledgeSkipped: "collect.bot"))))
            try await dependencies.traffic.flush()
            let views = try await dependencies.database.sql.raw("SELECT COUNT(*) AS n FROM page_views").first()?.decode(column: "n", as: Int.self)
            #expect(views == 1)
        }
    }

    @Test("no declared statistics: the collector counts nothing and says so")
    func disabled() async throws {
        try await TestServer(editing: {
            $0.replacingOccurrences(of: "analytics:\n  purpose: statistics\n  minimum_group: 5\n  honour_gpc: true\n", with: "")
        }).test { client in
            let response = try await Self.beacon(client, ["s": "www.northwind.example", "p": "/"])
            #expect(response.status == .accepted && response.headers[HTTPField.Name("X-Pledge-Skipped")!] == "collect.disabled")
        }
    }
}
