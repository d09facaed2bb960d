import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PledgeCore
import PledgeStore
import PledgeTestSupport

@testable import PledgeServer

/// A server on a fresh store (a SQLite file unless a backend is given) and a copy of an example
/// declaration, with a fixed clock.
struct TestServer {
    static let now = CalendarDate(year: 2026, month: 11, day: 21).startOfDayUTC.addingTimeInterval(36_000)

    let directory: URL
    let declarationPath: String
    let configuration: ServerConfiguration
    /// `.live` for a real socket (a peer address); `.router` otherwise.
    let setup: TestingSetup
    let logger: Logger

    init(
        example: String = "compliant", backend: StoreBackend? = nil, strict: Bool = false, trustedProxies: TrustedProxies = .none,
        setup: TestingSetup = .router, logger: Logger = Logger(label: "pledge.test"), editing edit: (String) -> String = { $0 }
    ) throws {
        self.setup = setup
        self.logger = logger
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pledge-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        declarationPath = directory.appendingPathComponent("pledge.yaml").path
        try edit(Self.yaml(example)).write(toFile: declarationPath, atomically: true, encoding: .utf8)
        configuration = ServerConfiguration(
            declarationPath: declarationPath, store: backend?.make() ?? .sqlite(path: directory.appendingPathComponent("pledge.sqlite").path),
            masterKey: .generate(), strict: strict, trustedProxies: trustedProxies
        )
    }

    static func yaml(_ example: String) throws -> String { try ExampleFiles.yaml(example) }

    /// Runs `body` against the router, then closes the store.
    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await test { client, _ in try await body(client) }
    }

    /// Runs `body` against the router with an API key for each role, then closes the store.
    func test(_ body: @escaping @Sendable (any TestClientProtocol, TestKeys) async throws -> Void) async throws {
        try await test { client, keys, _ in try await body(client, keys) }
    }

    /// Runs `body` against the router with an API key for each role and the server's parts, then closes the store.
    func test(_ body: @escaping @Sendable (any TestClientProtocol, TestKeys, AppDependencies) async throws -> Void) async throws {
        let dependencies = try await prepareDependencies(configuration, logger: logger, clock: { TestServer.now })
        var app = Application(router: try buildRouter(dependencies, logger: logger), logger: logger)
        app.addServices(dependencies.journal)
        do {
            let keys = try await TestKeys.make(dependencies.database, chainKey: dependencies.keys.auditChain, logger: logger)
            try await app.test(setup) { client in try await body(client, keys, dependencies) }
        } catch {
            // PSQLError describes itself only generically; the details are what a flaky CI run needs.
            print("server test failed: \(String(reflecting: error))")
            await dependencies.systems.shutdown()
            await StoreBackend.dropSchema(of: dependencies.database)
            await dependencies.database.shutdown()
            throw error
        }
        // The organisation's databases a test reached, closed as the server's service group closes them.
        await dependencies.systems.shutdown()
        await StoreBackend.dropSchema(of: dependencies.database)
        await dependencies.database.shutdown()
    }
}

/// One API key per role, made before the server starts.
struct TestKeys: Sendable {
    static let roles = ["admin", "dpo", "support", "marketing", "analyst", "processor:hosting", "processor:mailer", "processor:nobody"]
    let tokens: [String: String]

    static func make(_ database: PledgeDatabase, chainKey: AuditChainKey, logger: Logger) async throws -> TestKeys {
        try await Journal.running(on: database, logger: logger, chainKey: chainKey) { journal in
            let store = APIKeyStore(database: database, journal: journal)
            var tokens: [String: String] = [:]
            for role in roles {
                tokens[role] = try await store.create(
                    name: role.replacingOccurrences(of: ":", with: "-"), role: Role(role)!, purposes: nil,
                    actor: "test", at: TestServer.now
                ).token
            }
            tokens["scoped"] = try await store.create(name: "scoped", role: .support, purposes: ["service"], actor: "test", at: TestServer.now).token
            let revoked = try await store.create(name: "revoked", role: .admin, purposes: nil, actor: "test", at: TestServer.now).token
            try await store.revoke(name: "revoked", actor: "test", at: TestServer.now)
            tokens["revoked"] = revoked
            return TestKeys(tokens: tokens)
        }
    }

    /// Headers with the key of `role` and a JSON (or other) content type.
    func headers(_ role: String, contentType: String = "application/json") -> HTTPFields {
        [.authorization: "Bearer \(tokens[role]!)", .contentType: contentType]
    }
}

extension ByteBuffer {
    var text: String { String(buffer: self) }

    /// The body as a JSON object; empty when it is not one (the expectations then fail).
    func json() -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(String(buffer: self).utf8))) as? [String: Any] ?? [:]
    }

    /// The `error.code` of an error envelope.
    func errorCode() -> String? {
        (json()["error"] as? [String: Any])?["code"] as? String
    }
}
