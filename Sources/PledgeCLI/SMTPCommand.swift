import ArgumentParser
import Foundation
import PledgeJobs
import PledgeStore

/// Checks the mail settings before people depend on them.
struct SMTP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smtp",
        abstract: "Check the SMTP relay settings.",
        subcommands: [Test.self]
    )

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a test message through the relay, with the same settings as `pledge serve`.",
            discussion: "Exits 0 when the relay accepted the message, 1 with the relay's answer when it did not."
        )

        @OptionGroup var smtp: SMTPOptions

        @Option(help: "Where to send the test message.")
        var to: String

        func run() async throws {
            guard let client = try smtp.client() else {
                throw ValidationError("No relay: give --smtp-url or PLEDGE_SMTP_URL.")
            }
            let relay = client.relay
            do {
                try await client.send(
                    OutgoingEmail(
                        to: to, subject: "Pledge test message",
                        text: "This message was sent by `pledge smtp test` to check the relay settings. Nothing needs doing."))
            } catch {
                FileHandle.standardError.write(Data("pledge: the test message was not sent: \(error)\n".utf8))
                throw ExitCode(1)
            }
            print(
                "sent to \(to) through \(relay.host):\(relay.port) (\(relay.security.label)\(relay.credentials.map { ", signed in as \($0.user)" } ?? ""))"
            )
        }
    }
}
