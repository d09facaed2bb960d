import Foundation
import Testing

@testable import PledgeCore

/// Art 14 notice tasks (issue 25 §8; C05; UK GDPR Art 14(3)(a), 14(5)).
@Suite("Art 14 tasks")
struct Art14TaskTests {
    let task = Art14Task(
        id: UUID(), subject: UUID(), source: "customer-admins", dueOn: CalendarDate(year: 2026, month: 12, day: 21),
        createdAt: Date(timeIntervalSince1970: 1_795_000_000))

    @Test("C05/OEX-41/APX-06: a task is overdue only after its day, and only while open")
    func overdue() throws {
        #expect(!task.isOverdue(on: CalendarDate(year: 2026, month: 12, day: 21)))
        #expect(task.isOverdue(on: CalendarDate(year: 2026, month: 12, day: 22)))
        let closed = try task.closed(by: .informed(.email, note: nil), at: Date())
        #expect(!closed.isOverdue(on: CalendarDate(year: 2027, month: 1, day: 30)))
        #expect(throws: Art14Refusal.alreadyClosed) { try closed.closed(by: .informed(.post, note: nil), at: Date()) }
    }

    @Test("C05/OEX-41: a channel closes with an optional note; an Art 14(5) exemption needs its reason; anything else is refused")
    func closures() throws {
        #expect(try Art14Closure(how: "email", note: "  ") == .informed(.email, note: nil))
        #expect(try Art14Closure(how: "in_person", note: "Told at the site visit") == .informed(.inPerson, note: "Told at the site visit"))
        #expect(throws: Art14Refusal.exemptionWithoutReason) { try Art14Closure(how: "disproportionate_effort", note: " \n") }
        let exempt = try Art14Closure(how: "disproportionate_effort", note: "No contact details; the notice is on our website")
        #expect(exempt.how == "disproportionate_effort" && exempt.note == "No contact details; the notice is on our website")
        #expect(throws: Art14Refusal.unknownHow("carrier_pigeon")) { try Art14Closure(how: "carrier_pigeon", note: nil) }
        #expect(throws: Art14Refusal.noteTooLong) { try Art14Closure(how: "post", note: String(repeating: "x", count: Art14Closure.maximumNote + 1)) }
        #expect(Art14Refusal.unknownHow(String(repeating: "y", count: 500)).message.count < 400, "the echo of a wrong value is short")
    }
}
