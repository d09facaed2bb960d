import Foundation
import OpenAPIRuntime
import PledgeCore
import PledgeStore

/// The DPO's home page (issue 29 §7): what needs attention today, each item linking to its register.
/// It reads what the registers already answer (the queue, Core's breach standing, pending disclosures,
/// the last sweep and the holds, `ReviewDates`) and decides nothing itself.
extension PledgeAPI {
    func getConsoleHome(_ input: Operations.GetConsoleHome.Input) async throws -> Operations.GetConsoleHome.Output {
        let now = clock()
        let declaration = try inForce().declaration
        // The queue's first page holds the soonest due, so every urgent case unless more than a page are.
        let queue = try await queuePage(includeClosed: false, limit: Self.queuePageSize, offset: 0)
        let urgent = queue.cases.filter { $0.urgency == .overdue || $0.urgency == .dueSoon }
        // On the ICO clock, or with people still to be told.
        let breaches = try await BreachRegister(vault: vault).all().map { ($0, $0.standing(at: now)) }.filter { breach, standing in
            switch standing {
            case .notified, .notRequired: breach.individualsToBeTold
            default: true
            }
        }.map { Self.homeBreach($0, $1) }
        let pending = try await DisclosureRegister(vault: vault).all().filter { $0.state == .pending }
        let holds = try await RetentionHolds(vault: vault).all().filter(\.isActive)
        let sweep = try await AuditTrail(database: database).latest(about: "retention")
        let reviews = ReviewDates.attention(declaration, on: CalendarDate(utc: now))
        var context: [String: Any] = [
            "title": "Today", "isConsole": true, "isHome": true,
            "requests": urgent.map { found -> [String: Any] in
                [
                    "id": found.id, "kind": Self.sentence(found.kind), "due": found.dueOn, "daysLeft": found.daysLeft,
                    "urgency": found.urgency == .overdue ? "overdue" : "due soon",
                ]
            },
            "openRequests": queue.total, "overdueRequests": urgent.filter { $0.urgency == .overdue }.count,
            "breaches": breaches,
            "disclosures": pending.map { disclosure -> [String: Any] in
                [
                    "requester": disclosure.requesterName, "ground": disclosure.ground.citation, "loggedBy": disclosure.loggedBy,
                    "logged": Self.consoleTime(disclosure.loggedAt), "people": disclosure.subjects.count,
                    "categories": disclosure.categories.joined(separator: ", "),
                ]
            },
            "holds": holds.map { ["scope": $0.scope.rawValue, "target": $0.target, "reason": $0.reason, "since": Self.consoleTime($0.placedAt)] },
            "reviews": reviews.map { item -> [String: Any] in
                [
                    "kind": Self.label(item.kind), "name": item.name, "due": item.due?.description ?? "never recorded",
                    "standing": item.standing.rawValue, "standingLabel": Self.label(item.standing),
                ]
            },
        ]
        for (name, list) in [
            ("Requests", urgent.count), ("Breaches", breaches.count), ("Disclosures", pending.count), ("Holds", holds.count),
            ("Reviews", reviews.count),
        ] {
            context["no\(name)"] = list == 0
        }
        if let sweep { context["sweep"] = ["at": Self.consoleTime(sweep.record.at), "summary": sweep.record.after ?? ""] }
        return .ok(.init(body: .html(HTTPBody(try pages.render("admin-home", await layoutContext(context))))))
    }

    private static func homeBreach(_ breach: Breach, _ standing: BreachStanding) -> [String: Any] {
        [
            "aware": consoleTime(breach.awareAt), "facts": breach.facts, "standing": standing.code, "standingLabel": label(standing),
            "toTell": breach.individualsToBeTold,
        ]
    }

    static func label(_ kind: ReviewItem.Kind) -> String {
        switch kind {
        case .security: "Security review"
        case .lia: "Legitimate-interests assessment"
        case .contract: "Processor contract"
        case .notice: "Privacy notice"
        }
    }

    static func label(_ standing: ReviewItem.Standing) -> String {
        switch standing {
        case .overdue: "overdue"
        case .dueSoon: "due soon"
        case .notRecorded: "no date recorded"
        }
    }
}
