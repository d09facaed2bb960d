import Foundation
import Testing

@testable import PledgeCore

/// The retention schedule (issue 29 §1; C36): when each item's clock starts and when it has run out.
@Suite("Retention schedule")
struct RetentionScheduleTests {
    static let day: TimeInterval = 86_400
    static let collected = CalendarDate(year: 2026, month: 1, day: 31).startOfDayUTC

    @Test(
        "ECR-23/OEX-63 (Art 5(1)(e)): the compliant example gives each purpose its rule; criteria-only rules leave purposes unscheduled; six years' limitation by default"
    )
    func fromDeclaration() throws {
        let schedule = RetentionSchedule(try Examples.declaration("compliant"))
        #expect(schedule.purposes["billing"]?.statute != nil && schedule.purposes["billing"]?.period == RetentionPeriod(years: 6))
        #expect(schedule.purposes["enquiries"]?.trigger == .lastInteraction && schedule.purposes["service"]?.trigger == .accountClosure)
        #expect(schedule.rules["security-logs"]?.period == RetentionPeriod(days: 90))
        #expect(schedule.limitation == RetentionPeriod(years: 6))
        let apexure = RetentionSchedule(try Examples.declaration("apexure"))
        #expect(apexure.purposes.isEmpty && !apexure.unscheduled.isEmpty, "'destroyed once no longer required' gives no period to run")
    }

    @Test(
        "APX-53/OEX-06/OEX-62 (Art 5(1)(e)): collection and transaction clocks start at the item, the last-interaction clock restarts on contact, the end-of-relationship clocks wait for the stage 'ended'"
    )
    func clocks() {
        let year = RetentionPeriod(years: 1)
        let collection = RetentionTerm(rule: "r", period: year, trigger: .collection, action: .delete)
        #expect(collection.expiry(of: Self.collected, clocks: .init()) == CalendarDate(year: 2027, month: 1, day: 31).startOfDayUTC)
        #expect(!collection.hasExpired(Self.collected, clocks: .init(), at: Self.collected.addingTimeInterval(364 * Self.day)))
        #expect(collection.hasExpired(Self.collected, clocks: .init(), at: Self.collected.addingTimeInterval(366 * Self.day)))

        let contact = RetentionTerm(rule: "r", period: year, trigger: .lastInteraction, action: .delete)
        let called = Self.collected.addingTimeInterval(200 * Self.day)
        #expect(contact.start(of: Self.collected, clocks: .init(lastContact: called)) == called)
        #expect(contact.start(of: called, clocks: .init(lastContact: Self.collected)) == called, "never before the item itself")
        #expect(!contact.hasExpired(Self.collected, clocks: .init(lastContact: called), at: Self.collected.addingTimeInterval(400 * Self.day)))

        for trigger in [RetentionTrigger.relationshipEnd, .accountClosure, .projectEnd] {
            let end = RetentionTerm(rule: "r", period: year, trigger: trigger, action: .anonymise)
            #expect(end.expiry(of: Self.collected, clocks: .init()) == nil, "\(trigger): no end, no clock")
            #expect(!end.hasExpired(Self.collected, clocks: .init(), at: Self.collected.addingTimeInterval(10 * 365 * Self.day)))
            let ended = Self.collected.addingTimeInterval(30 * Self.day)
            #expect(end.hasExpired(Self.collected, clocks: .init(ended: ended), at: ended.addingTimeInterval(367 * Self.day)))
        }
        let transaction = RetentionTerm(rule: "r", period: RetentionPeriod(years: 6), trigger: .transaction, action: .delete)
        #expect(transaction.start(of: Self.collected, clocks: .init(lastContact: .distantFuture)) == Self.collected)
    }

    @Test("APX-54 (Art 17(3)(e)): a hold says why; a category hold covers the categories within it, not a longer word, and nothing once lifted")
    func holds() throws {
        let categories: Set<String> = ["user.contact", "user.contact.email", "user.contactless"]
        #expect(throws: RetentionRefusal.holdReasonMissing) {
            try RetentionHold.placed(
                scope: .category, target: "user.contact", subject: nil, reason: " \n", by: "dpo", at: Self.collected, categories: categories)
        }
        #expect(throws: RetentionRefusal.holdTargetUnknown) {
            try RetentionHold.placed(
                scope: .category, target: "user.nope", subject: nil, reason: "Claim", by: "dpo", at: Self.collected, categories: categories)
        }
        #expect(throws: RetentionRefusal.holdTargetUnknown) {
            try RetentionHold.placed(
                scope: .subject, target: "x", subject: nil, reason: "Claim", by: "dpo", at: Self.collected, categories: categories)
        }
        let hold = try RetentionHold.placed(
            scope: .category, target: "user.contact", subject: nil, reason: " Claim 7 ", by: "dpo", at: Self.collected, categories: categories)
        #expect(hold.reason == "Claim 7")
        #expect(hold.covers(category: "user.contact.email") && hold.covers(category: "user.contact") && !hold.covers(category: "user.contactless"))
        let lifted = try hold.lifted(by: "dpo", at: Self.collected)
        #expect(!lifted.covers(category: "user.contact.email"))
        #expect(throws: RetentionRefusal.holdLifted) { try lifted.lifted(by: "dpo", at: Self.collected) }
    }
}
