import Foundation
import NIOConcurrencyHelpers
import PledgeCore

/// What the gate reads on every decision, kept in memory and updated by every committed write
/// of this process. Bounded: when full, an arbitrary entry is dropped and read again on demand.
/// Each entry carries the `GateVersion` it was read at, so that on PostgreSQL, where other nodes
/// write too, a decision first compares it with the database's (issue 27 §2). A change in place adds
/// what the write added to the version (`GateVersion.adding`), or forgets the version when it cannot know.
///
/// Right by construction (issue 25 §6): a state read from the database is cached only if no write
/// to that subject was committed while it was being read. Before, a withdrawal committed between
/// the read and the store updated nothing (the subject was not cached yet) and the stale state
/// read before it was then cached, so the gate kept allowing what had been withdrawn (Art 7(3)).
final class SubjectStateCache: Sendable {
    struct Entry: Sendable {
        var state: SubjectState
        /// The version `state` was read at; nil after a change in place.
        var version: GateVersion?
    }

    private struct Table {
        var entries: [UUID: Entry] = [:]
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

    subscript(id: UUID) -> Entry? {
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
    func finishRead(_ state: SubjectState, at version: GateVersion?, for id: UUID, since token: UInt64) -> Bool {
        table.withLockedValue { table in
            table.reading -= 1
            let fresh = (table.written[id] ?? 0) <= token
            if fresh { Self.put(Entry(state: state, version: version), for: id, in: &table, capacity: capacity) }
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
        table.withLockedValue { table in Self.put(Entry(state: state, version: .created), for: id, in: &table, capacity: capacity) }
    }

    /// Changes a cached state in place after a committed write that moved the database's version by
    /// `moved` (nil: by an amount not known here, so the entry is read again before it is trusted on
    /// PostgreSQL); a state not cached is left to be read fresh, and a read in flight learns it must read again.
    func update(_ id: UUID, moved: GateVersion?, _ change: (inout SubjectState) -> Void) {
        table.withLockedValue { table in
            Self.recordWrite(id, in: &table)
            if var entry = table.entries[id] {
                change(&entry.state)
                entry.version = moved.flatMap { entry.version?.adding($0) }
                table.entries[id] = entry
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

    private static func put(_ entry: Entry, for id: UUID, in table: inout Table, capacity: Int) {
        if table.entries.count >= capacity, table.entries[id] == nil, let victim = table.entries.keys.first {
            table.entries[victim] = nil
        }
        table.entries[id] = entry
    }
}
