import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PledgeCore
import PledgeTestSupport
import Testing

@testable import PledgeServer
@testable import PledgeStore

/// A slow `http` system's callback through the router (issue 30 §5): the answer completes a
/// privacy-centre case, and the requester is emailed what was done (ECR-38, ECR-41: erasure "from
/// our systems", told to the person); a callback naming no declared system is refused as a bad
/// signature is, so the route does not reveal which system ids exist.
@Suite("System callbacks")
struct SystemCallbackTests {
    static let secretVariable = "PLEDGE_TEST_CALLBACK_HELPDESK_SECRET"
    static let secret = "help desk secret shared with pledge"

    /// The compliant declaration with a help desk Pledge cannot query; its address refuses connections,
    /// so the erasure run on confirmation cannot finish and the case waits, as it does while a system is down.
    static func server() throws -> TestServer {
        setenv(secretVariable, secret, 1)
        return try TestServer { yaml in
            yaml + """

                systems:
                  - id: helpdesk
                    name: Help desk
                    kind: http
                    url: http://127.0.0.1:1/pledge
                    secret_env: \(secretVariable)
                    collections:
                      - name: tickets
                        fields:
                          - name: requester
                            categories: [user.contact.email]

                """
        }
    }

    static func post(
        _ client: any TestClientProtocol, system: String = "helpdesk", _ answer: SystemAnswer
    ) async throws -> (HTTPResponse.Status, String) {
        let body: Data = try SystemAnswer.encode(answer)
        let timestamp = Int(TestServer.now.timeIntervalSince1970)
        let signature = SystemSignature.sign(body, timestamp: timestamp, secret: SymmetricKey(data: Data(secret.utf8)))
        let headers: HTTPFields = [
            .contentType: "application/json", .pledgeTimestamp: String(timestamp), .pledgeSignature: signature,
        ]
        return try await client.execute(
            uri: "/v1/systems/\(system)/callback", method: .post, headers: headers, body: ByteBuffer(bytes: body)
        ) { ($0.status, $0.body.text) }
    }

    @Test("ECR-41/ECR-38: a privacy-centre erasure completed by a system's callback is emailed to the requester with its outcome")
    func callbackCompletionIsEmailed() async throws {
        let email = "grace@helpdesk.example"
        try await Self.server().test { client, _, dependencies in
            let casePath = try await PrivacyCentreTests.confirmedCase(client, dependencies, kind: .erasure, email: email)
            let idText = try #require(casePath.firstMatch(of: /requests\/([0-9a-fA-F-]{36})/)?.output.1)
            let id = try #require(UUID(uuidString: String(idText)))
            let waiting = try #require(try await dependencies.cases.find(id))
            #expect(waiting.state == .inProgress)
            // `due` hands each letter out once (it is leased to the sender), so each call shows what is new.
            let outbox = Outbox(register: dependencies.cases)
            func newLetters() async throws -> [String] {
                try await outbox.due(at: TestServer.now.addingTimeInterval(1)).filter { $0.email.to == email }.map(\.email.text)
            }
            let confirmed = try await newLetters()
            #expect(confirmed.count == 1 && confirmed.first?.contains("We will answer by") == true)

            // The help desk was asked and said it would answer later.
            try await SystemTasks(register: dependencies.cases).markPending(id, system: "helpdesk", action: .erasure, at: TestServer.now)
            let answer = SystemAnswer(status: .done, done: ["tickets: 2 row(s) deleted"], kept: [], requestId: id, action: .erasure)
            let (status, receipt) = try await Self.post(client, answer)
            #expect(status == .ok && receipt.contains("\"completed\""), "\(receipt)")

            let completed = try #require(try await dependencies.cases.find(id))
            #expect(completed.state == .completed && completed.outcome?.contains("tickets: 2 row(s) deleted") == true)
            let letters = try await newLetters()
            #expect(letters.count == 1)
            let letter = try #require(letters.first)
            #expect(letter.contains("is complete") && letter.contains("tickets: 2 row(s) deleted"))
            #expect(letter.contains("/privacy-centre/requests/\(id.storedText)?key="))

            // The same answer again changes nothing and sends nothing.
            let (replayed, _) = try await Self.post(client, answer)
            #expect(replayed == .conflict)
            #expect(try await newLetters().isEmpty)
        }
    }

    @Test("Issue 30 §5: a callback for an undeclared system is refused exactly as a bad signature, naming no system")
    func unknownSystemLooksLikeBadSignature() async throws {
        try await Self.server().test { client in
            let answer = SystemAnswer(status: .done, done: [], kept: [], requestId: UUID(), action: .erasure)
            let (unknown, unknownBody) = try await Self.post(client, system: "nosuch", answer)
            #expect(unknown == .unauthorized && unknownBody.contains("system.signature-invalid"))
            #expect(!unknownBody.contains("nosuch"))
            let (declared, _) = try await Self.post(client, answer)
            #expect(declared == .conflict)  // signed right, but no task waits: so the id is known only to the signer
        }
    }
}
