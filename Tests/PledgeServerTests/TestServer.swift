import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PledgeCore
@testable import PledgeServer
import PledgeStore
import PledgeTestSupport

/// A server on a fresh SQLite file and a copy of an example declaration, with a fixed clock.
struct TestServer {
    static let now = CalendarDate(year: 2026, month: 11, day: 21).startOfDayUTC.addingTimeInterval(36_000)
    static let adminToken = "test-admin-token"

    let directory: URL
    let declarationPath: String
    let configuration: ServerConfiguration

    init(example: String = "compliant", strict: Bool = false, adminToken: String? = TestServer.adminToken) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pledge-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        declarationPath = directory.appendingPathComponent("pledge.yaml").path
        try Self.yaml(example).write(toFile: declarationPath, atomically: true, encoding: .utf8)
        configuration = ServerConfiguration(
            declarationPath: declarationPath, store: .sqlite(path: directory.appendingPathComponent("pledge.sqlite").path),
            strict: strict, adminToken: adminToken
        )
    }

    static func yaml(_ example: String) throws -> String { try ExampleFiles.yaml(example) }

    /// Runs `body` against the router, then closes the store.
    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let logger = Logger(label: "pledge.test")
        let dependencies = try await prepareDependencies(configuration, logger: logger, clock: { TestServer.now })
        let app = Application(router: try buildRouter(dependencies, logger: logger), logger: logger)
        do {
            try await app.test(.router, body)
        } catch {
            await dependencies.database.shutdown()
            throw error
        }
        await dependencies.database.shutdown()
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
