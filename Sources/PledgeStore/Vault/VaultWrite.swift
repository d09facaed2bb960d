import PledgeCore

/// A vault change worked out but not yet committed: the unit that stores it and what the gate's
/// cache learns once it is durable. The vault's own methods commit one alone; a caller whose changes
/// must stand or fall together (a request's fulfilment and its case's completion) commits several
/// in one unit (`Journal.commit(_:)`), so a crash or a refusal between them leaves none stored.
struct VaultWrite: Sendable {
    var unit: JournalUnit
    /// Runs once the unit is durable: keeps the gate's cache in step (Art 7(3): at once).
    var committed: @Sendable () -> Void = {}
}

extension Journal {
    /// Commits `writes` as one unit, all or none, then tells the cache of each; `also` joins the
    /// same unit (a case's completion, which has no cache to tell).
    func commit(_ writes: [VaultWrite], also units: [JournalUnit] = []) async throws {
        try await commit(JournalUnit(all: writes.map(\.unit) + units))
        for write in writes { write.committed() }
    }
}
