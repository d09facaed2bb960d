import PledgeCore
import SQLKit

/// One acknowledged write: consent events and audit records to append, and optionally work that
/// runs inside the same transaction (under its own savepoint, so its failure fails only this unit).
public struct JournalUnit: Sendable {
    public var consents: [ConsentEvent]
    public var audit: [AuditRecord]
    /// Extra writes; returns audit records it worked out inside the transaction (before/after digests).
    public var work: (@Sendable (any SQLDatabase) async throws -> [AuditRecord])?
    /// The same write as `work`, as data the SQLite writer can run in a plain append (`IdentifierSuppression`).
    var suppression: IdentifierSuppression?

    public init(
        consents: [ConsentEvent] = [], audit: [AuditRecord] = [],
        work: (@Sendable (any SQLDatabase) async throws -> [AuditRecord])? = nil
    ) {
        self.consents = consents
        self.audit = audit
        self.work = work
    }
}

extension JournalUnit {
    /// One unit that stores all of `units` or none of them: their work runs in order under the one
    /// unit's savepoint, so a failure in any undoes the others; their consents and audit records follow.
    init(all units: [JournalUnit]) {
        let works: [@Sendable (any SQLDatabase) async throws -> [AuditRecord]] = units.compactMap(\.work)
        var work: (@Sendable (any SQLDatabase) async throws -> [AuditRecord])?
        if !works.isEmpty {
            work = { sql in
                var audit: [AuditRecord] = []
                for each in works { audit += try await each(sql) }
                return audit
            }
        }
        self.init(consents: units.flatMap(\.consents), audit: units.flatMap(\.audit), work: work)
    }
}

/// Carries a value worked out inside a unit's work out to the caller of `commit`.
final class JournalResult<Value: Sendable>: @unchecked Sendable {
    // Written once inside the journal's transaction, read after `commit` returns: the continuation
    // that ends `commit` orders the write before the read.
    var value: Value?

    /// The value the unit wrote; an error, never a crash, when it wrote none.
    func get() throws -> Value {
        guard let value else { throw JournalError.noResult }
        return value
    }
}

/// Why the journal could not take a write.
public enum JournalError: Error, Equatable, CustomStringConvertible {
    case closed
    /// A unit that was to return a value committed without one.
    case noResult

    public var description: String {
        switch self {
        case .closed: "The server is shutting down and takes no more writes."
        case .noResult: "A write finished without its result."
        }
    }
}
