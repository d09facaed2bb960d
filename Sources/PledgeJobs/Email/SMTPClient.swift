import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import PledgeCore
import PledgeStore
import Synchronization

/// Sends messages over SMTP (RFC 5321) with a MIME body (RFC 2045, 2047), over TLS unless the relay
/// is on this machine (see `SMTPRelay`), signing in when it names a user: one message per connection,
/// or a batch as several transactions on one connection (RFC 5321 §3.3), each envelope in one write
/// where the relay offers PIPELINING (RFC 2920).
public struct SMTPClient: Sendable {
    public let relay: SMTPRelay
    /// How long one message may take, connection to QUIT: a relay that stops answering must not
    /// hold up the outbox (RFC 5321 §4.5.3.2 asks for timeouts on every step).
    public let timeout: Duration
    /// Signs every message, when set (RFC 6376).
    public let dkim: DKIMSigner?
    private let tls: NIOSSLContext?

    /// A client for `relay`; fails when its trusted certificates cannot be read.
    public init(relay: SMTPRelay, timeout: Duration = .seconds(120), dkim: DKIMSigner? = nil) throws {
        self.relay = relay
        self.timeout = timeout
        self.dkim = dkim
        guard relay.security != .none else {
            tls = nil
            return
        }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let file = relay.trustedCertificatesFile { configuration.additionalTrustRoots = [.file(file)] }
        do {
            tls = try NIOSSLContext(configuration: configuration)
        } catch {
            throw SMTPError.configuration(
                "Cannot set up TLS for the relay (\(relay.trustedCertificatesFile.map { "certificates in \($0): " } ?? "")\(error)).")
        }
    }

    /// Sends `email`, or throws why not (the relay's answer, TLS, the timeout). `id` makes its
    /// Message-ID: the outbox passes its row's, so a message sent again after a node died mid-send
    /// (SMTP has no exactly-once) carries the same Message-ID and a mailbox shows it once.
    public func send(_ email: OutgoingEmail, id: UUID = UUID(), at instant: Date = Date()) async throws {
        if let error = await send(batch: [(email, id)], at: instant).first ?? nil { throw error }
    }

    /// How many connections a batch is spread over: a relay answers each connection's transactions
    /// one after another, so one connection is held to its round trips (four per message, two where
    /// the relay offers PIPELINING). Eight sent a campaign 25% faster than four through aiosmtpd;
    /// sixteen no faster (bench/campaign_send.py).
    public static let connections = 8

    /// A message ready for the relay: its recipient checked, its text written and signed.
    public struct SignedEmail: Sendable {
        let to: String
        let data: String
    }

    /// `email` checked, written with the Message-ID made from `id` and signed with DKIM when a key is
    /// set; or why it cannot go. A campaign signs its next batch while this one is on the wire.
    public func signed(_ email: OutgoingEmail, id: UUID, at instant: Date) throws -> SignedEmail {
        // Checked as an address, which also rules out CR and LF: as Characters "\r\n" is one, which
        // a test for "\r" or "\n" alone let through into the SMTP command (issue 24 finding 8).
        guard EmailAddress.isValid(email.to) else { throw SMTPError.invalidRecipient }
        let unsigned = Self.message(email, id: id, from: relay.from, at: instant)
        return SignedEmail(to: email.to, data: try dkim?.sign(unsigned, at: instant) ?? unsigned)
    }

    /// Sends `batch` over up to `connections` connections side by side, one transaction each, within
    /// `timeout` for the whole batch; answers, in order, nil for each message the relay took and the
    /// error for each it did not. A message the relay refuses does not stop the others (RSET, then
    /// the next); a broken connection fails the message it was sending and leaves the rest to the
    /// others; when all are broken, or at the timeout, the ones not yet taken fail.
    public func send(batch: [(email: OutgoingEmail, id: UUID)], at instant: Date = Date()) async -> [(any Error)?] {
        // Signed side by side before the connections open: an RSA signature is most of a message's cost.
        let signed = await withTaskGroup(of: (Int, Result<SignedEmail, any Error>).self) { group in
            for (index, item) in batch.enumerated() {
                group.addTask { (index, Result { try self.signed(item.email, id: item.id, at: instant) }) }
            }
            var signed = [Result<SignedEmail, any Error>](repeating: .failure(SMTPError.connectionClosed), count: batch.count)
            for await (index, result) in group { signed[index] = result }
            return signed
        }
        return await send(signed: signed)
    }

    /// Sends the messages of `batch` that were signed, as `send(batch:at:)` does; those that could not be
    /// signed fail with their error.
    public func send(signed batch: [Result<SignedEmail, any Error>]) async -> [(any Error)?] {
        let outcomes = BatchOutcomes(count: batch.count)
        var ready: [Int] = []
        for (index, item) in batch.enumerated() {
            switch item {
            case .success: ready.append(index)
            case .failure(let error): outcomes.record(index, error)
            }
        }
        // Each connection takes the next message when it is free, so none waits at the end of a batch
        // for one that was given more slow answers; one that breaks leaves the rest to the others.
        let queue = BatchQueue(ready), opened = min(Self.connections, ready.count)
        let timeout = timeout
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    await withTaskGroup(of: Void.self) { connections in
                        for _ in 0..<opened {
                            connections.addTask {
                                do {
                                    try await self.converse(batch, queue, outcomes: outcomes)
                                } catch {
                                    // Cancelled by the timeout: the batch's own error (the timeout) is theirs.
                                    guard !Task.isCancelled else { return }
                                    outcomes.broke(error)
                                }
                            }
                        }
                    }
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw SMTPError.timedOut(timeout)
                }
                // The first to finish wins; leaving the group cancels the other (and closes the connection).
                try await group.next()
                group.cancelAll()
            }
            // Left when every connection broke: the last one's error is theirs.
            return outcomes.settled(failing: outcomes.lastBreak ?? SMTPError.connectionClosed)
        } catch {
            return outcomes.settled(failing: error)
        }
    }

    /// Sends messages of `batch` over one connection, each taken from `queue` when the one before is
    /// done, until none is left. The message on the wire when the connection breaks fails with its error.
    private func converse(_ batch: [Result<SignedEmail, any Error>], _ queue: BatchQueue, outcomes: BatchOutcomes) async throws {
        let relay = relay
        let implicitTLS = relay.security == .implicitTLS ? tls : nil
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: relay.host, port: relay.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let implicitTLS { try channel.pipeline.syncOperations.addHandler(try Self.tlsHandler(implicitTLS, host: relay.host)) }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            var replies = ReplyReader(iterator: inbound.makeAsyncIterator())
            /// Sends `command` (nothing for the greeting), expects `code` and returns the reply's text;
            /// `step` names it in an error.
            @discardableResult
            func exchange(_ command: String?, expect code: Int, step: String) async throws -> String {
                if let command { try await outbound.write(ByteBuffer(string: command + "\r\n")) }
                let (got, text) = try await replies.next()
                guard got == code else { throw SMTPError.rejected(command: step, reply: "\(got) \(text)") }
                return text
            }
            try await exchange(nil, expect: 220, step: "the connection")
            var features = try await exchange("EHLO \(relay.heloName)", expect: 250, step: "EHLO")
            if relay.security == .startTLS, let tls {
                guard Self.offers("STARTTLS", in: features) else { throw SMTPError.startTLSNotOffered }
                try await exchange("STARTTLS", expect: 220, step: "STARTTLS")
                try await channel.channel.pipeline.addHandler(try Self.tlsHandler(tls, host: relay.host), position: .first).get()
                // RFC 3207 §4.2: what the server said before TLS is forgotten; greet it again.
                features = try await exchange("EHLO \(relay.heloName)", expect: 250, step: "EHLO after STARTTLS")
            }
            // RFC 2920: a relay that offers PIPELINING takes MAIL, RCPT and DATA in one write, so a message
            // costs two round trips instead of four (most of a message's time to a relay across a network).
            let pipelining = Self.offers("PIPELINING", in: features)
            /// The envelope of a message to `recipient`, up to the relay's 354 for DATA.
            func envelope(to recipient: String) async throws {
                let commands = [("MAIL FROM:<\(relay.from)>", 250, "MAIL FROM"), ("RCPT TO:<\(recipient)>", 250, "RCPT TO"), ("DATA", 354, "DATA")]
                guard pipelining else {
                    for (command, code, step) in commands { try await exchange(command, expect: code, step: step) }
                    return
                }
                try await outbound.write(ByteBuffer(string: commands.map { $0.0 + "\r\n" }.joined()))
                var answers: [(Int, String)] = []
                for _ in commands { answers.append(try await replies.next()) }
                // RFC 2920 §3.1: every reply is checked, in order; the first refusal is the message's.
                guard let refused = zip(commands, answers).first(where: { $0.0.1 != $0.1.0 }) else { return }
                // A DATA accepted after a refused command is sent a single dot, which ends it with nothing (§3.1).
                if answers[2].0 == 354 { try await outbound.write(ByteBuffer(string: ".\r\n")); _ = try await replies.next() }
                throw SMTPError.rejected(command: refused.0.2, reply: "\(refused.1.0) \(refused.1.1)")
            }
            if let credentials = relay.credentials {
                try await exchange("AUTH PLAIN \(credentials.plainResponse)", expect: 235, step: "AUTH (the user name or password)")
            }
            while let index = queue.next() {
                guard case .success(let item) = batch[index] else { continue }
                do {
                    try await envelope(to: item.to)
                    try await exchange(item.data + "\r\n.", expect: 250, step: "the message")
                    // The message is the relay's now: recorded at once, whatever becomes of the rest.
                    outcomes.record(index, nil)
                } catch {
                    // Cancelled by the batch's timeout: the timeout is its error (`send(signed:)`).
                    if !Task.isCancelled { outcomes.record(index, error) }
                    guard let refusal = error as? SMTPError, case .rejected = refusal else { throw error }
                    // RFC 5321 §4.1.1.5: abandon this transaction and go on with the next.
                    try await exchange("RSET", expect: 250, step: "RSET")
                }
            }
            // Say QUIT and close without waiting for its 221, so the outbox records them sent as soon
            // as it can (a node that dies in between sends them again).
            try? await outbound.write(ByteBuffer(string: "QUIT\r\n"))
        }
    }

    /// Whether an EHLO reply's `features` (its lines joined by spaces) name the extension `keyword`.
    static func offers(_ keyword: String, in features: String) -> Bool {
        features.uppercased().split(separator: " ").contains(Substring(keyword))
    }

    /// The TLS handler for `host`: its certificate must name the host (or, for an IP address, the
    /// address the connection went to).
    static func tlsHandler(_ context: NIOSSLContext, host: String) throws -> NIOSSLClientHandler {
        let isAddress = host.contains(":") || host.split(separator: ".").allSatisfy { UInt8($0) != nil }
        return try NIOSSLClientHandler(context: context, serverHostname: isAddress ? nil : host)
    }

    /// The message: headers, then the text (and the HTML beside it, as multipart/alternative) as
    /// base64 so any line and any character survive.
    static func message(_ email: OutgoingEmail, id: UUID, from: String, at instant: Date) -> String {
        let date = dateHeader(instant)
        var headers = [
            "From: \(from)", "To: \(email.to)", "Subject: \(encodedWord(email.subject))",
            "Date: \(date)", "Message-ID: <\(id.lowercasedString)@\(from.split(separator: "@").last ?? "pledge")>",
        ]
        if let unsubscribe = email.listUnsubscribe {
            // RFC 2369 §2: each address in angle brackets; RFC 8058 §3.1: the POST header beside it.
            headers.append(
                "List-Unsubscribe: "
                    + ([unsubscribe.mailto.map { "mailto:\($0)" }, unsubscribe.url].compactMap { $0 }.map { "<\($0)>" }.joined(separator: ", ")))
            headers.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
        }
        let text = part(email.text, type: "text/plain")
        guard let html = email.html else { return (headers + ["MIME-Version: 1.0"] + text).joined(separator: "\r\n") }
        // RFC 2046 §5.1.1: a boundary that cannot occur in base64 text ("=" only pads its end, "_" never).
        let boundary = "=_pledge_\(id.lowercasedString)"
        return
            (headers + ["MIME-Version: 1.0", "Content-Type: multipart/alternative; boundary=\"\(boundary)\"", ""]
            + ["--\(boundary)"] + text + ["--\(boundary)"] + part(html, type: "text/html") + ["--\(boundary)--", ""])
            .joined(separator: "\r\n")
    }

    /// One body part's header lines and its base64 content.
    private static func part(_ content: String, type: String) -> [String] {
        let body = Data(content.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        return ["Content-Type: \(type); charset=utf-8", "Content-Transfer-Encoding: base64", "", body]
    }

    /// RFC 5322 §3.3 date-time in UTC: "Sun, 22 Nov 2026 09:05:00 +0000". Written from the
    /// calendar arithmetic, not a `DateFormatter`: making one per message was 6% of a campaign's send.
    static func dateHeader(_ instant: Date) -> String {
        let (day, second) = CalendarDate.utc(instant)
        // 1 January 1970 was a Thursday.
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][((day.daysSinceEpoch % 7) + 7) % 7]
        let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][day.month - 1]
        func two(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }
        return "\(weekday), \(two(day.day)) \(month) \(day.year) \(two(second / 3600)):\(two(second / 60 % 60)):\(two(second % 60)) +0000"
    }

    /// RFC 2047 for a header that is not plain ASCII.
    static func encodedWord(_ text: String) -> String {
        let clean = String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "\r" || $0 == "\n" ? " " : $0 }))
        guard clean.unicodeScalars.contains(where: { !$0.isASCII }) else { return clean }
        return "=?UTF-8?B?\(Data(clean.utf8).base64EncodedString())?="
    }
}

/// Reads SMTP replies, joining the lines of a multi-line reply ("250-…" … "250 …"), byte by byte
/// (Foundation's String search took a fiftieth of a campaign's send).
struct ReplyReader {
    var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    var pending: [UInt8] = []

    mutating func next() async throws -> (Int, String) {
        var lines: [ArraySlice<UInt8>] = []
        while true {
            while let end = Self.lineEnd(in: pending) {
                let line = pending[..<end]
                lines.append(line)
                pending.removeFirst(end + 2)
                if line.count < 4 || line[line.startIndex + 3] != UInt8(ascii: "-") {
                    let code = Int(String(decoding: line.prefix(3), as: UTF8.self)) ?? 0
                    return (code, lines.map { String(decoding: $0.dropFirst(4), as: UTF8.self) }.joined(separator: " "))
                }
            }
            guard let chunk = try await iterator.next() else { throw SMTPError.connectionClosed }
            pending.append(contentsOf: chunk.readableBytesView)
        }
    }

    /// Where the first CRLF in `bytes` starts, if there is one.
    static func lineEnd(in bytes: [UInt8]) -> Int? {
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            if bytes[index] == UInt8(ascii: "\r"), bytes[index + 1] == UInt8(ascii: "\n") { return index }
            index += 1
        }
        return nil
    }
}

/// What became of each message of a batch, as the conversation goes: the relay's answer is kept the
/// moment it comes, so a timeout or a broken connection later fails only the messages not yet taken.
/// Held under a lock, not in an actor: a hop to an actor and back for every message was a context
/// switch or two per message on the connections' threads.
final class BatchOutcomes: Sendable {
    private let outcomes: Mutex<[(any Error)??]>
    private let broken = Mutex<(any Error)?>(nil)

    init(count: Int) {
        outcomes = Mutex(Array(repeating: nil, count: count))
    }

    /// Message `index` was taken (nil) or refused (the error).
    func record(_ index: Int, _ error: (any Error)?) {
        outcomes.withLock { $0[index] = .some(error) }
    }

    /// A connection broke with `error` (its message on the wire has that error already); the
    /// others take the messages left.
    func broke(_ error: any Error) {
        broken.withLock { $0 = error }
    }

    /// The error the last connection to break broke with.
    var lastBreak: (any Error)? { broken.withLock { $0 } }

    /// Every outcome, `error` for the messages that have none yet.
    func settled(failing error: any Error) -> [(any Error)?] {
        outcomes.withLock { $0.map { $0 ?? error } }
    }
}

/// The messages of a batch not yet taken, handed out one at a time to whichever connection asks.
final class BatchQueue: Sendable {
    private let left: Mutex<ArraySlice<Int>>

    init(_ indices: [Int]) {
        left = Mutex(indices[...])
    }

    /// The next message's index, or nil when every one was taken.
    func next() -> Int? {
        left.withLock { $0.popFirst() }
    }
}
