import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PledgeCore
import PledgeStore
import PledgeTestSupport
import Testing

/// The DPO's home page (issue 29 §6, §7): today's attention across the registers, escaped.
@Suite("DPO home page")
struct HomePageTests {
    /// compliant.yaml with its security review a year and a half old and the mailer's contract ending in a fortnight.
    static func edit(_ yaml: String) -> String {
        ExampleFiles.addingDisclosureRecipients(to: yaml)
            .replacingOccurrences(of: "  reviewed: 2026-09-15\n", with: "  reviewed: 2025-05-01\n")
            .replacingOccurrences(
                of: "contract: {art28: true, signed: 2025-09-01}", with: "contract: {art28: true, signed: 2025-09-01, expires: 2026-12-05}")
    }

    @Test(
        "C38/C23/C39/C25/APX-45 (Art 32(1)(d), Art 28, Art 33): a DPO signs in to today's page: the breach on the clock, the disclosure awaiting a decision, the hold, the overdue security review and the contract ending soon, every value escaped; support is sent to the queue instead",
        arguments: StoreBackend.all)
    func today(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend, editing: Self.edit).test { client, keys in
            let empty = try await ConsoleTests.session(client, keys.tokens["dpo"]!)
            try await client.execute(uri: "/admin", method: .get, headers: ConsoleTests.cookie(empty)) { response in
                let page = response.body.text
                #expect(response.status == .ok && page.contains("No breach waits") && page.contains("No legal hold is in force"))
                #expect(page.contains("Security review") && page.contains("2026-05-01") && page.contains("overdue"), "due a year after 2025-05-01")
                #expect(page.contains("mailer") && page.contains("2026-12-06") && page.contains("due soon"), "the contract ends after 5 December")
            }
            // /metrics counts them (the registry is the process's: another test's scrape may set it between ours, so read until stable).
            var line: Substring?
            for _ in 0..<3 where line == nil {
                line = try await client.execute(uri: "/metrics", method: .get) { response in
                    response.body.text.split(separator: "\n").first {
                        $0.hasPrefix("pledge_reviews_attention{") && $0.contains("kind=\"security\"") && $0.contains("standing=\"overdue\"")
                            && $0.hasSuffix(" 1.0")
                    }
                }
            }
            #expect(line != nil, "the overdue security review is on /metrics")
            let ada = try await VaultAPITests.subject(client, keys, email: "ada@example.com", categories: ["enquirer"])
            let aware = ISO8601DateFormatter().string(from: TestServer.now.addingTimeInterval(-50 * 3600))
            let (reported, _, _) = try await MarketingAPITests.post(
                client, keys, "/v1/breaches", role: "support",
                ["awareAt": aware, "facts": "A laptop <script>alert(1)</script> was stolen", "categories": ["user.contact.email"]])
            let (logged, _, _) = try await MarketingAPITests.post(
                client, keys, "/v1/disclosures", role: "support",
                [
                    "requester": "law_enforcement", "requesterName": "Thames Valley Police", "verification": "Called back the control room",
                    "ground": "crime", "necessity": "Tracing a suspect; prejudiced without it", "categories": ["user.contact.email"],
                    "subjects": [ada],
                ])
            let (held, _, _) = try await RetentionAPITests.post(
                client, keys, "/v1/retention/holds", ["scope": "subject", "target": ada, "reason": "Claim 2027-14"])
            #expect(reported == .created && logged == .created && held == .created)

            let dpo = try await client.execute(
                uri: "/admin/sign-in", method: .post, headers: [.contentType: ConsoleTests.formType],
                body: ConsoleTests.form(["key": keys.tokens["dpo"]!])
            ) { response in
                #expect(response.headers[.location] == "/admin", "the DPO lands on today's page")
                return try #require(response.headers[.setCookie]?.firstMatch(of: /pledge_admin=([^;]+);/)?.output.1).description
            }
            try await client.execute(uri: "/admin", method: .get, headers: ConsoleTests.cookie(dpo)) { response in
                let page = response.body.text
                #expect(page.contains("Escalated: ICO due by"), "the breach is past 48 hours")
                #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !page.contains("<script>alert"), "escaped")
                #expect(page.contains("Thames Valley Police") && page.contains("DPA 2018 Sch 2 para 2(1)(a),(b)") && page.contains("key:support"))
                #expect(page.contains("Claim 2027-14") && page.contains("aria-current=\"page\">Today"))
            }
            try await client.execute(uri: "/admin", method: .get, headers: keys.headers("support")) { response in
                #expect(response.status == .forbidden, "support works the queue; today's page is the DPO's")
            }
            try await client.execute(
                uri: "/admin/sign-in", method: .post, headers: [.contentType: ConsoleTests.formType],
                body: ConsoleTests.form(["key": keys.tokens["support"]!])
            ) { response in
                #expect(response.headers[.location] == "/admin/requests")
            }
        }
    }

    @Test("C28 (Art 12(3)): today's page counts every open request, not only the queue's first page of 100", arguments: StoreBackend.all)
    func countsEveryOpenRequest(_ backend: StoreBackend) async throws {
        try await TestServer(backend: backend).test { client, keys in
            for index in 0..<101 {
                _ = try await RequestAPITests.open(
                    client, keys, ["kind": "access", "channel": "email", "requester": ["email": "person\(index)@example.com"]])
            }
            let session = try await ConsoleTests.session(client, keys.tokens["dpo"]!)
            try await client.execute(uri: "/admin", method: .get, headers: ConsoleTests.cookie(session)) { response in
                #expect(response.body.text.contains("<strong>101</strong> open"))
            }
        }
    }
}
