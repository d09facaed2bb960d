import Foundation
import Logging
import PledgeTestSupport
import Testing

@testable import PledgeCore
@testable import PledgeStore

/// The gate's cache is never older than the last committed write of this process (issue 25 §6;
/// C10, UK GDPR Art 7(3): a withdrawal takes effect at once).
@Suite("Subject state cache")
struct SubjectStateCacheTests {
    @Test("C10 (issue 25 §6): a read that a write overlapped is not cached; one after it is; a write to another subject does not count")
    func overlappedReadIsNotCached() {
        let cache = SubjectStateCache(capacity: 10)
        let id = UUID(), other = UUID()
        let stale = SubjectState(categories: ["customer"])
        var fresh = stale
        fresh.restricted = true

        let token = cache.beginRead()
        cache.update(id, moved: nil) { $0.restricted = true }  // committed while the read was in flight; not cached yet
        #expect(cache.finishRead(stale, at: nil, for: id, since: token) == false)
        #expect(cache[id] == nil)

        let again = cache.beginRead()
        cache.update(other, moved: nil) { $0.restricted = true }
        #expect(cache.finishRead(fresh, at: nil, for: id, since: again))
        #expect(cache[id]?.state == fresh)

        // With no read in flight, writes leave no marks behind.
        cache.remove(id)
        let later = cache.beginRead()
        #expect(cache.finishRead(fresh, at: nil, for: id, since: later))
    }

    @Test("issue 27 §2: a change in place moves the entry's version by what the write added, or forgets it")
    func versionsMoveWithWrites() {
        let cache = SubjectStateCache(capacity: 10)
        let id = UUID()
        cache.store(SubjectState(categories: ["customer"]), for: id)
        #expect(cache[id]?.version == .created)
        cache.update(id, moved: GateVersion(flags: 0, consents: 2)) { _ in }
        cache.update(id, moved: GateVersion(flags: 1, consents: 0)) { $0.restricted = true }
        #expect(cache[id]?.version == GateVersion(flags: 1, consents: 2))
        cache.update(id, moved: nil) { _ in }
        #expect(cache[id]?.version == nil, "an amount not known here: read again before it is trusted")
        cache.update(id, moved: GateVersion(flags: 1, consents: 0)) { _ in }
        #expect(cache[id]?.version == nil, "nothing is added to an unknown version")
    }

    @Test("C10 (issue 25 §6): a withdrawal racing the first read of a subject is what the gate sees afterwards", arguments: StoreBackend.all)
    func withdrawalRacingFirstRead(_ backend: StoreBackend) async throws {
        try await VaultFixture.with(backend) { fixture in
            for _ in 0..<40 {
                let id = try await fixture.newSubject()
                try await fixture.vault.record([VaultFixture.consent(.granted, .subject(id))], actor: "key:test", at: VaultFixture.now)
                // A vault that has not read this subject yet, sharing the journal and the database.
                let vault = PersonalDataVault(database: fixture.database, journal: fixture.journal, keys: fixture.keys)
                async let read = vault.state(of: id)
                async let withdraw: [Int64] = vault.record(
                    [VaultFixture.consent(.withdrawn, .subject(id), offset: 1)], actor: "key:test", at: VaultFixture.now)
                _ = try await (read, withdraw)
                let seen = try #require(try await vault.state(of: id)).consents.status(purpose: "newsletter")
                #expect(seen == .withdrawn(at: VaultFixture.now.addingTimeInterval(1)))
            }
        }
    }
}
