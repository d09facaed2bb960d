import Foundation
import Logging
import PledgeCore
import PledgeJobs
import PledgeStore
import PledgeTestSupport
import ServiceLifecycle
import Testing

@testable import PledgeServer

/// The announcement job as the server runs it (issue 29 §5; C44; UK GDPR Art 13(3), Art 21(4)):
/// on its timer it finds the purpose a newly published notice adds, and writes once to each person it
/// concerns before it starts. `PurposeAnnouncementTests` checks the letters; this checks the job.
@Suite("Purpose announcement job")
struct PurposeAnnouncementServiceTests {
    @Test(
        "C44/CLQ-61/APX-57/OEX-82 (Art 13(3)): after a notice adding a legitimate-interests purpose is published, the job's next round writes once to the person it concerns, linking that notice; later rounds write nothing more",
        .timeLimit(.minutes(1)))
    func announcesOnItsRound() async throws {
        try await TestServer().test { client, keys, dependencies in
            // Someone who wrote in under the notice in force: an enquirer with an address.
            let id = try await VaultAPITests.subject(client, keys, email: "eve@example.com", categories: ["enquirer"])
            try await client.execute(
                uri: "/v1/subjects/\(id)/data", method: .post, headers: keys.headers("support"),
                body: VaultAPITests.body(["form": "contact", "fields": ["name": "Eve", "email": "eve@example.com"]])
            ) { #expect($0.status == .created) }
            // The next notice, published today and in force from 1 January, adds a purpose for enquirers.
            let yaml = ExampleFiles.addingNoticeVersion(
                to: try TestServer.yaml("compliant").replacingOccurrences(
                    of: "  - id: enquiries\n    name: Answer your enquiries\n",
                    with: "  - id: callbacks\n    name: Call you back about your enquiry\n"
                ).replacingOccurrences(of: "purposes: [enquiries]", with: "purposes: [callbacks]"),
                version: "2027-01", published: "2026-11-21", effective: "2027-01-01", summary: "We call back.")
            #expect(try await dependencies.registry.publish(yaml: yaml, strict: false) == .published(version: "2027-01"))
            #expect(dependencies.registry.current?.introduced["callbacks"] == CalendarDate(year: 2027, month: 1, day: 1))

            let announcements = PurposeAnnouncements(vault: dependencies.vault)
            let job = PurposeAnnouncementService(
                announcements: announcements, registry: dependencies.registry, publicURL: "https://pledge.example", interval: .milliseconds(50),
                logger: Logger(label: "pledge.test"), clock: { TestServer.now })
            let group = ServiceGroup(configuration: .init(services: [.init(service: job)], logger: Logger(label: "pledge.test")))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                while !(try await announcements.announced("callbacks", version: "2027-01")) {
                    try await Task.sleep(for: .milliseconds(20))
                }
                // Several more rounds go by: the mark keeps them from writing again.
                try await Task.sleep(for: .milliseconds(300))
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            let letters = try await Outbox(register: dependencies.cases).due(at: TestServer.now.addingTimeInterval(1), limit: 100)
                .filter { $0.email.text.contains("Call you back about your enquiry") }
            #expect(letters.map(\.email.to) == ["eve@example.com"])
            #expect(letters.first?.email.text.contains("https://pledge.example/privacy/versions/2027-01") == true)
        }
    }
}
