import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PledgeJobs
import PledgeStore
import PledgeTestSupport
import ServiceLifecycle
import Testing

@testable import PledgeServer

@Suite("Server")
struct ServerTests {
    @Test("health, readiness, metrics and the OpenAPI document")
    func operations() async throws {
        try await TestServer().test { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.body.text == "ok\n")
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                let body = response.body.json()
                #expect(body["status"] as? String == "ready")
                #expect(body["declarationVersion"] as? String == "2026-10")
                // Issue 24 finding 8: the kind of database, never its path or user.
                #expect(body["database"] as? String == "sqlite" && !response.body.text.contains(".sqlite"))
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                // Requests are counted by route template, method and status (RequestMetricsMiddleware).
                let text = response.body.text
                #expect(text.contains(#"hb_requests{http_route="/healthz",http_request_method="GET",http_response_status_code="200"}"#))
                #expect(
                    text.contains(
                        #"http_server_request_duration_count{http_route="/readyz",http_request_method="GET",http_response_status_code="200"}"#))
                #expect(!text.contains(#"error_type="200""#))
            }
            try await client.execute(uri: "/openapi.yaml", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.body.text.hasPrefix("openapi: 3.1.0"))
                #expect(response.body.text.contains("/v1/admin/declaration"))
            }
        }
    }

    @Test("C02: the version in force at a date, and clear errors for bad or uncovered dates")
    func noticesAtDate() async throws {
        try await TestServer().test { client in
            try await client.execute(uri: "/v1/notices?at=2026-11-05", method: .get) { response in
                #expect(response.status == .ok)
                let versions = response.body.json()["versions"] as? [[String: Any]] ?? []
                #expect(versions.map { $0["version"] as? String } == ["2026-10"])
                #expect(versions.first?["inForce"] as? Bool == true)
            }
            try await client.execute(uri: "/v1/notices?at=2026-11-05T10:00:00Z", method: .get) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/notices?at=yesterday", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.body.errorCode() == "request.invalid-date")
            }
            try await client.execute(uri: "/v1/notices?at=2020-01-01", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.body.errorCode() == "notice.not-in-force")
            }
            try await client.execute(uri: "/v1/notices/2026-10", method: .get) { response in
                #expect(response.status == .ok)
                let body = response.body.json()
                #expect((body["markdown"] as? String)?.contains("# Privacy notice — Northwind Analytics") == true)
            }
            try await client.execute(uri: "/v1/notices/nope", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.body.errorCode() == "notice.not-found")
            }
        }
    }

    @Test("the privacy page shows the notice in force and its history")
    func privacyPage() async throws {
        try await TestServer().test { client in
            try await client.execute(uri: "/privacy", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                let html = response.body.text
                #expect(html.contains("<html lang=\"en-GB\">"))
                #expect(html.contains("Northwind Analytics"))
                #expect(html.contains("id=\"rights\""))
                #expect(html.contains("Version history"))
                #expect(!html.contains("notice-change\" role=\"status\""))
                #expect(!html.contains("src=\"http"), "pages load no external assets")
            }
            try await client.execute(uri: "/privacy/versions/none", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.body.text.contains("There is no published version"))
            }
        }
    }

    @Test(
        "API keys: none 401, unknown or revoked 401, wrong role 403, a processor whose contract is not declared 403",
        arguments: [
            (nil as String?, HTTPResponse.Status.unauthorized, "auth.missing"),
            ("Bearer pledge_not-a-key", .unauthorized, "auth.invalid"),
            ("revoked", .unauthorized, "auth.invalid"),
            ("support", .forbidden, "auth.role"),
            ("processor:nobody", .forbidden, "auth.role"),
        ])
    func apiKeyAuth(header: String?, status: HTTPResponse.Status, code: String) async throws {
        try await TestServer().test { client, keys in
            var headers = HTTPFields()
            if let header { headers[.authorization] = header.hasPrefix("Bearer") ? header : "Bearer \(keys.tokens[header]!)" }
            try await client.execute(uri: "/v1/admin/declaration", method: .get, headers: headers) { response in
                #expect(response.status == status)
                #expect(response.body.errorCode() == code)
            }
            try await client.execute(uri: "/v1/admin/declaration", method: .get, headers: keys.headers("admin")) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("C02/APX-55/APX-56/CLQ-60/CLQ-62/ECR-54/ECR-55: publishing: unchanged 200, new version 201 with a change notice, conflict 409, invalid 422")
    func publishDeclaration() async throws {
        let yaml = try TestServer.yaml("compliant")
        try await TestServer().test { client, keys in
            let admin = keys.headers("admin", contentType: "application/yaml")
            try await client.execute(uri: "/v1/admin/declaration", method: .post, headers: admin, body: ByteBuffer(string: yaml)) { response in
                #expect(response.status == .ok)
                #expect(response.body.json()["outcome"] as? String == "unchanged")
            }
            try await client.execute(uri: "/v1/admin/declaration", method: .post, headers: admin, body: ByteBuffer(string: "pledge: 1\n")) {
                response in
                #expect(response.status == .unprocessableContent)
                #expect(response.body.errorCode() == "declaration.invalid")
                let findings = (response.body.json()["error"] as? [String: Any])?["findings"] as? [[String: Any]] ?? []
                #expect(findings.contains { $0["rule"] as? String == "P004" })
            }
            let edited = yaml.replacingOccurrences(of: "period: P90D", with: "period: P60D")
            try await client.execute(uri: "/v1/admin/declaration", method: .post, headers: admin, body: ByteBuffer(string: edited)) { response in
                #expect(response.status == .conflict)
                #expect(response.body.errorCode() == "declaration.version-exists")
            }
            let next = ExampleFiles.addingNoticeVersion(
                to: yaml, version: "2026-12", published: "2026-11-21", effective: "2026-12-21", summary: "New email provider.")
            try await client.execute(uri: "/v1/admin/declaration", method: .post, headers: admin, body: ByteBuffer(string: next)) { response in
                #expect(response.status == .created)
                #expect(response.body.json()["version"] as? String == "2026-12")
            }
            // Between publication and effect, the page in force announces the change (C02).
            try await client.execute(uri: "/privacy", method: .get) { response in
                #expect(response.body.text.contains("Version 2026-12 takes effect on"))
                // CLQ-62: the announcement leads to objection, withdrawal and erasure in the privacy centre.
                for kind in ["objection", "consent_withdrawal", "erasure"] {
                    #expect(response.body.text.contains("<a href=\"/privacy-centre?kind=\(kind)\">"), "\(kind)")
                }
            }
            try await client.execute(uri: "/privacy-centre?kind=objection", method: .get) { response in
                #expect(response.status == .ok && response.body.text.contains("<option value=\"objection\" selected>"))
                #expect(response.body.text.components(separatedBy: " selected>").count == 2, "one kind chosen")
            }
            try await client.execute(uri: "/privacy-centre?kind=close_account", method: .get) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/v1/notices", method: .get) { response in
                let versions = response.body.json()["versions"] as? [[String: Any]] ?? []
                #expect(versions.map { $0["version"] as? String } == ["2026-12", "2026-10"])
                #expect(versions.map { $0["inForce"] as? Bool } == [false, true])
            }
            try await client.execute(uri: "/v1/admin/declaration", method: .get, headers: admin) { response in
                #expect(response.status == .ok)
                #expect(response.body.json()["version"] as? String == "2026-12")
            }
            // C14: the publication is in the audit trail, with the key that made it.
            try await client.execute(uri: "/v1/audit?object=declaration", method: .get, headers: keys.headers("dpo")) { response in
                let entries = response.body.json()["entries"] as? [[String: Any]] ?? []
                #expect(entries.map { $0["action"] as? String } == ["declaration.publish"])
                #expect(entries.first?["actor"] as? String == "key:admin")
                #expect((entries.first?["after"] as? String)?.hasPrefix("2026-12 ") == true)
            }
        }
    }

    @Test("a body of the wrong media type is refused with a stable code")
    func wrongMediaType() async throws {
        try await TestServer().test { client, keys in
            let headers = keys.headers("admin")
            try await client.execute(uri: "/v1/admin/declaration", method: .post, headers: headers, body: ByteBuffer(string: "{}")) { response in
                #expect(response.status.code >= 400 && response.status.code < 500)
                #expect(response.body.errorCode()?.hasPrefix("request.") == true)
            }
        }
    }

    @Test("the server refuses to start on an invalid declaration, and in strict mode on legal errors")
    func refusesToStart() async throws {
        let invalid = try TestServer()
        try "pledge: 1\norganisation: [\n".write(toFile: invalid.declarationPath, atomically: true, encoding: .utf8)
        await #expect(throws: StartupError.self) { try await invalid.test { _, _ in } }

        let strict = try TestServer(example: "classeq", strict: true)
        do {
            try await strict.test { _, _ in }
            Issue.record("strict server started with legal errors")
        } catch let error as StartupError {
            #expect(error.description.contains("L01"))
        }
        // Without --strict the same declaration starts, and its findings are kept for the admin.
        try await TestServer(example: "classeq").test { client, keys in
            try await client.execute(uri: "/v1/admin/declaration", method: .get, headers: keys.headers("dpo")) { response in
                let findings = response.body.json()["findings"] as? [[String: Any]] ?? []
                #expect(findings.contains { $0["rule"] as? String == "L16" })
            }
        }
    }

    @Test("unknown routes get the error envelope")
    func unknownRoute() async throws {
        try await TestServer().test { client in
            try await client.execute(uri: "/v1/nothing-here", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.body.errorCode() == "route.not-found")
            }
        }
    }

    @Test("SIGHUP reload publishes an edited file, and refuses a broken one keeping the current")
    func reload() async throws {
        let server = try TestServer()
        let logger = Logger(label: "pledge.test")
        let dependencies = try await prepareDependencies(server.configuration, logger: logger, clock: { TestServer.now })
        let service = DeclarationReloadService(path: server.declarationPath, registry: dependencies.registry, strict: false, logger: logger)
        #expect(await service.reload() == "unchanged 2026-10")
        let next = ExampleFiles.addingNoticeVersion(
            to: try TestServer.yaml("compliant"), version: "2026-12", published: "2026-11-21", effective: "2026-12-21")
        try next.write(toFile: server.declarationPath, atomically: true, encoding: .utf8)
        #expect(await service.reload() == "published 2026-12")
        try "pledge: 1\nnot: valid\n".write(toFile: server.declarationPath, atomically: true, encoding: .utf8)
        #expect(await service.reload() == "refused declaration.invalid")
        #expect(dependencies.registry.current?.notice.version == "2026-12")
        await dependencies.database.shutdown()
    }

    @Test("the services stop on graceful shutdown (SIGTERM)", .timeLimit(.minutes(1)))
    func gracefulShutdown() async throws {
        let server = try TestServer()
        let logger = Logger(label: "pledge.test")
        let dependencies = try await prepareDependencies(server.configuration, logger: logger, clock: { TestServer.now })
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: dependencies.database),
                    .init(
                        service: DeclarationReloadService(
                            path: server.declarationPath, registry: dependencies.registry, strict: false, logger: logger)),
                ], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await Task.sleep(for: .milliseconds(200))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
