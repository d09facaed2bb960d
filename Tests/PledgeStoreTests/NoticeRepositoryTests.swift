import Foundation
import PledgeCore
import PledgeTestSupport
import Testing

@testable import PledgeStore

/// C02: published notice versions are kept, immutable, and the one in force at any instant can be found.
extension StoreTests {
    @Suite("Notice repository")
    struct NoticeRepositoryTests {
        static func notice(_ version: String, published: String, effective: String, recorded: TimeInterval = 1_790_000_000) -> PublishedNotice {
            PublishedNotice(
                version: version, publishedAt: CalendarDate(published)!.startOfDayUTC, effective: CalendarDate(effective)!,
                recordedAt: Date(timeIntervalSince1970: recorded), summary: "v\(version)", declarationSHA256: String(repeating: "a", count: 64),
                declarationYAML: "pledge: 1 # \(version)", markdown: "# \(version)", html: "<h1>\(version)</h1>"
            )
        }

        @Test("a stored version reads back exactly", arguments: StoreBackend.all)
        func roundTrip(_ backend: StoreBackend) async throws {
            try await backend.withDatabase { database in
                let repository = FluentNoticeRepository(database: database)
                let original = Self.notice("2026-03", published: "2026-03-02", effective: "2026-04-01")
                try await repository.insert(original)
                let stored = try await repository.version("2026-03")
                #expect(stored == original)
                #expect(try await repository.version("missing") == nil)
            }
        }

        @Test("a published label cannot be stored twice, and the first stays untouched", arguments: StoreBackend.all)
        func versionsAreImmutable(_ backend: StoreBackend) async throws {
            try await backend.withDatabase { database in
                let repository = FluentNoticeRepository(database: database)
                let first = Self.notice("1", published: "2026-01-01", effective: "2026-01-01")
                try await repository.insert(first)
                var second = Self.notice("1", published: "2026-02-01", effective: "2026-02-01")
                second.markdown = "changed"
                await #expect(throws: NoticeRepositoryError.versionExists("1")) { try await repository.insert(second) }
                #expect(try await repository.version("1") == first)
                #expect(try await repository.all().count == 1)
            }
        }

        @Test("the version in force respects both publication and effective dates", arguments: StoreBackend.all)
        func inForce(_ backend: StoreBackend) async throws {
            try await backend.withDatabase { database in
                let repository = FluentNoticeRepository(database: database)
                try await repository.insert(Self.notice("A", published: "2026-01-01", effective: "2026-01-15"))
                try await repository.insert(Self.notice("B", published: "2026-03-01", effective: "2026-04-01"))
                try await repository.insert(Self.notice("C", published: "2026-10-01", effective: "2026-11-01"))
                func at(_ day: String) async throws -> String? {
                    try await repository.inForce(at: CalendarDate(day)!.startOfDayUTC.addingTimeInterval(43_200))?.version
                }
                #expect(try await at("2026-01-10") == nil)  // A published but not yet effective
                #expect(try await at("2026-01-15") == "A")
                #expect(try await at("2026-03-15") == "A")  // B announced, not in force
                #expect(try await at("2026-04-01") == "B")
                #expect(try await at("2026-10-20") == "B")
                #expect(try await at("2026-11-21") == "C")
                #expect(try await repository.all().map(\.version) == ["C", "B", "A"])
            }
        }
    }
}
