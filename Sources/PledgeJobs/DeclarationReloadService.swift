import Foundation
import Logging
import PledgeCore
import PledgeStore
import ServiceLifecycle
import UnixSignals

/// Publishes the declaration file again on SIGHUP, so an edited policy takes over without a
/// restart. A rejected file is logged with its findings and the declaration in force stays.
public struct DeclarationReloadService: Service {
    let path: String
    let registry: DeclarationRegistry
    let strict: Bool
    let logger: Logger

    public init(path: String, registry: DeclarationRegistry, strict: Bool, logger: Logger) {
        self.path = path
        self.registry = registry
        self.strict = strict
        self.logger = logger
    }

    public func run() async throws {
        // The signal sequence never ends by itself: end it on graceful shutdown, or the service
        // group would wait for this service forever and SIGTERM would not stop the server.
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            await reload()
        }
    }

    /// Reads and publishes the file once; returns what happened, for logs and tests.
    @discardableResult
    public func reload() async -> String {
        do {
            let yaml = try String(contentsOfFile: path, encoding: .utf8)
            switch try await registry.publish(yaml: yaml, strict: strict) {
            case .published(let version):
                logger.notice("Declaration reloaded: published notice version \(version)", metadata: ["path": .string(path)])
                return "published \(version)"
            case .unchanged(let version):
                logger.info("Declaration reloaded: unchanged (version \(version))", metadata: ["path": .string(path)])
                return "unchanged \(version)"
            }
        } catch let rejection as DeclarationRejection {
            logger.error(
                "Declaration reload refused: \(rejection.message)",
                metadata: [
                    "code": .string(rejection.code),
                    "findings": .array(rejection.findings.filter { $0.severity == .error }.map { .string("\($0.rule) \($0.path): \($0.message)") }),
                ])
            return "refused \(rejection.code)"
        } catch {
            logger.error("Declaration reload failed: \(error)", metadata: ["path": .string(path)])
            return "failed"
        }
    }
}
