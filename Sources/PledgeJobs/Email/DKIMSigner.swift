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
        // Byte by byte throughout: Foundation's String searches and trims went through NSString, and
        // with the Character-wise canonicalisation were a fifth of a campaign's send.
        let bytes = Array(message.utf8)
        guard let split = Self.emptyLine(in: bytes) else { throw DKIMError.malformed }
        let fields = Self.headerFields(bytes[..<split])
        let bodyHash = Data(SHA256.hash(data: Self.relaxedBody(bytes[(split + 4)...]))).base64EncodedString()
        let names = fields.map { String(decoding: Self.relaxedName($0.name), as: UTF8.self) }
        let signed = Self.signedHeaders.filter(names.contains)
        let algorithm: String
        switch key {
        case .rsa: algorithm = "rsa-sha256"
        case .ed25519: algorithm = "ed25519-sha256"
        }
        let value =
            "v=1; a=\(algorithm); c=relaxed/relaxed; d=\(domain); s=\(selector); t=\(Int(instant.timeIntervalSince1970)); "
            + "h=\(signed.joined(separator: ":")); bh=\(bodyHash); b="
        // RFC 6376 §5.4.2: with one instance of each header, the last is the one signed.
        var input: [UInt8] = []
        for name in signed {
            guard let index = names.lastIndex(of: name) else { continue }
            Self.relaxedHeader(name: fields[index].name, value: fields[index].value, into: &input)
            input += [UInt8(ascii: "\r"), UInt8(ascii: "\n")]
        }
        Self.relaxedHeader(name: Array("DKIM-Signature".utf8)[...], value: Array(value.utf8)[...], into: &input)
        let signature: Data
        switch key {
        case .rsa(let key):
            signature = try key.signature(for: SHA256.hash(data: input), padding: .insecurePKCS1v1_5).rawRepresentation
        case .ed25519(let key):
            // RFC 8463 §3: PureEdDSA over the SHA-256 hash of the canonicalised input.
            signature = try key.signature(for: Data(SHA256.hash(data: input)))
        }
        return "DKIM-Signature: " + Self.folded(value + signature.base64EncodedString()) + "\r\n" + message
    }

    /// Header fields with their values (folded lines joined with their CRLF), in order.
    static func headerFields(_ block: String) -> [(name: String, value: String)] {
        headerFields(Array(block.utf8)[...]).map { (String(decoding: $0.name, as: UTF8.self), String(decoding: $0.value, as: UTF8.self)) }
    }

    /// `headerFields` over bytes: each field's name and value as slices of `block`.
    static func headerFields(_ block: ArraySlice<UInt8>) -> [(name: ArraySlice<UInt8>, value: ArraySlice<UInt8>)] {
        let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n"), colon = UInt8(ascii: ":")
        var fields: [(name: ArraySlice<UInt8>, value: ArraySlice<UInt8>)] = []
        var start = block.startIndex
        while start < block.endIndex {
            var end = start
            while end < block.endIndex, !(block[end] == cr && end + 1 < block.endIndex && block[end + 1] == lf) { end += 1 }
            let first = block[start]
            if first == UInt8(ascii: " ") || first == UInt8(ascii: "\t"), let last = fields.indices.last {
                // A continuation line: the value runs on to its end, the CRLF before it included.
                fields[last].value = block[fields[last].value.startIndex..<end]
            } else if let split = block[start..<end].firstIndex(of: colon) {
                fields.append((block[start..<split], block[(split + 1)..<end]))
            }
            start = end + 2
        }
        return fields
    }

    /// RFC 6376 §3.4.2: lower-case name, value unfolded, runs of white space as one space, none at either end.
    static func relaxedHeader(name: String, value: String) -> String {
        var canonical: [UInt8] = []
        relaxedHeader(name: Array(name.utf8)[...], value: Array(value.utf8)[...], into: &canonical)
        return String(decoding: canonical, as: UTF8.self)
    }

    /// `relaxedHeader` appended to `canonical` as bytes.
    static func relaxedHeader(name: ArraySlice<UInt8>, value: ArraySlice<UInt8>, into canonical: inout [UInt8]) {
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        canonical += relaxedName(name)
        canonical.append(UInt8(ascii: ":"))
        var written = false, pendingSpace = false
        var index = value.startIndex
        while index < value.endIndex {
            let byte = value[index]
            if byte == cr, index + 1 < value.endIndex, value[index + 1] == lf {
                index += 2  // unfolded: the CRLF goes, the white space after it stays
                continue
            }
            if byte == space || byte == tab {
                pendingSpace = written
            } else {
                if pendingSpace { canonical.append(space) }
                canonical.append(byte)
                written = true
                pendingSpace = false
            }
            index += 1
        }
    }

    /// A field name lower-cased (ASCII, as field names are), without the white space around it.
    static func relaxedName(_ name: ArraySlice<UInt8>) -> [UInt8] {
        name.compactMap { byte in
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { return nil }
            return byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
        }
    }

    /// RFC 6376 §3.4.4: runs of white space in a line as one space, none at its end, no empty lines at
    /// the end of the body, and a non-empty body ending in CRLF.
    static func relaxedBody(_ body: String) -> String {
        String(decoding: relaxedBody(Array(body.utf8)[...]), as: UTF8.self)
    }

    /// `relaxedBody` over bytes, in one pass: it runs over every message's whole body, and the
    /// Character-wise version was a twentieth of a campaign's send.
    static func relaxedBody(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var canonical: [UInt8] = []
        canonical.reserveCapacity(bytes.count + 2)
        var line: [UInt8] = []
        // Empty lines are written only once a line with something in it follows them.
        var emptyLines = 0
        func endLine() {
            if line.last == space { line.removeLast() }
            if line.isEmpty {
                emptyLines += 1
            } else {
                for _ in 0..<emptyLines { canonical += [cr, lf] }
                emptyLines = 0
                canonical += line
                canonical += [cr, lf]
                line.removeAll(keepingCapacity: true)
            }
        }
        var inSpace = false
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == cr, index + 1 < bytes.endIndex, bytes[index + 1] == lf {
                endLine()
                inSpace = false
                index += 2
                continue
            }
            if byte == space || byte == tab {
                if !inSpace { line.append(space) }
                inSpace = true
            } else {
                line.append(byte)
                inSpace = false
            }
            index += 1
        }
        endLine()
        return canonical
    }

    /// Where the first empty line (CRLF CRLF) starts: the end of the headers.
    static func emptyLine(in bytes: [UInt8]) -> Int? {
        let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var index = 0
        while index + 3 < bytes.count {
            if bytes[index] == cr, bytes[index + 1] == lf, bytes[index + 2] == cr, bytes[index + 3] == lf { return index }
            index += 1
        }
        return nil
    }

    /// The header value folded at 76 columns, at points where white space may go (after `;`, and inside `b=`).
    /// Counted in bytes: the value is ASCII (tags, a checked domain and selector, base64), and counting
    /// Characters was a thirtieth of a campaign's send.
    static func folded(_ value: String) -> String {
        var lines: [String] = []
        var line = ""
        for part in value.utf8.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false) {
            if !line.isEmpty, line.utf8.count + part.count + 1 > 76 {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + String(decoding: part, as: UTF8.self)
        }
        lines.append(line)
        // The signature is broken too: a verifier deletes b='s value, white space and all, before it
        // checks (RFC 6376 §3.5); any other tag broken would read back with a space it was not signed with.
        return lines.flatMap { line in line.hasPrefix("b=") ? Self.chunks(line, of: 72) : [line] }.joined(separator: "\r\n\t")
    }

    /// `text` in pieces of at most `size` bytes (it is ASCII).
    private static func chunks(_ text: String, of size: Int) -> [String] {
        let bytes = Array(text.utf8)
        return stride(from: 0, to: max(bytes.count, 1), by: size).map { String(decoding: bytes[$0..<min($0 + size, bytes.count)], as: UTF8.self) }
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
