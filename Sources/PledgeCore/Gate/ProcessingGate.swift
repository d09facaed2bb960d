import Foundation

/// The processing gate (C07, C08, C09, C10, C24, C34, C35): may this purpose use these
/// categories of this subject's data now, optionally sending them to this recipient?
///
/// Built once per declaration; everything that does not depend on the subject or the day is
/// worked out here, so a decision is a few dictionary look-ups. Every later feature (exports,
/// messages, analytics, sharing) asks this same gate.
public struct ProcessingGate: Sendable {
    private let purposes: [String: CompiledPurpose]
    private let recipients: [String: CompiledRecipient]
    private let specialCategories: CategoryCoverage
    /// Purposes new in a notice version not yet in effect, and the day it takes effect (`PurposeIntroduction`).
    private let introduced: [String: CalendarDate]

    /// The gate of `declaration`; `introduced` names the purposes that may not run before a day.
    public init(_ declaration: Declaration, introduced: [String: CalendarDate] = [:]) {
        self.introduced = introduced
        let known = declaration.knownCategories
        let assessments = Dictionary((declaration.legitimateInterests ?? []).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        purposes = Dictionary(
            declaration.purposes.map { ($0.id, CompiledPurpose($0, assessments: assessments, known: known)) },
            uniquingKeysWith: { first, _ in first })
        recipients = Dictionary(
            (declaration.recipients ?? []).map { ($0.id, CompiledRecipient($0, known: known)) }, uniquingKeysWith: { first, _ in first })
        specialCategories = CategoryCoverage(declaration.specialCategories, known: known)
    }

    /// Decides, listing every reason for a denial.
    public func decide(_ request: DecisionRequest, for subject: SubjectState, at instant: Date) -> Decision {
        guard let purpose = purposes[request.purpose] else {
            return Decision(reasons: [.unknownPurpose(request.purpose)])
        }
        var reasons = purpose.standingReasons
        if let start = introduced[purpose.id], CalendarDate(utc: instant) < start { reasons.append(.purposeNotYetNotified(from: start)) }

        let consent =
            purpose.basis == .consent || purpose.specialCondition?.needsConsent == true
            ? subject.consents.status(purpose: purpose.id, channel: request.channel) : .absent
        if purpose.basis == .consent {
            switch consent {
            case .absent: reasons.append(.consentAbsent)
            case .withdrawn(let at): reasons.append(.consentWithdrawn(at: at))
            case .granted: break
            }
        }

        if subject.isChild { reasons.append(.child) }
        // UK GDPR Art 18(2): restricted data may still serve legal claims, others' vital interests, or consent.
        if subject.restricted, !(purpose.survivesRestriction || (purpose.basis == .consent && consent.isGranted)) {
            reasons.append(.restricted)
        }
        if subject.legalHold, !purpose.survivesRestriction { reasons.append(.legalHold) }
        if let objection = purpose.objection(in: subject) { reasons.append(.objection(at: objection)) }
        if !purpose.subjects.isEmpty, !subject.categories.isEmpty, purpose.subjects.isDisjoint(with: subject.categories) {
            reasons.append(.subjectCategoryNotCovered)
        }

        var uncovered: [String] = []
        var special: [String] = []
        for category in request.categories {
            if !purpose.categories.covers(category) { uncovered.append(category) }
            if specialCategories.covers(category) { special.append(category) }
        }
        if !uncovered.isEmpty { reasons.append(.categoryNotCovered(uncovered)) }
        if !special.isEmpty {
            if let condition = purpose.specialCondition {
                if condition.needsConsent, !consent.isGranted { reasons.append(.explicitConsentAbsent) }
            } else {
                reasons.append(.specialCategoryWithoutCondition(special))
            }
        }

        if let recipientID = request.recipient {
            checkRecipient(recipientID, purpose: purpose, request: request, subject: subject, at: instant, into: &reasons)
        }
        return reasons.isEmpty ? .allow : Decision(reasons: reasons)
    }

    /// True when the purpose exists.
    public func knows(purpose: String) -> Bool { purposes[purpose] != nil }

    private func checkRecipient(
        _ id: String, purpose: CompiledPurpose, request: DecisionRequest, subject: SubjectState,
        at instant: Date, into reasons: inout [DenialReason]
    ) {
        guard let recipient = recipients[id] else {
            reasons.append(.unknownRecipient(id))
            return
        }
        if !recipient.purposes.contains(purpose.id), !purpose.recipients.contains(id) {
            reasons.append(.recipientNotForPurpose(id))
        }
        if let categories = recipient.categories {
            let uncovered = request.categories.filter { !categories.covers($0) }
            if !uncovered.isEmpty { reasons.append(.recipientCategoryNotCovered(uncovered)) }
        }
        // APX-17, APX-60: a recipient of de-identified or aggregate data gets nothing identifying, whatever it is declared for.
        let identifying = recipient.form.refused(request.categories)
        if !identifying.isEmpty { reasons.append(.recipientReceivesNoIdentifiers(recipient.form, identifying)) }
        if recipient.needsConsent,
            !subject.consents.status(purpose: purpose.id, recipient: id, channel: request.channel).isGranted
        {
            reasons.append(.recipientConsentAbsent(id))
        }
        switch recipient.transferGap {
        case (.noSafeguard, let country)?: reasons.append(.transferWithoutSafeguard(country: country))
        case (.riskUnassessed, let country)?: reasons.append(.transferRiskUnassessed(country: country))
        case nil: break
        }
        if let contract = recipient.processorContract, !contract.isInForce(on: CalendarDate(utc: instant)) {
            reasons.append(.processorContractNotInForce(id))
        }
        if recipient.isProcessorWithoutContract { reasons.append(.processorContractNotInForce(id)) }
    }

    /// True when `category` or one of its ancestors is in `set` (`user.contact` covers `user.contact.email`).
    static func covers(_ set: Set<String>, _ category: String) -> Bool {
        if set.contains(category) { return true }
        var key = Substring(category)
        while let dot = key.lastIndex(of: ".") {
            key = key[..<dot]
            if set.contains(String(key)) { return true }
        }
        return false
    }
}

extension SpecialCategoryCondition {
    /// Conditions that rest on the person's own consent (Art 9(2)(a)).
    var needsConsent: Bool { self == .explicitConsent || self == .consent }
}

/// A purpose with everything that does not depend on the subject worked out.
private struct CompiledPurpose: Sendable {
    let id: String
    let basis: LawfulBasis?
    let categories: CategoryCoverage
    let subjects: Set<String>
    let recipients: Set<String>
    let specialCondition: SpecialCategoryCondition?
    let isDirectMarketing: Bool
    /// Reasons that hold for every subject: no basis, no approved assessment.
    let standingReasons: [DenialReason]

    init(_ purpose: Purpose, assessments: [String: LegitimateInterestAssessment], known: Set<String>) {
        id = purpose.id
        basis = purpose.basis
        categories = CategoryCoverage(Set(purpose.categories), known: known)
        subjects = Set(purpose.subjects)
        recipients = Set(purpose.recipients ?? [])
        specialCondition = purpose.specialCondition
        isDirectMarketing = purpose.isDirectMarketing
        var reasons: [DenialReason] = []
        switch purpose.basis {
        case nil: reasons.append(.noLawfulBasis)
        case .legitimateInterests?:
            // UK GDPR Art 6(1)(f): the three-part test must be done and passed before processing.
            if let lia = purpose.lia, let assessment = assessments[lia] {
                switch assessment.outcome {
                case .approved where !assessment.recordsTheTest: reasons.append(.assessmentIncomplete(lia))
                case .approved: break
                case .overridden: reasons.append(.assessmentOverridden(lia))
                case .pending: reasons.append(.assessmentPending(lia))
                }
            } else {
                reasons.append(.assessmentMissing)
            }
        default: break
        }
        standingReasons = reasons
    }

    /// Legal claims (Art 18(2)) and protecting someone's life go on under restriction or legal hold.
    var survivesRestriction: Bool { basis == .legalObligation || basis == .vitalInterests }

    /// The objection that stops this purpose for `subject`, if any. UK GDPR Art 21(3): an objection to
    /// direct marketing is absolute; Art 21(1): others yield to recorded compelling grounds.
    func objection(in subject: SubjectState) -> Date? {
        if isDirectMarketing {
            if let at = subject.marketingObjection { return at }
            return subject.objections[id]?.at
        }
        guard let objection = subject.objections[id], let basis else { return nil }
        if basis.carriesRightToObject { return objection.compellingGrounds == nil ? objection.at : nil }
        // An objection to a consent-based purpose is treated as withdrawal; Art 21 gives no right to
        // object to contract, legal-obligation or vital-interests processing.
        return basis == .consent ? objection.at : nil
    }
}

/// A recipient with its transfer and contract position worked out.
private struct CompiledRecipient: Sendable {
    let purposes: Set<String>
    let categories: CategoryCoverage?
    let needsConsent: Bool
    let transferGap: (gap: TransferGap, country: String)?
    let processorContract: ProcessorContract?
    let isProcessorWithoutContract: Bool
    let form: RecipientDataForm

    init(_ recipient: Recipient, known: Set<String>) {
        form = recipient.form
        purposes = Set(recipient.purposes ?? [])
        categories = recipient.categories.map { CategoryCoverage(Set($0), known: known) }
        needsConsent = recipient.requiresConsent == true || recipient.transfer?.mechanism == .art49ExplicitConsent
        // UK GDPR Art 44A, Arts 45A–46: what a transfer outside the UK and adequate countries lacks, if anything.
        transferGap = recipient.transferGap.map { ($0, recipient.country) }
        processorContract = recipient.kind == .processor ? recipient.contract : nil
        isProcessorWithoutContract = recipient.kind == .processor && recipient.contract == nil
    }
}

/// The categories a set of declared categories covers, worked out once: every known category at or
/// below one of them. A decision then asks one set instead of walking up the dotted name.
struct CategoryCoverage: Sendable {
    private let roots: Set<String>
    private let covered: Set<String>
    private let known: Set<String>

    init(_ roots: Set<String>, known: Set<String>) {
        self.roots = roots
        self.known = known
        covered = roots.union(known.filter { ProcessingGate.covers(roots, $0) })
    }

    func covers(_ category: String) -> Bool {
        if covered.contains(category) { return true }
        if known.contains(category) { return false }
        return ProcessingGate.covers(roots, category)  // a name outside the taxonomy: walk its parents
    }
}
