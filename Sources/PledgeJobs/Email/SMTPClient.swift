import Foundation
import NIOCore
import NIOPosix
import PledgeStore

/// Sends one message per connection over SMTP (RFC 5321) with a MIME body (RFC 2045, 2047).
public struct SMTPClient: Sendable {
    public let relay: SMTPRelay

    public init(relay: SMTPRelay) {
        self.relay = relay
    }

    public func send(_ email: OutgoingEmail, at instant: Date = Date()) async throws {
        guard !email.to.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "<" || $0 == ">" }), email.to.contains("@") else {
            throw SMTPError.invalidRecipient(email.to)
        }
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: relay.host, port: relay.port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        let message = Self.message(email, from: relay.from, at: instant)
        try await channel.executeThenClose { inbound, outbound in
            var replies = ReplyReader(iterator: inbound.makeAsyncIterator())
            /// Sends `command` (nothing for the greeting) and expects `code`; `step` names it in an error.
            func exchange(_ command: String?, expect code: Int, step: String) async throws {
                if let command { try await outbound.write(ByteBuffer(string: command + "\r\n")) }
                let (got, text) = try await replies.next()
                guard got == code else { throw SMTPError.rejected(command: step, reply: "\(got) \(text)") }
            }
            try await exchange(nil, expect: 220, step: "the connection")
            try await exchange("EHLO \(relay.heloName)", expect: 250, step: "EHLO")
            try await exchange("MAIL FROM:<\(relay.from)>", expect: 250, step: "MAIL FROM")
            try await exchange("RCPT TO:<\(email.to)>", expect: 250, step: "RCPT TO")
            try await exchange("DATA", expect: 354, step: "DATA")
            try await exchange(message + "\r\n.", expect: 250, step: "the message")
            try? await exchange("QUIT", expect: 221, step: "QUIT")
        }
    }

    /// The message: headers, then the text as base64 so any line and any character survive.
    static func message(_ email: OutgoingEmail, from: String, at instant: Date) -> String {
        let date = instant.formatted(Date.FormatStyle(timeZone: .gmt).locale(Locale(identifier: "en_US_POSIX"))
            .weekday(.abbreviated).day(.twoDigits).month(.abbreviated).year(.defaultDigits).hour(.twoDigits(amPM: .omitted)).minute(.twoDigits).second(.twoDigits))
        let body = Data(email.text.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        return [
            "From: \(from)", "To: \(email.to)", "Subject: \(encodedWord(email.subject))",
            "Date: \(date) +0000", "Message-ID: <\(UUID().uuidString.lowercased())@\(from.split(separator: "@").last ?? "pledge")>",
            "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64", "", body,
        ].joined(separator: "\r\n")
    }

    /// RFC 2047 for a header that is not plain ASCII.
    static func encodedWord(_ text: String) -> String {
        let clean = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        guard clean.unicodeScalars.contains(where: { !$0.isASCII }) else { return clean }
        return "=?UTF-8?B?\(Data(clean.utf8).base64EncodedString())?="
    }
}

/// Reads SMTP replies, joining the lines of a multi-line reply ("250-…" … "250 …").
struct ReplyReader {
    var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    var pending = ""

    mutating func next() async throws -> (Int, String) {
        var lines: [String] = []
        while true {
            while let end = pending.range(of: "\r\n") {
                let line = String(pending[..<end.lowerBound])
                pending.removeSubrange(..<end.upperBound)
                lines.append(line)
                if line.count < 4 || line[line.index(line.startIndex, offsetBy: 3)] != "-" {
                    return (Int(line.prefix(3)) ?? 0, lines.map { String($0.dropFirst(4)) }.joined(separator: " "))
                }
            }
            guard let chunk = try await iterator.next() else { throw SMTPError.connectionClosed }
            pending += String(buffer: chunk)
        }
    }
}
