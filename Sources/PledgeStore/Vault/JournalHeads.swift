/// Where the consent ledger and the audit chain end: the next batch appends after these.
struct JournalHeads: Sendable, Equatable {
    /// The last consent event's sequence number, 0 when there is none.
    var consent: Int64
    /// The last audit entry's sequence number, 0 when there is none.
    var audit: Int64
    /// The last audit entry's hash, `AuditChain.genesis` when there is none.
    var hash: String
}
