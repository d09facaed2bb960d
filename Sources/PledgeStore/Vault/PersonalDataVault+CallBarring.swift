import Foundation
import PledgeCore
import SQLKit

/// Call-barring lists (issue 28 §1; PECR reg 21(1)(b)-(c)): each imported whole, replacing the list
/// before it in one unit, so a phone campaign is screened against one complete list, never half of one.
extension PersonalDataVault {
    /// What an import did.
    public struct CallBarringImport: Sendable, Equatable {
        /// Numbers on the list now.
        public var numbers: Int
        /// Lines that are not a telephone number, by line number (1-based), at most 20 listed.
        public var rejected: [Int]
        public var rejectedCount: Int
    }

    /// Replaces `list` with `numbers` (one per element; blank lines skipped), audited as `actor`.
    public func importCallBarring(_ list: CallBarring, numbers: [String], actor: String, at instant: Date) async throws -> CallBarringImport {
        var digests: Set<Data> = []
        var rejected: [Int] = []
        var rejectedCount = 0
        for (line, raw) in numbers.enumerated() {
            let text = raw.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            // A CSV line's number is its first column.
            let number = text.split(separator: ",", maxSplits: 1).first.map(String.init) ?? text
            guard let identifier = try? SubjectIdentifier(kind: .phone, raw: number.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))) else {
                rejectedCount += 1
                if rejected.count < 20 { rejected.append(line + 1) }
                continue
            }
            digests.insert(keys.blindIndex.digest(identifier))
        }
        let sorted = digests.sorted { $0.lexicographicallyPrecedes($1) }
        try await journal.commit(
            JournalUnit { sql in
                try await sql.raw("DELETE FROM call_barring WHERE list = \(bind: list.rawValue)").run()
                for chunk in stride(from: 0, to: sorted.count, by: 1000) {
                    let insert = sql.insert(into: "call_barring").columns("digest", "list")
                    for digest in sorted[chunk..<min(chunk + 1000, sorted.count)] {
                        insert.values([digest, list.rawValue] as [any Encodable & Sendable])
                    }
                    try await insert.run()
                }
                try await sql.raw("DELETE FROM call_barring_imports WHERE list = \(bind: list.rawValue)").run()
                try await sql.insert(into: "call_barring_imports").columns("list", "imported_us", "numbers")
                    .values([list.rawValue, instant.microseconds, Int64(sorted.count)] as [any Encodable & Sendable]).run()
                return [
                    AuditRecord(
                        actor: actor, action: "call-barring.import", object: "call-barring:\(list.rawValue)", after: "\(sorted.count) numbers",
                        at: instant)
                ]
            })
        return CallBarringImport(numbers: sorted.count, rejected: rejected, rejectedCount: rejectedCount)
    }

    /// When each list was last imported.
    public func callBarringImports() async throws -> [CallBarring: Date] {
        var imports: [CallBarring: Date] = [:]
        for row in try await sql.raw("SELECT list, imported_us FROM call_barring_imports").all() {
            let list = try row.decode(column: "list", as: String.self)
            imports[try CallBarring(rawValue: list).stored(in: "call_barring_imports", row: list, column: "list")] = Date(
                microseconds: try row.decode(column: "imported_us", as: Int64.self))
        }
        return imports
    }
}
