import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PledgeServer
import PledgeTestSupport
import Testing

@testable import PledgeCLI

/// The service group `pledge serve` runs, assembled where the command line starts it (issue 25 §7).
@Suite("Service assembly")
struct ServiceAssemblyTests {
    /// When the HTTP server cannot listen, the other services stop in order and the error comes out.
    /// Under Hummingbird's own group they were all cancelled at once: the database closed under the
    /// reminder job (a crash), the statistics flush spun a core for ever on a `Task.sleep` that
    /// throws at once when cancelled, and the journal waited for a batch that never came.
    @Test(
        "a taken port stops the server with an error, the other services stopping in order",
        .timeLimit(.minutes(5)))  // a whole parallel run on two cores takes it to 40 s; the fault it guards against never ended
    func portTaken() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pledge-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let declaration = directory.appendingPathComponent("pledge.yaml").path
        try ExampleFiles.yaml("compliant").write(toFile: declaration, atomically: true, encoding: .utf8)
        let holder = Application(router: Router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await holder.test(.live) { client in
            let configuration = ServerConfiguration(
                port: try #require(client.port), declarationPath: declaration,
                store: .sqlite(path: directory.appendingPathComponent("pledge.sqlite").path), masterKey: .generate())
            let services = try await buildApplication(
                configuration, jobs: JobSettings(), logger: Logger(label: "pledge.test"), gracefulShutdownSignals: [])
            let error = await #expect(throws: IOError.self) { try await services.run() }
            #expect(error?.errnoCode == EADDRINUSE)
        }
    }
}
