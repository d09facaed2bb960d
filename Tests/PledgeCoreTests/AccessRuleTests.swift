import PledgeCore
import Testing

/// The access rules of Core that do not depend on a declaration (issue 24 findings 3 and 4).
@Suite("Access rules")
struct AccessRuleTests {
    @Test(
        "C43 (finding 3): notes are for staff roles, never a processor or a purpose-scoped key; restriction leaves them to dpo and admin (Art 18(2))")
    func interactions() {
        let free = SubjectState(), restricted = SubjectState(restricted: true)
        for role in [Role.admin, .dpo, .support] {
            #expect(InteractionAccess.refusal(role: role, purposes: nil, state: free) == nil)
            #expect(InteractionAccess.refusal(role: role, purposes: ["service"], state: free) == .purposeScoped)
        }
        for role in [Role.marketing, .analyst, .processor("hosting")] {
            #expect(InteractionAccess.refusal(role: role, purposes: nil, state: free) == .role)
        }
        #expect(InteractionAccess.refusal(role: .support, purposes: nil, state: restricted) == .restricted)
        #expect(InteractionAccess.refusal(role: .dpo, purposes: nil, state: restricted) == nil)
        #expect(InteractionAccess.refusal(role: .admin, purposes: nil, state: restricted) == nil)
    }

    @Test("C32 (finding 4): fulfilling an erasure or a parent's deletion needs the erase permission; other kinds only requests:handle")
    func fulfilment() {
        #expect(FulfilmentAccess.permissions(for: .erasure) == [.handleRequests, .erase])
        #expect(FulfilmentAccess.permissions(for: .parentalDeletion) == [.handleRequests, .erase])
        #expect(FulfilmentAccess.permissions(for: .access) == [.handleRequests])
        #expect(Role.support.allows(.handleRequests) && !Role.support.allows(.erase), "support handles requests but may not erase")
    }
}
