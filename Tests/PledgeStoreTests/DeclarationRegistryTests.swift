import Foundation
import PledgeCore
import PledgeTestSupport
import Testing

@testable import PledgeStore

/// Publishing a declaration: validated, linted, stored once per version, refused without side effects.
extension StoreTests {
    @Suite("Declaration registry")
    struct DeclarationRegistryTests {
        static func yaml(_ name: String) throws -> String { try ExampleFiles.yaml(name) }

        static let now = CalendarDate(year: 2026, month: 11, day: 21).startOfDayUTC.addingTimeInterval(36_000)

        private func registry(_ database: PledgeDatabase) -> (DeclarationRegistry, FluentNoticeRepository) {
            let notices = FluentNoticeRepository(database: database)
            return (DeclarationRegistry(notices: notices, clock: { Self.now }), notices)
        }

        @Test(
            "CLQ-59/CLQ-61/OEX-82 (Art 13(3), Art 5(1)(a)): a purpose new in a notice not yet in effect is denied by the gate until that notice takes effect; the purposes already notified run on",
            arguments: StoreBackend.all)
        func newPurposeWaitsForItsNotice(_ backend: StoreBackend) async throws {
            try await backend.withDatabase { database in
                let (registry, _) = registry(database)
                let yaml = try Self.yaml("compliant")
                _ = try await registry.publish(yaml: yaml, strict: false)
                #expect(registry.current?.introduced.isEmpty == true, "a first publication tells everyone at once")
                // The next version renames testimonials to case studies: a new purpose, announced for 1 January.
                var next = ExampleFiles.addingNoticeVersion(
                    to: yaml, version: "2027-01", published: "2026-11-21", effective: "2027-01-01", summary: "We will publish case studies")
                let entry = try #require(next.range(of: "  - id: testimonials\n"))
                next.replaceSubrange(entry, with: "  - id: case-studies\n")
                #expect(try await registry.publish(yaml: next, strict: false) == .published(version: "2027-01"))
                let current = try #require(registry.current)
                let start = CalendarDate(year: 2027, month: 1, day: 1)
                #expect(current.introduced == ["case-studies": start])
                let subject = SubjectState(categories: ["customer"])
                let request = DecisionRequest(purpose: "case-studies", categories: ["user.name"])
                #expect(current.gate.decide(request, for: subject, at: Self.now).reasons.contains(.purposeNotYetNotified(from: start)))
                let later = start.startOfDayUTC.addingTimeInterval(3600)
                #expect(!current.gate.decide(request, for: subject, at: later).reasons.contains { $0.code == "purpose.not-yet-notified" })
                let service = DecisionRequest(purpose: "service", categories: ["user.name"])
                #expect(!current.gate.decide(service, for: subject, at: Self.now).reasons.contains { $0.code == "purpose.not-yet-notified" })
            }
        }

        @Test("publishing stores a version once; the same file again changes nothing", arguments: StoreBackend.all)
        func publishIsIdempotent(_ backend: StoreBackend) async throws {
            try await backend.withDatabase { database in
                let (registry, notices) = registry(database)
                let yaml = try Self.yaml("compliant")
                #expect(try await registry.publish(yaml: yaml, strict: true) == .published(version: "2026-10"))
                #expect(try await registry.publish(yaml: yaml, strict: true) == .unchanged(version: "2026-10"))
                let stored = try #require(try await notices.version("2026-10"))
                #expect(stored.declarationYAML == yaml)
                #expect(stored.markdown.contains("Northwind Analytics"))
                #expect(stored.publishedAt == CalendarDate(year: 2026, month: 10, day: 1).startOfDayUTC)
                #expect(try await notices.all().count == 1)
                #expect(registry.current?.notice.version == "2026-10")
            }
        }

        @Test("Issue 26 §11/L32: an undated notice is published, flagged, and dated the day Pledge publishes it", arguments: StoreBackend.all)
        func undatedNotice(_ backend: StoreBackend) async throws {
            try await backend.withDatabase { database in
                let (registry, notices) = registry(database)
                let yaml = try Self.yaml("compliant").replacingOccurrences(of: "      published: 2026-10-01\n      effective: 2026-11-01\n", with: "")
                #expect(try await registry.publish(yaml: yaml, strict: true) == .published(version: "2026-10"))
                let stored = try #require(try await notices.version("2026-10"))
                #expect(stored.publishedAt == CalendarDate(year: 2026, month: 11, day: 21).startOfDayUTC)
                #expect(stored.effective == CalendarDate(year: 2026, month: 11, day: 21))
                #expect(stored.markdown.contains("Last updated 2026-11-21; in force from 2026-11-21"))
                #expect(registry.current?.findings.contains { $0.rule == "L32" && $0.severity == .warning } == true)
            }
        }

        @Test("changed content under a published label is refused and nothing changes", arguments: StoreBackend.all)
        func changedContentNeedsANewVersion(_ backend: StoreBackend) async throws {
            try await backend.withDatabase { database in
                let (registry, notices) = registry(database)
                let yaml = try Self.yaml("compliant")
                try await registry.publish(yaml: yaml, strict: false)
                let edited = yaml.replacingOccurrences(of: "period: P90D", with: "period: P60D")
                await #expect(throws: DeclarationRejection.versionExists("2026-10")) { try await registry.publish(yaml: edited, strict: false) }
                #expect(try await notices.version("2026-10")?.declarationYAML == yaml)
                #expect(registry.current?.sha256 == (try await notices.version("2026-10"))?.declarationSHA256)
            }
        }

        @Test("an invalid declaration is refused with its findings and stores nothing", arguments: StoreBackend.all)
        func invalidIsRefused(_ backend: StoreBackend) async throws {
            try await backend.withDatabase { database in
                let (registry, notices) = registry(database)
                do {
                    try await registry.publish(yaml: "pledge: 1\norganisation: {}\n", strict: false)
                    Issue.record("an invalid declaration was published")
                } catch let rejection as DeclarationRejection {
                    #expect(rejection.code == "declaration.invalid")
                    #expect(rejection.findings.contains { $0.rule == "P004" })
                }
                #expect(try await notices.all().isEmpty)
                #expect(registry.current == nil)
            }
        }

        @Test("strict mode refuses legal errors; otherwise they are published with the findings", arguments: StoreBackend.all)
        func strictMode(_ backend: StoreBackend) async throws {
            try await backend.withDatabase { database in
                let (registry, notices) = registry(database)
                let yaml = try Self.yaml("classeq")
                await #expect(throws: DeclarationRejection.self) { try await registry.publish(yaml: yaml, strict: true) }
                #expect(try await notices.all().isEmpty)
                #expect(try await registry.publish(yaml: yaml, strict: false) == .published(version: "undated"))
                #expect(registry.current?.findings.contains { $0.rule == "L01" } == true)
            }
        }

        @Test("a new version takes over and the old one stays retrievable", arguments: StoreBackend.all)
        func newVersion(_ backend: StoreBackend) async throws {
            try await backend.withDatabase { database in
                let (registry, notices) = registry(database)
                let yaml = try Self.yaml("compliant")
                try await registry.publish(yaml: yaml, strict: true)
                let next = ExampleFiles.addingNoticeVersion(
                    to: yaml, version: "2026-12", published: "2026-11-21", effective: "2026-12-21", summary: "New email provider.")
                #expect(try await registry.publish(yaml: next, strict: true) == .published(version: "2026-12"))
                #expect(try await notices.all().map(\.version) == ["2026-12", "2026-10"])
                // Announced, not yet in force.
                #expect(try await notices.inForce(at: Self.now)?.version == "2026-10")
                #expect(try await notices.inForce(at: CalendarDate(year: 2026, month: 12, day: 21).startOfDayUTC)?.version == "2026-12")
            }
        }
    }
}

extension DeclarationRegistry.Current: Equatable {
    public static func == (lhs: DeclarationRegistry.Current, rhs: DeclarationRegistry.Current) -> Bool { lhs.sha256 == rhs.sha256 }
}
