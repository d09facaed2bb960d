import Foundation
import NIOConcurrencyHelpers
import PledgeCore

/// What the gate reads on every decision, kept in memory and updated by every committed write
/// of this process. Bounded: when full, an arbitrary entry is dropped and read again on demand.
/// (Several nodes on one PostgreSQL database would each need invalidation; see the issue note.)
final class SubjectStateCache: Sendable {
    private let entries = NIOLockedValueBox([UUID: SubjectState]())
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    subscript(id: UUID) -> SubjectState? {
        entries.withLockedValue { $0[id] }
    }

    func store(_ state: SubjectState, for id: UUID) {
        entries.withLockedValue { entries in
            if entries.count >= capacity, entries[id] == nil, let victim = entries.keys.first {
                entries[victim] = nil
            }
            entries[id] = state
        }
    }

    /// Changes a cached state in place; a state not cached is left to be read fresh.
    func update(_ id: UUID, _ change: (inout SubjectState) -> Void) {
        entries.withLockedValue { entries in
            if var state = entries[id] {
                change(&state)
                entries[id] = state
            }
        }
    }

    func remove(_ id: UUID) {
        entries.withLockedValue { $0[id] = nil }
    }

    var count: Int { entries.withLockedValue { $0.count } }
}
