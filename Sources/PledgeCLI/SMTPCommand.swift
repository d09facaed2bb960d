import ArgumentParser
import Crypto
import Foundation
import PledgeJobs
import PledgeStore
import _CryptoExtras

/// Checks the mail settings before people depend on them.
struct SMTP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smtp",
        abstract: "Check the SMTP relay settings.",
        subcommands: [Test.self, DKIMKey.self]
    )

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a test message through the relay, with the same settings as `pledge serve`.",
            discussion: "Exits 0 when the relay accepted the message, 1 with the relay's answer when it did not."
        )

        @OptionGroup var smtp: SMTPOptions

        @Option(help: "Where to send the test message.")
        var to: String

        @Option(help: "Send it as a marketing message would go: with List-Unsubscribe headers to this HTTPS URL (RFC 8058).")
        var unsubscribeURL: String?

        func run() async throws {
            guard let client = try smtp.client() else {
                throw ValidationError("No relay: give --smtp-url or PLEDGE_SMTP_URL.")
            }
            let relay = client.relay
            do {
                try await client.send(
                    OutgoingEmail(
                        to: to, subject: "Pledge test message",
                        text: "This message was sent by `pledge smtp test` to check the relay settings. Nothing needs doing.",
                        listUnsubscribe: unsubscribeURL.map { ListUnsubscribe(url: $0) }))
            } catch {
                FileHandle.standardError.write(Data("pledge: the test message was not sent: \(error)\n".utf8))
                throw ExitCode(1)
            }
            print(
                "sent to \(to) through \(relay.host):\(relay.port) (\(relay.security.label)\(relay.credentials.map { ", signed in as \($0.user)" } ?? ""))"
            )
        }
    }

    struct DKIMKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dkim-key",
            abstract: "Make a DKIM signing key (private to this user) and print the DNS record that publishes it.")

        @Option(help: "Where to write the private key (created 0600; an existing file is not overwritten).")
        var out: String

        @Option(help: "rsa (2048 bits, verified by every receiver) or ed25519 (RFC 8463).")
        var type: String = "rsa"

        @Option(help: "The selector the record goes under.")
        var selector: String = "pledge"

        @Option(help: "The signing domain, for the record's name.")
        var domain: String

        func run() throws {
            guard !FileManager.default.fileExists(atPath: out) else { throw ValidationError("\(out) exists; choose another file.") }
            let text: String
            switch type {
            case "rsa": text = try _RSA.Signing.PrivateKey(keySize: .bits2048).pemRepresentation
            case "ed25519": text = Curve25519.Signing.PrivateKey().rawRepresentation.base64EncodedString()
            default: throw ValidationError("--type is rsa or ed25519.")
            }
            try PrivateFiles.create(URL(fileURLWithPath: out), contents: Data((text + "\n").utf8))
            let signer = try DKIMSigner(domain: domain, selector: selector, keyFile: out)
            print("\(selector)._domainkey.\(domain) TXT \"\(signer.dnsRecord)\"")
        }
    }
}
