import Foundation

/// What fulfilling a verified request does (C30-C34; UK GDPR Arts 7(3), 15-21), decided from the
/// request, the subject as the gate sees them (nil when nobody is on file) and the declaration.
/// The store carries out `steps` and closes the case with `completion(...)` in one unit, so a
/// request is never fulfilled without its case saying so, nor closed without being fulfilled.
public struct FulfilmentPlan: Sendable, Equatable {
    /// One thing the vault does.
    public enum Step: Sendable, Equatable {
        /// Build the export (Art 15; Art 20 for portability).
        case export
        /// Erase, keeping what a statute requires (Art 17(1), 17(3)(b)).
        case erase(keeping: StatutoryRetention)
        /// Erase from the organisation's own systems by each table's declared strategy (issue 30 §4; Art 17(1)).
        case eraseInSystems
        /// Restrict to storage (Art 18(2)); also what a legal hold makes of an erasure (Art 17(3)(e)).
        case restrict
        /// Object to these purposes (Art 21(1)).
        case object(purposes: [String])
        /// Object to all direct marketing (Art 21(3)).
        case objectToMarketing
        /// Nobody on file: keep the requester's contact digest so marketing never starts (Art 21(3)).
        case suppressContact
        /// Withdraw consent for these purposes (Art 7(3)).
        case withdrawConsent(purposes: [String])
    }

    /// How long an export can be downloaded.
    public static let exportLifetime: TimeInterval = 14 * 86_400

    /// What the vault does, in order.
    public let steps: [Step]
    /// Recipients to tell of an erasure (Art 19).
    public let notify: [String]
    let kind: RequestKind
    let answer: String?
    let withheld: [Withholding]

    /// The plan for `request`; kinds that need a person's judgement (rectification, complaints)
    /// are refused with `case.action-not-for-kind`, and a case not in progress with a transition refusal.
    public init(for request: RequestCase, subject: SubjectState?, declaration: Declaration) throws(CaseRefusal) {
        guard request.state == .inProgress else { throw .transition(action: "fulfil", state: request.state) }
        let hasSystems = !(declaration.systems ?? []).isEmpty
        kind = request.kind
        var steps: [Step] = []
        var notify: [String] = []
        var withheld = request.withheld
        var answer: String?
        switch request.kind {
        case .access, .portability:
            // With systems declared the export searches them too (issue 30 §3); when it finds nothing, this answer stands.
            if subject == nil { answer = "We have searched our records and hold no personal data about you." }
            if subject != nil || hasSystems { steps = [.export] }
        case .erasure, .parentalDeletion:
            if let subject, subject.legalHold {
                // Art 17(3)(e): kept for legal claims, restricted meanwhile (Art 18(1)(c)).
                steps = [.restrict]
                withheld.append(
                    Withholding(
                        ground: .legalClaims,
                        detail: "Your data is needed for legal claims; it is kept, restricted to that use, until they end."))
                answer = "We cannot erase your data yet because it is needed for legal claims. We have restricted it so it is only stored."
            } else if let subject {
                steps = (hasSystems ? [.eraseInSystems] : []) + [.erase(keeping: StatutoryRetention(declaration))]
                notify = Self.recipients(of: subject.categories, in: declaration)
            } else {
                answer = "We have searched our records and hold no personal data about you to erase."
                if hasSystems { steps = [.eraseInSystems] }
            }
        case .restriction:
            if subject == nil {
                answer = "We hold no personal data about you to restrict."
            } else {
                steps = [.restrict]
                answer =
                    "We have restricted your data: we now only store it, or use it for legal claims, until you agree otherwise or the restriction ends (UK GDPR Art 18(2))."
            }
        case .objection:
            // Art 21(1): processing on legitimate interests (or public task) stops unless compelling grounds are recorded.
            let objectable = declaration.purposes.filter { $0.basis?.carriesRightToObject == true }
            if subject == nil {
                answer = "We hold no personal data about you."
            } else {
                steps = [.object(purposes: objectable.map(\.id))]
                answer =
                    objectable.isEmpty
                    ? "None of our processing of your data relies on legitimate interests, so there was nothing to stop."
                    : "We have stopped using your data for: \(objectable.map(\.name).joined(separator: ", ")). This may mean we cannot do these things for you any more (OEX-23)."
            }
        case .marketingOptOut:
            steps = [subject == nil ? .suppressContact : .objectToMarketing]
            answer = "You will receive no more marketing from us (UK GDPR Art 21(3))."
        case .consentWithdrawal:
            if let subject {
                let granted = subject.consents.grantedPurposes.sorted()
                steps = [.withdrawConsent(purposes: granted)]
                answer = granted.isEmpty ? "You had no consents in force." : "We have withdrawn your consent for: \(granted.joined(separator: ", "))."
            } else {
                answer = "We hold no consents from you."
            }
        case .unpublish:
            if let subject {
                let published = declaration.purposes.filter { $0.publishes == true && $0.concerns(subject.categories) }
                // The gate honours an objection to consent, legitimate-interests and public-task purposes (Art 21(1)); a
                // purpose on another basis (a contract, a legal duty) goes on, and the answer says so with its basis.
                let stoppable = published.filter { $0.basis == .consent || $0.basis?.carriesRightToObject == true }
                steps = [
                    .object(purposes: stoppable.map(\.id)),
                    .withdrawConsent(purposes: stoppable.map(\.id).filter { subject.consents.status(purpose: $0).isGranted }),
                ]
                for kept in published where !stoppable.contains(kept) {
                    let basis = kept.basis.map { "\($0.label) (UK GDPR \($0.article))" } ?? "no lawful basis we have declared"
                    withheld.append(
                        Withholding(
                            ground: .basisNotObjectable,
                            detail: "\(kept.name) stays on our website, shown on the basis of \(basis); staff will explain why when they reply."))
                }
                answer =
                    stoppable.isEmpty
                    ? "None of your details are shown on our website for a reason you can stop."
                    : "We have taken your details off our website: \(stoppable.map(\.name).joined(separator: ", ")). Our pages check before they show anything about you, so this takes effect at once. Search engines may show old copies for a while; you can ask them to refresh or remove them."
            } else {
                answer = "We hold no personal data about you, so none of it is on our website."
            }
        case .preferences:
            answer =
                subject == nil
                ? "We hold no personal data about you, so there are no consents or preferences to change. To make sure we never send you marketing, ask us for no more marketing."
                : "Your consents and marketing preferences are below; you can change them there while this link works."
        case .rectification, .complaint, .question:
            throw .notForKind(action: "fulfil", kind: request.kind)
        }
        self.steps = steps.filter(\.doesSomething)
        self.notify = notify
        self.withheld = withheld
        self.answer = answer
    }

    /// The action that closes the case once the steps are done: the answer the requester receives,
    /// told what the export holds and until when, or what the erasure removed and kept and why.
    public func completion(
        export: (items: Int, until: CalendarDate)? = nil, erasure: ErasureReceipt? = nil, systems: [SystemErasureOutcome] = []
    ) -> CaseAction {
        var withheld = self.withheld
        var outcome = answer ?? ""
        if let export, export.items > 0 || answer == nil {
            outcome =
                "Your copy is ready: \(export.items) items of personal data with the information the law requires. The download link works until \(export.until)."
        }
        if let erasure {
            // Art 17(3)(b): records a statute requires are kept, restricted to that use.
            withheld += erasure.kept.map {
                Withholding(
                    ground: .legalObligation,
                    detail: "\($0.values) item(s) kept for \($0.purpose): \($0.reason)")
            }
            outcome =
                erasure.kept.isEmpty
                ? "We have erased your data: \(erasure.values) items, \(erasure.interactions) records of contact."
                : "We have erased \(erasure.values) items and \(erasure.interactions) records of contact. The law requires us to keep some records; they are restricted to that use and erased when the period ends."
        }
        // Issue 30 §4 (C32): what each of the organisation's systems did, and what a hold kept there.
        let touched = systems.filter { !$0.done.isEmpty || !$0.kept.isEmpty }
        if !touched.isEmpty {
            if erasure == nil { outcome = "We have erased your data from our systems." }
            outcome += " " + touched.map { "\($0.systemName): \(($0.done + $0.kept).joined(separator: "; "))." }.joined(separator: " ")
            withheld += touched.flatMap { system in
                system.kept.map { Withholding(ground: .erasureException, detail: "\(system.systemName): \($0)") }
            }
        }
        return .complete(outcome: outcome, withheld: withheld)
    }

    /// Recipients of data about subjects of these categories, to be told of a change (Art 19).
    public static func recipients(of categories: Set<String>, in declaration: Declaration) -> [String] {
        let names = Dictionary((declaration.recipients ?? []).map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let ids = declaration.purposes.filter { !categories.isDisjoint(with: $0.subjects) }.flatMap { $0.recipients ?? [] }
        return Array(Set(ids.compactMap { names[$0] })).sorted()
    }
}

extension FulfilmentPlan.Step {
    /// Whether carrying the step out changes anything: objecting to or withdrawing nothing does not.
    var doesSomething: Bool {
        switch self {
        case .object(let purposes), .withdrawConsent(let purposes): !purposes.isEmpty
        default: true
        }
    }
}
