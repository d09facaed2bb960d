import Foundation
import Testing

@testable import PledgeCore

/// The consent projection (C10).
@Suite("Consent state")
struct ConsentStateTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    func event(
        _ action: ConsentAction, purpose: String = "newsletter", recipient: String? = nil, channel: String? = nil, at offset: TimeInterval
    ) -> ConsentEvent {
        ConsentEvent(
            holder: .visitor("v1"), scope: ConsentScope(purpose: purpose, recipient: recipient, channel: channel), action: action,
            mechanism: "banner", noticeVersion: "1", wordingHash: "", recordedAt: t0.addingTimeInterval(offset))
    }

    @Test("nothing recorded is absent: consent is never inferred")
    func absent() {
        #expect(ConsentState().status(purpose: "newsletter") == .absent)
    }

    @Test(
        "Art 7(3): of a grant and a withdrawal at different scopes in the same instant, the later in the ledger decides (a narrower withdrawal is not lost to a broader grant)"
    )
    func sameInstantFollowsTheLedger() {
        let withdrawnAfter = ConsentState(events: [event(.granted, at: 0), event(.withdrawn, channel: "sms", at: 0)])
        #expect(withdrawnAfter.status(purpose: "newsletter", channel: "sms") == .withdrawn(at: t0))
        #expect(withdrawnAfter.status(purpose: "newsletter", channel: "email") == .granted(at: t0))
        let grantedAfter = ConsentState(events: [event(.withdrawn, channel: "sms", at: 0), event(.granted, at: 0)])
        #expect(grantedAfter.status(purpose: "newsletter", channel: "sms") == .granted(at: t0))
    }

    @Test("the latest event wins, and an older event arriving late does not undo a newer one")
    func latestWins() {
        var state = ConsentState(events: [event(.granted, at: 0), event(.withdrawn, at: 10)])
        #expect(state.status(purpose: "newsletter") == .withdrawn(at: t0.addingTimeInterval(10)))
        state.apply(event(.granted, at: 5))
        #expect(state.status(purpose: "newsletter") == .withdrawn(at: t0.addingTimeInterval(10)))
        state.apply(event(.granted, at: 20))
        #expect(state.status(purpose: "newsletter").isGranted)
    }

    @Test("a purpose-wide grant covers every channel; a channel withdrawal stops only that channel")
    func channels() {
        let state = ConsentState(events: [event(.granted, at: 0), event(.withdrawn, channel: "sms", at: 1)])
        #expect(state.status(purpose: "newsletter", channel: "email").isGranted)
        #expect(!state.status(purpose: "newsletter", channel: "sms").isGranted)
    }

    @Test("a purpose grant does not cover a named recipient; a purpose withdrawal does")
    func recipients() {
        var state = ConsentState(events: [event(.granted, at: 0)])
        #expect(state.status(purpose: "newsletter", recipient: "partner") == .absent)
        state.apply(event(.granted, recipient: "partner", at: 1))
        #expect(state.status(purpose: "newsletter", recipient: "partner").isGranted)
        state.apply(event(.withdrawn, at: 2))
        #expect(!state.status(purpose: "newsletter", recipient: "partner").isGranted)
    }
}
