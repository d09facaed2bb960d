import Crypto
import Foundation

/// What Pledge sends an `http` system and what it answers (issue 30 §5): a JSON body signed with
/// HMAC-SHA256 over the timestamp and the body, under a secret both sides hold. The receiver
/// refuses a signature that does not match and a timestamp outside `SystemSignature.window`; a
/// callback for a task already answered is refused too, so a replayed message does nothing.
public struct SystemCall: Codable, Sendable, Equatable {
    public enum Action: String, Codable, Sendable {
        case access
        case erasure
        /// Write `corrections` (C31; Art 16).
        case rectification
    }

    public var action: Action
    public var requestId: UUID
    /// The person's verified identities by kind: `email`.
    public var identities: [String: String]
    /// Where a slow system posts its answer later (answering 202 now).
    public var callback: String
    /// For rectification: the right value of each corrected category.
    public var corrections: [SystemCorrection]?

    public init(action: Action, requestId: UUID, identities: [String: String], callback: String, corrections: [SystemCorrection]? = nil) {
        self.action = action
        self.requestId = requestId
        self.identities = identities
        self.callback = callback
        self.corrections = corrections
    }
}

/// A system's answer: now (HTTP 200) or later to the callback.
public struct SystemAnswer: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case done
        case pending
    }

    /// A table of what the system holds about the person.
    public struct Table: Codable, Sendable, Equatable {
        public var table: String
        public var columns: [String]
        public var rows: [[String?]]

        public init(table: String, columns: [String], rows: [[String?]]) {
            self.table = table
            self.columns = columns
            self.rows = rows
        }
    }

    public var status: Status
    /// For access: what it holds.
    public var tables: [Table]?
    /// For erasure and rectification: what it did; for erasure, what it kept and why.
    public var done: [String]?
    public var kept: [String]?
    /// For a callback: which task it answers.
    public var requestId: UUID?
    public var action: SystemCall.Action?

    public init(
        status: Status, tables: [Table]? = nil, done: [String]? = nil, kept: [String]? = nil, requestId: UUID? = nil, action: SystemCall.Action? = nil
    ) {
        self.status = status
        self.tables = tables
        self.done = done
        self.kept = kept
        self.requestId = requestId
        self.action = action
    }

    /// The tables as the export holds them, under `system`.
    public func systemTables(of system: DataSystem) -> [SystemTable] {
        (tables ?? []).filter { !$0.rows.isEmpty }.map { table in
            let declared = system.collection(table.table)
            return SystemTable(
                system: system.id, systemName: system.name, table: table.table,
                columns: table.columns.map { SystemTable.Column(name: $0, categories: declared?.field($0)?.categories ?? []) }, rows: table.rows)
        }
    }

    /// The erasure outcome for the case (an http system's own word; it is not queried again).
    public func erasureOutcome(of system: DataSystem) -> SystemErasureOutcome {
        SystemErasureOutcome(system: system.id, systemName: system.name, done: done ?? [], kept: kept ?? [], leftovers: [])
    }

    /// JSON as both sides write it: snake_case keys.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: data)
    }

    public static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = .sortedKeys
        return try encoder.encode(value)
    }
}

/// The signature on every message between Pledge and an `http` system: header `Pledge-Timestamp`
/// (Unix seconds) and `Pledge-Signature: v1=<hex HMAC-SHA256(secret, timestamp "." body)>`.
public enum SystemSignature {
    /// How far a timestamp may be from now, either way.
    public static let window: TimeInterval = 300
    public static let timestampHeader = "Pledge-Timestamp"
    public static let signatureHeader = "Pledge-Signature"

    /// Why a message is refused.
    public enum Refusal: Error, Equatable {
        case missing
        case stale
        case mismatch
    }

    /// The signature header's value for `body` sent at `timestamp`.
    public static func sign(_ body: Data, timestamp: Int, secret: SymmetricKey) -> String {
        "v1="
            + Data(HMAC<SHA256>.authenticationCode(for: signed(body, timestamp: timestamp), using: secret)).map { String(format: "%02x", $0) }
            .joined()
    }

    /// Checks `signature` on `body` sent at `timestamp`, compared in constant time.
    public static func verify(_ body: Data, timestamp: String?, signature: String?, secret: SymmetricKey, now: Date) throws(Refusal) {
        guard let timestamp, let seconds = Int(timestamp), let signature, signature.hasPrefix("v1=") else { throw .missing }
        guard abs(now.timeIntervalSince1970 - Double(seconds)) <= window else { throw .stale }
        let hex = String(signature.dropFirst(3))
        guard hex.count == 64, let mac = Data(hex: hex),
            HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed(body, timestamp: seconds), using: secret)
        else { throw .mismatch }
    }

    static func signed(_ body: Data, timestamp: Int) -> Data {
        Data("\(timestamp).".utf8) + body
    }

}
