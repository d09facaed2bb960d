import Crypto
import Foundation
import _CryptoExtras

/// Signs outgoing mail with DKIM (RFC 6376), relaxed/relaxed canonicalisation, with an RSA key
/// (rsa-sha256, which every receiver verifies) or an Ed25519 key (ed25519-sha256, RFC 8463). The
/// signature covers every header `signedHeaders` names that the message has, List-Unsubscribe and
/// List-Unsubscribe-Post among them (RFC 8058 §4 asks for both to be signed).
public struct DKIMSigner: Sendable {
    /// The signing domain (`d=`) and selector (`s=`): the public key is published at
    /// `SELECTOR._domainkey.DOMAIN`.
    public let domain: String
    public let selector: String
    private let key: Key

    enum Key: Sendable {
        case rsa(_RSA.Signing.PrivateKey)
        case ed25519(Curve25519.Signing.PrivateKey)
    }

    /// Headers signed when present, lower-cased (RFC 6376 §5.4.1 recommends From, Subject, Date, To and the rest).
    static let signedHeaders = [
        "from", "to", "subject", "date", "message-id", "list-unsubscribe", "list-unsubscribe-post", "mime-version", "content-type",
        "content-transfer-encoding",
    ]

    /// A signer with the key in `file`: an RSA private key in PEM, or an Ed25519 key as the base64 of
    /// its 32-byte seed (as `dknewkey --ktype ed25519` writes it).
    public init(domain: String, selector: String, keyFile file: String) throws {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw DKIMError.unreadable(file) }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("-----BEGIN") {
            do {
                key = .rsa(try _RSA.Signing.PrivateKey(pemRepresentation: trimmed))
            } catch {
                throw DKIMError.invalidKey(file, "not an RSA private key of 1024 bits or more (\(error))")
            }
        } else if let seed = Data(base64Encoded: trimmed), seed.count == 32 {
            key = .ed25519(try Curve25519.Signing.PrivateKey(rawRepresentation: seed))
        } else {
            throw DKIMError.invalidKey(file, "neither an RSA key in PEM nor the base64 of a 32-byte Ed25519 seed")
        }
        guard Self.isDomain(domain), Self.isDomain(selector) else {
            throw DKIMError.invalidKey(file, "the domain '\(domain)' or selector '\(selector)' is not a DNS name")
        }
        self.domain = domain
        self.selector = selector
    }

    /// The DNS TXT record that publishes the public key, at `SELECTOR._domainkey.DOMAIN`.
    public var dnsRecord: String {
        switch key {
        case .rsa(let key): "v=DKIM1; k=rsa; p=\(key.publicKey.derRepresentation.base64EncodedString())"
        case .ed25519(let key): "v=DKIM1; k=ed25519; p=\(key.publicKey.rawRepresentation.base64EncodedString())"
        }
    }

    /// `message` (headers, an empty line, the body; CRLF line ends) with a DKIM-Signature header first.
    public func sign(_ message: String, at instant: Date) throws -> String {
        guard let split = message.range(of: "\r\n\r\n") else { throw DKIMError.malformed }
        let headers = Self.headerFields(String(message[..<split.lowerBound]))
        let body = String(message[split.upperBound...])
        let bodyHash = Data(SHA256.hash(data: Data(Self.relaxedBody(body).utf8))).base64EncodedString()
        let present = headers.map { $0.name.lowercased() }
        let signed = Self.signedHeaders.filter(present.contains)
        let algorithm: String
        switch key {
        case .rsa: algorithm = "rsa-sha256"
        case .ed25519: algorithm = "ed25519-sha256"
        }
        let value =
            "v=1; a=\(algorithm); c=relaxed/relaxed; d=\(domain); s=\(selector); t=\(Int(instant.timeIntervalSince1970)); "
            + "h=\(signed.joined(separator: ":")); bh=\(bodyHash); b="
        // RFC 6376 §5.4.2: with one instance of each header, the last is the one signed.
        var input = ""
        for name in signed {
            guard let field = headers.last(where: { $0.name.lowercased() == name }) else { continue }
            input += Self.relaxedHeader(name: field.name, value: field.value) + "\r\n"
        }
        input += Self.relaxedHeader(name: "DKIM-Signature", value: value)
        let signature: Data
        switch key {
        case .rsa(let key):
            signature = try key.signature(for: SHA256.hash(data: Data(input.utf8)), padding: .insecurePKCS1v1_5).rawRepresentation
        case .ed25519(let key):
            // RFC 8463 §3: PureEdDSA over the SHA-256 hash of the canonicalised input.
            signature = try key.signature(for: Data(SHA256.hash(data: Data(input.utf8))))
        }
        return "DKIM-Signature: " + Self.folded(value + signature.base64EncodedString()) + "\r\n" + message
    }

    /// Header fields with their unfolded values, in order.
    static func headerFields(_ block: String) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        for line in block.components(separatedBy: "\r\n") {
            if let first = line.first, first == " " || first == "\t", !fields.isEmpty {
                fields[fields.count - 1].value += "\r\n" + line
            } else if let colon = line.firstIndex(of: ":") {
                fields.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
            }
        }
        return fields
    }

    /// RFC 6376 §3.4.2: lower-case name, value unfolded, runs of white space as one space, none at either end.
    static func relaxedHeader(name: String, value: String) -> String {
        let unfolded = value.replacingOccurrences(of: "\r\n", with: "")
        return name.lowercased().trimmingCharacters(in: .whitespaces) + ":" + collapsed(unfolded).trimmingCharacters(in: .whitespaces)
    }

    /// RFC 6376 §3.4.4: runs of white space in a line as one space, none at its end, no empty lines at
    /// the end of the body, and a non-empty body ending in CRLF.
    static func relaxedBody(_ body: String) -> String {
        // Byte by byte: it runs over every message's whole body, and the Character-wise version was a
        // twentieth of a campaign's send.
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var lines: [[UInt8]] = [[]]
        var inSpace = false
        let bytes = Array(body.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == cr, index + 1 < bytes.count, bytes[index + 1] == lf {
                if lines[lines.count - 1].last == space { lines[lines.count - 1].removeLast() }
                lines.append([])
                inSpace = false
                index += 2
                continue
            }
            if byte == space || byte == tab {
                if !inSpace { lines[lines.count - 1].append(space) }
                inSpace = true
            } else {
                lines[lines.count - 1].append(byte)
                inSpace = false
            }
            index += 1
        }
        if lines[lines.count - 1].last == space { lines[lines.count - 1].removeLast() }
        while let last = lines.last, last.isEmpty { lines.removeLast() }
        var canonical: [UInt8] = []
        canonical.reserveCapacity(bytes.count)
        for line in lines { canonical += line + [cr, lf] }
        return String(decoding: canonical, as: UTF8.self)
    }

    private static func collapsed(_ text: String) -> String {
        var result = ""
        var inSpace = false
        for character in text {
            if character == " " || character == "\t" {
                if !inSpace { result.append(" ") }
                inSpace = true
            } else {
                result.append(character)
                inSpace = false
            }
        }
        return result
    }

    /// The header value folded at 76 columns, at points where white space may go (after `;`, and inside `b=`).
    private static func folded(_ value: String) -> String {
        var lines: [String] = []
        var line = ""
        for part in value.split(separator: " ", omittingEmptySubsequences: false) {
            if !line.isEmpty, line.count + part.count + 1 > 76 {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + part
        }
        lines.append(line)
        // The signature is broken too: a verifier deletes b='s value, white space and all, before it
        // checks (RFC 6376 §3.5); any other tag broken would read back with a space it was not signed with.
        return lines.flatMap { line in line.hasPrefix("b=") ? Self.chunks(line, of: 72) : [line] }.joined(separator: "\r\n\t")
    }

    /// `text` in pieces of at most `size` characters.
    private static func chunks(_ text: String, of size: Int) -> [String] {
        var pieces: [String] = []
        var rest = Substring(text)
        repeat {
            pieces.append(String(rest.prefix(size)))
            rest = rest.dropFirst(size)
        } while !rest.isEmpty
        return pieces
    }

    private static func isDomain(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 253
            && text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
                !label.isEmpty && label.count <= 63 && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
            }
    }
}

/// Why a DKIM key could not be used.
public enum DKIMError: Error, Equatable, CustomStringConvertible {
    case unreadable(String)
    case invalidKey(String, String)
    case malformed

    public var description: String {
        switch self {
        case .unreadable(let file): "Cannot read the DKIM key file \(file)."
        case .invalidKey(let file, let why): "The DKIM key in \(file) cannot be used: \(why)."
        case .malformed: "The message has no empty line between its headers and body."
        }
    }
}
