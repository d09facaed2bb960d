import Foundation
import Testing

@testable import PledgeCore

/// Checking submissions before anything is stored (C03, C05, C06, C09, C35).
@Suite("Collection policy")
struct CollectionPolicyTests {
    let day = CalendarDate(year: 2026, month: 1, day: 31)

    func policy(_ change: (inout Declaration) -> Void = { _ in }) throws -> CollectionPolicy {
        var declaration = try Examples.declaration("compliant")
        change(&declaration)
        return CollectionPolicy(declaration)
    }

    func codes(_ result: Result<CollectionPlan, CollectionRefusal>) -> [String] {
        guard case .failure(let refusal) = result else { return [] }
        return refusal.problems.map(\.code.rawValue)
    }

    @Test("C06: a declared form with its required fields is accepted; empty optional fields are not stored")
    func form() throws {
        let result = try policy().plan(
            CollectionSubmission(route: .form("contact"), fields: ["name": "Ada", "email": "ada@example.com", "phone": " "]), on: day)
        let plan = try result.get()
        #expect(plan.values.map(\.category) == ["user.name", "user.contact.email"])
        #expect(plan.values.allSatisfy { $0.purpose == "enquiries" })
        #expect(plan.art14DueBy == nil)
        #expect(plan.decisionRequests == [DecisionRequest(purpose: "enquiries", categories: ["user.name", "user.contact.email"])])
    }

    @Test("C03/C06: undeclared fields and missing required fields are refused together")
    func undeclared() throws {
        let result = try policy().plan(CollectionSubmission(route: .form("contact"), fields: ["name": "Ada", "shoe_size": "5"]), on: day)
        #expect(codes(result) == ["collection.field-undeclared", "collection.field-missing"])
    }

    @Test("C03: direct collection takes only categories the purpose covers")
    func direct() throws {
        let policy = try policy()
        #expect(
            codes(policy.plan(CollectionSubmission(route: .direct(purpose: "service", source: "signup"), fields: ["user.shoe_size": "5"]), on: day))
                == ["collection.category-undeclared"])
        #expect(
            codes(
                policy.plan(
                    CollectionSubmission(route: .direct(purpose: "service", source: "signup"), fields: ["user.contact.phone_number": "1"]), on: day))
                == ["collection.category-not-covered"])
        #expect(
            codes(policy.plan(CollectionSubmission(route: .direct(purpose: "nope", source: "signup"), fields: [:]), on: day)) == [
                "collection.purpose-unknown"
            ])
        #expect(
            codes(policy.plan(CollectionSubmission(route: .direct(purpose: "service", source: "nope"), fields: ["user.name": "Ada"]), on: day)) == [
                "collection.source-unknown"
            ])
    }

    @Test("C35: below the minimum age is refused (403), and a form's age confirmation is required")
    func age() throws {
        let policy = try policy()
        let fields = ["name": "Ada", "email": "ada@example.com", "password": "x"]
        let young = policy.plan(CollectionSubmission(route: .form("signup"), fields: fields, age: 15), on: day)
        #expect(codes(young) == ["collection.below-minimum-age"])
        if case .failure(let refusal) = young { #expect(refusal.isForbidden) }
        #expect(codes(policy.plan(CollectionSubmission(route: .form("signup"), fields: fields), on: day)) == ["collection.age-confirmation-missing"])
        #expect((try? policy.plan(CollectionSubmission(route: .form("signup"), fields: fields, ageConfirmed: true), on: day).get()) != nil)
    }

    @Test("C09: special category data without an Art 9 condition is refused (403)")
    func special() throws {
        let policy = try policy { $0.purposes[0].categories.append("user.health_and_medical") }
        let result = policy.plan(
            CollectionSubmission(route: .direct(purpose: "service", source: "signup"), fields: ["user.health_and_medical": "asthma"]), on: day)
        #expect(codes(result) == ["collection.special-category-without-condition"])
    }

    @Test("C05: an indirect source opens an Art 14 notice due within one month (31 Jan → 28 Feb)")
    func art14() throws {
        let plan = try policy().plan(
            CollectionSubmission(route: .direct(purpose: "service", source: "customer-admins"), fields: ["user.name": "Bo"]), on: day
        ).get()
        #expect(plan.art14DueBy == CalendarDate(year: 2026, month: 2, day: 28))
    }
}
