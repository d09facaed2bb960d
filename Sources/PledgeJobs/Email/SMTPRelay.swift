import Foundation

/// Where mail goes: an SMTP relay, how the connection to it is protected, who signs in, and the
/// sender address.
///
/// - `smtps://host[:465]`: TLS from the first byte (RFC 8314 §3.3).
/// - `smtp://host[:587]`: STARTTLS (RFC 3207), required: a relay that does not offer it is not used.
/// - `smtp://127.0.0.1[:25]` and other addresses of this machine: plain, for a local relay
///   (Postfix, OpenSMTPD) that forwards over TLS; add `?tls=starttls` to use STARTTLS there too.
///
/// Mail never crosses a network unencrypted: a verification link is a key to someone's data (UK GDPR
/// Art 32(1)(a)). The user name may be in the address (`smtp://user@host`); the password is read
/// from the environment or a file, not from the command line where `ps` shows it.
public struct SMTPRelay: Sendable, Equatable {
    /// How the connection is protected.
    public enum Security: String, Sendable, Equatable {
        case none, startTLS = "starttls", implicitTLS = "implicit"

        /// How the connection is protected, in words.
        public var label: String {
            switch self {
            case .none: "plain, this machine"
            case .startTLS: "STARTTLS"
            case .implicitTLS: "TLS"
            }
        }
    }

    public var host: String
    public var port: Int
    public var security: Security
    /// AUTH PLAIN (RFC 4954, RFC 4616) after TLS, when a user is named.
    public var credentials: SMTPCredentials?
    /// PEM certificates trusted beside the system's, for a relay with a private CA.
    public var trustedCertificatesFile: String?
    public var from: String
    /// The name given in EHLO.
    public var heloName: String

    public init(
        url text: String, from: String, password: String? = nil, trustedCertificatesFile: String? = nil,
        heloName: String = "pledge.localhost"
    ) throws(SMTPError) {
        guard let parts = URLComponents(string: text), let scheme = parts.scheme, ["smtp", "smtps"].contains(scheme),
            let host = parts.host, !host.isEmpty
        else {
            throw .configuration(
                "'\(text)' is not an SMTP relay address; write smtps://mail.example.org, smtp://mail.example.org:587 or smtp://127.0.0.1:25.")
        }
        let local = ["127.0.0.1", "::1", "localhost"].contains(host)
        let asked = parts.queryItems?.first { $0.name == "tls" }?.value
        let security: Security
        switch (scheme, asked) {
        case ("smtps", nil), ("smtps", "implicit"): security = .implicitTLS
        case ("smtp", nil): security = local ? .none : .startTLS
        case ("smtp", let value?) where Security(rawValue: value) != nil && value != "implicit": security = Security(rawValue: value)!
        default:
            throw .configuration(
                "'tls=\(asked ?? "")' does not fit \(scheme)://; smtps:// is TLS from the start, smtp:// takes tls=starttls or tls=none.")
        }
        guard security != .none || local else {
            throw .configuration(
                "The relay \(host) is not on this machine, so mail to it must be encrypted: use smtps:// or STARTTLS (drop tls=none).")
        }
        guard from.contains("@"), !from.contains("\r"), !from.contains("\n") else {
            throw .configuration("The sender '\(from)' is not an email address.")
        }
        if let user = parts.user, !user.isEmpty {
            guard let secret = password ?? parts.password, !secret.isEmpty else {
                throw .configuration("The relay names the user \(user) but no password was given (PLEDGE_SMTP_PASSWORD or --smtp-password-file).")
            }
            guard security != .none else {
                throw .configuration("A password is sent only over TLS: use smtps:// or add tls=starttls.")
            }
            credentials = SMTPCredentials(user: user, password: secret)
        } else {
            credentials = nil
        }
        self.host = host
        self.port = parts.port ?? (security == .implicitTLS ? 465 : local ? 25 : 587)
        self.security = security
        self.trustedCertificatesFile = trustedCertificatesFile
        self.from = from
        self.heloName = heloName
    }
}

/// A relay account.
public struct SMTPCredentials: Sendable, Equatable, CustomStringConvertible {
    public var user: String
    public var password: String

    /// The AUTH PLAIN response (RFC 4616): no authorisation identity, the user, the password.
    var plainResponse: String {
        Data("\0\(user)\0\(password)".utf8).base64EncodedString()
    }

    /// Never the password, so logging a relay cannot leak it.
    public var description: String { "\(user):••••" }
}

/// Why a message could not be sent.
public enum SMTPError: Error, Equatable, CustomStringConvertible {
    case configuration(String)
    case rejected(command: String, reply: String)
    case connectionClosed
    /// The recipient is not an address (`EmailAddress`); which one is not said, to keep it out of logs.
    case invalidRecipient
    case startTLSNotOffered
    case timedOut(Duration)

    public var description: String {
        switch self {
        case .configuration(let message): message
        case .rejected(let command, let reply): "The relay refused \(command): \(reply)"
        case .connectionClosed: "The relay closed the connection."
        case .invalidRecipient: "The recipient is not an address to send to."
        case .startTLSNotOffered: "The relay does not offer STARTTLS, so nothing was sent (mail to it must be encrypted)."
        case .timedOut(let limit): "The relay did not finish within \(limit.components.seconds) s."
        }
    }

    /// What a log line or the outbox may say of the failure: the step and the reply's code, never
    /// the reply's text, which may echo the recipient's address.
    public var summary: String {
        switch self {
        case .rejected(let command, let reply): "refused at \(command) (\(reply.prefix(3)))"
        default: description
        }
    }

    /// Whether trying again cannot help: the relay refused with a permanent (5xx) reply, or the
    /// recipient is not an address (RFC 5321 §4.2.1).
    public var isPermanent: Bool {
        switch self {
        case .rejected(_, let reply): reply.hasPrefix("5")
        case .invalidRecipient: true
        default: false
        }
    }
}
