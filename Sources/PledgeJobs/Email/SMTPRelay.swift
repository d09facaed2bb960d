import Foundation

/// Where mail goes: an SMTP relay (`smtp://host:port`) and the sender address.
///
/// This release speaks plain SMTP only, so it refuses a relay that is not on this machine: a
/// verification link must not cross a network unencrypted (UK GDPR Art 32). Run a local relay
/// (Postfix, OpenSMTPD) that forwards over TLS.
public struct SMTPRelay: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var from: String
    /// The name given in EHLO.
    public var heloName: String

    public init(url text: String, from: String, heloName: String = "pledge.localhost") throws(SMTPError) {
        guard let url = URL(string: text), url.scheme == "smtp", let host = url.host, !host.isEmpty else {
            throw .configuration("'\(text)' is not an SMTP relay address; write smtp://127.0.0.1:25.")
        }
        guard ["127.0.0.1", "::1", "localhost"].contains(host) else {
            throw .configuration("The relay \(host) is not on this machine; Pledge sends only to a local relay, which forwards over TLS.")
        }
        guard from.contains("@"), !from.contains("\r"), !from.contains("\n") else {
            throw .configuration("The sender '\(from)' is not an email address.")
        }
        self.host = host
        self.port = url.port ?? 25
        self.from = from
        self.heloName = heloName
    }
}

/// Why a message could not be sent.
public enum SMTPError: Error, Equatable, CustomStringConvertible {
    case configuration(String)
    case rejected(command: String, reply: String)
    case connectionClosed
    case invalidRecipient(String)

    public var description: String {
        switch self {
        case .configuration(let message): message
        case .rejected(let command, let reply): "The relay refused \(command): \(reply)"
        case .connectionClosed: "The relay closed the connection."
        case .invalidRecipient(let to): "'\(to)' is not an address to send to."
        }
    }
}
