import ArgumentParser
import Foundation
import PledgeJobs
import PledgeStore

/// The relay mail goes through, from the options or the environment (`PLEDGE_SMTP_*`).
struct SMTPOptions: ParsableArguments {
    @Option(
        help:
            "SMTP relay for verification links and notices: smtps://mail.example.org, smtp://user@mail.example.org:587 (STARTTLS), or smtp://127.0.0.1:25 for a relay on this machine. Default: $PLEDGE_SMTP_URL; without one, mail waits in the outbox."
    )
    var smtpURL: String?

    @Option(help: "Sender address of the emails. Default: $PLEDGE_SMTP_FROM, else privacy@localhost.")
    var smtpFrom: String?

    @Option(help: "File holding the relay password for the user in --smtp-url. Default: $PLEDGE_SMTP_PASSWORD.")
    var smtpPasswordFile: String?

    @Option(help: "PEM file of certificates to trust for the relay, beside the system's (a private CA). Default: $PLEDGE_SMTP_CA_FILE.")
    var smtpCAFile: String?

    @Option(help: "Seconds one message may take with the relay, connection to QUIT.")
    var smtpTimeout: Int = 120

    @Option(
        help:
            "Key that signs every message with DKIM: an RSA private key in PEM, or the base64 of an Ed25519 seed (`pledge smtp dkim-key`). Default: $PLEDGE_DKIM_KEY_FILE."
    )
    var dkimKeyFile: String?

    @Option(help: "DKIM selector: the key is published at SELECTOR._domainkey.DOMAIN. Default: $PLEDGE_DKIM_SELECTOR, else pledge.")
    var dkimSelector: String?

    @Option(help: "DKIM signing domain. Default: $PLEDGE_DKIM_DOMAIN, else the sender's domain.")
    var dkimDomain: String?

    @Option(
        help:
            "Seconds a node holds the messages it took from the outbox: when a node dies mid-batch, another sends them after this. Keep it longer than a batch of 20 can take with the relay."
    )
    var outboxLease: Int = Int(Outbox.defaultLease)

    @Option(help: "Campaign messages a second this node sends at most (a relay's or provider's limit).")
    var campaignRate: Int = 100

    /// The outbox lease, checked.
    func lease() throws -> TimeInterval {
        guard outboxLease > 0 else { throw ValidationError("--outbox-lease must be at least 1 second.") }
        guard campaignRate > 0 else { throw ValidationError("--campaign-rate must be at least 1.") }
        return TimeInterval(outboxLease)
    }

    /// The client for the configured relay, nil when none is; a bad setting is a validation error
    /// that names it.
    func client() throws -> SMTPClient? {
        let environment = ProcessInfo.processInfo.environment
        guard let url = smtpURL ?? environment["PLEDGE_SMTP_URL"], !url.isEmpty else { return nil }
        guard smtpTimeout > 0 else { throw ValidationError("--smtp-timeout must be at least 1 second.") }
        var password = environment["PLEDGE_SMTP_PASSWORD"]
        if let smtpPasswordFile {
            guard let text = try? String(contentsOfFile: smtpPasswordFile, encoding: .utf8) else {
                throw ValidationError("Cannot read the SMTP password file \(smtpPasswordFile).")
            }
            password = text.trimmingCharacters(in: .newlines)
        }
        let from = smtpFrom ?? environment["PLEDGE_SMTP_FROM"] ?? "privacy@localhost"
        do {
            return try SMTPClient(
                relay: SMTPRelay(url: url, from: from, password: password, trustedCertificatesFile: smtpCAFile ?? environment["PLEDGE_SMTP_CA_FILE"]),
                timeout: .seconds(smtpTimeout), dkim: try signer(from: from))
        } catch let error as SMTPError {
            throw ValidationError(error.description)
        } catch let error as DKIMError {
            throw ValidationError(error.description)
        }
    }

    /// The DKIM signer the options name; nil without a key file.
    func signer(from: String) throws -> DKIMSigner? {
        let environment = ProcessInfo.processInfo.environment
        guard let file = dkimKeyFile ?? environment["PLEDGE_DKIM_KEY_FILE"], !file.isEmpty else { return nil }
        let domain = dkimDomain ?? environment["PLEDGE_DKIM_DOMAIN"] ?? String(from.split(separator: "@").last ?? "")
        return try DKIMSigner(domain: domain, selector: dkimSelector ?? environment["PLEDGE_DKIM_SELECTOR"] ?? "pledge", keyFile: file)
    }
}
