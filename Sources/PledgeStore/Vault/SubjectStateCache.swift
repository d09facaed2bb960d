import Foundation
import NIOConcurrencyHelpers
import PledgeCore

/// What the gate reads on every decision, kept in memory and updated by every committed write
/// of this process. Bounded: when full, an arbitrary entry is dropped and read again on demand.
/// (Several nodes on one PostgreSQL database would each need invalidation; see issue 27.)
///
/// Right by construction (issue 25 §6): a state read from the database is cached only if no write
/// to that subject was committed while it was being read. Before, a withdrawal committed between
/// the read and the store updated nothing (the subject was not cached yet) and the stale state
/// read before it was then cached, so the gate kept allowing what had been withdrawn (Art 7(3)).
final class SubjectStateCache: Sendable {
    private struct Table {
        var entries: [UUID: SubjectState] = [:]
        /// Counts writes; a read remembers the count it began at.
        var epoch: UInt64 = 0
        /// Reads from the database in flight.
        var reading = 0
        /// The epoch of the last write to each subject while any read was in flight.
        var written: [UUID: UInt64] = [:]
    }

    private let table = NIOLockedValueBox(Table())
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    subscript(id: UUID) -> SubjectState? {
        table.withLockedValue { $0.entries[id] }
    }

    /// A read from the database begins; pass the token to `finishRead`.
    func beginRead() -> UInt64 {
        table.withLockedValue { table in
            table.reading += 1
            return table.epoch
        }
    }

    /// Caches `state`, read since `token`, unless a write to `id` was committed meanwhile; says
    /// whether it did (when not, the caller reads again).
    func finishRead(_ state: SubjectState, for id: UUID, since token: UInt64) -> Bool {
        table.withLockedValue { table in
            table.reading -= 1
            let fresh = (table.written[id] ?? 0) <= token
            if fresh { Self.put(state, for: id, in: &table, capacity: capacity) }
            if table.reading == 0 { table.written.removeAll() }
            return fresh
        }
    }

    /// Ends a read that caches nothing (the subject was not found, or the read failed).
    func abandonRead() {
        table.withLockedValue { table in
            table.reading -= 1
            if table.reading == 0 { table.written.removeAll() }
        }
    }

    /// Caches the state of a subject just created (no read can be in flight for it).
    func store(_ state: SubjectState, for id: UUID) {
        table.withLockedValue { table in Self.put(state, for: id, in: &table, capacity: capacity) }
    }

    /// Changes a cached state in place after a committed write; a state not cached is left to be
    /// read fresh, and a read in flight learns it must read again.
    func update(_ id: UUID, _ change: (inout SubjectState) -> Void) {
        table.withLockedValue { table in
            Self.recordWrite(id, in: &table)
            if var state = table.entries[id] {
                change(&state)
                table.entries[id] = state
            }
        }
    }

    /// Forgets a subject after a committed write (erasure).
    func remove(_ id: UUID) {
        table.withLockedValue { table in
            Self.recordWrite(id, in: &table)
            table.entries[id] = nil
        }
    }

    var count: Int { table.withLockedValue { $0.entries.count } }

    private static func recordWrite(_ id: UUID, in table: inout Table) {
        table.epoch += 1
        if table.reading > 0 { table.written[id] = table.epoch }
    }

    private static func put(_ state: SubjectState, for id: UUID, in table: inout Table, capacity: Int) {
        if table.entries.count >= capacity, table.entries[id] == nil, let victim = table.entries.keys.first {
            table.entries[victim] = nil
        }
        table.entries[id] = state
    }
}
