import Foundation

extension Disclosure {
    /// A new disclosure request, checked against `declaration` (C22, C25): the requester verified
    /// and named, a ground with its reference where the law wants one, the necessity (and prejudice)
    /// assessment, categories and people named; a registered recipient where the requester is not an
    /// authority, a court or a rights holder, never one marked sale, given only its categories; and
    /// from outside the UK only on an international agreement (Art 48) or a transfer mechanism.
    public static func requested(
        requester: DisclosureRequester, requesterName: String, recipient: String?, country: String?, verification: String,
        ground: DisclosureGround, reference: String?, agreement: String?, necessity: String, categories: [String], subjects: [UUID],
        identifiedBecause: String? = nil, in declaration: Declaration, loggedBy actor: String, at instant: Date
    ) throws(DisclosureRefusal) -> Disclosure {
        func given(_ text: String?) -> String? {
            let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed?.isEmpty == false ? trimmed : nil
        }
        guard let name = given(requesterName) else { throw .requesterNameMissing }
        guard let verification = given(verification) else { throw .verificationMissing }
        guard let necessity = given(necessity) else { throw .necessityMissing }
        if ground == .legalObligation, given(reference) == nil { throw .referenceMissing }
        guard !categories.isEmpty else { throw .categoriesMissing }
        let known = declaration.knownCategories
        guard categories.allSatisfy(known.contains) else { throw .categoryUnknown }
        guard !subjects.isEmpty else { throw .subjectsMissing }
        let country = UKAdequacy.country(given(country))
        var registered: Recipient?
        if let recipient {
            guard let found = declaration.recipients?.first(where: { $0.id == recipient }) else { throw .recipientUndeclared }
            registered = found
        } else if !requester.mayBeUnregistered {
            throw .recipientUndeclared
        }
        if let registered {
            if registered.sale == true { throw .recipientSale }
            if let given = categoriesGiven(to: registered, in: declaration), categories.contains(where: { !ProcessingGate.covers(given, $0) }) {
                throw .categoryNotForRecipient
            }
            // APX-17, APX-60: a recipient of de-identified or aggregate data is never asked for, nor sent, identifiers.
            if registered.form != .identified, !registered.form.refused(categories).isEmpty || given(identifiedBecause) != nil {
                throw .identifiersNotForRecipient
            }
            if registered.transferGap != nil { throw .transferUngrounded }
            // A processor receives data only under an Art 28 contract in force (APX-34, CLQ-41).
            if registered.kind == .processor, registered.contract?.isInForce(on: CalendarDate(utc: instant)) != true {
                throw .contractNotInForce
            }
        }
        if ground == .consent, registered == nil { throw .consentNeedsRecipient }
        // Art 48: a foreign court's or authority's demand is recognised only through an international agreement.
        if registered == nil, country != UKAdequacy.home, given(agreement) == nil { throw .transferUngrounded }
        var disclosure = Disclosure(
            requester: requester, requesterName: name, recipient: recipient, country: country, verification: verification, ground: ground,
            reference: given(reference), agreement: given(agreement), necessity: necessity, categories: categories, subjects: subjects,
            loggedBy: actor, loggedAt: instant)
        disclosure.isDataRoom = registered?.kind == .businessBuyer
        disclosure.form = registered?.form ?? .identified
        disclosure.identifiedBecause = disclosure.isDataRoom ? given(identifiedBecause) : nil
        return disclosure
    }

    /// The categories the register gives `recipient` (UK GDPR Art 5(1)(c)): those it names, or else
    /// those of the purposes it is declared for, so a credit reference agency registered for credit
    /// checks gets what credit checks use and nothing more; nil when it is tied to neither (an
    /// authority, whose request names what it needs).
    static func categoriesGiven(to recipient: Recipient, in declaration: Declaration) -> Set<String>? {
        if let categories = recipient.categories { return Set(categories) }
        let purposes = declaration.purposes.filter(recipient.isDeclared(for:))
        return purposes.isEmpty ? nil : Set(purposes.flatMap(\.categories))
    }

    /// Categories that name or reach a person directly; a data room leaves them out unless the
    /// override is justified (C26).
    public static let directIdentifiers: Set<String> = [
        "user.name", "user.contact", "user.account", "user.unique_id", "user.government_id", "user.credentials", "user.authorization",
    ]

    /// Whether the release names people by pseudonyms: a data room without a justified override, or
    /// a recipient of de-identified data. An aggregate release names nobody at all.
    public var pseudonymises: Bool { (isDataRoom && identifiedBecause == nil) || form == .deidentified }

    /// This disclosure approved or refused by `actor`, who must not be the one who logged it (four eyes).
    public func decided(approve: Bool, by actor: String, note: String?, at instant: Date) throws(DisclosureRefusal) -> Disclosure {
        guard state == .pending else { throw .notPending }
        guard actor != loggedBy else { throw .deciderIsLogger }
        var disclosure = self
        disclosure.state = approve ? .approved : .refused
        disclosure.decidedBy = actor
        disclosure.decidedAt = instant
        disclosure.decisionNote = note
        return disclosure
    }

    /// This disclosure released at `instant`: only once approved, and only once.
    public func released(at instant: Date) throws(DisclosureRefusal) -> Disclosure {
        guard state == .approved else { throw .notApproved }
        var disclosure = self
        disclosure.state = .released
        disclosure.releasedAt = instant
        return disclosure
    }

    /// Whether a value of `category` goes out: one of the categories asked for, or within one (Art 5(1)(c)).
    public func carries(category: String) -> Bool {
        guard ProcessingGate.covers(Set(categories), category), form.allows(category: category) else { return false }
        return !pseudonymises || !ProcessingGate.covers(Self.directIdentifiers, category)
    }

    /// Why one person's data stays out of the release, if it does: they are gone, or the ground is
    /// their consent and they have not given it to this recipient (C24, checked at release).
    /// A registered recipient needs each person's consent when the ground is consent, when the
    /// register makes the flow consent-gated (C24), or when the transfer rests on Art 49(1)(a)
    /// explicit consent (ECR-27, CLQ-42).
    public func exclusion(of subject: SubjectState?, in declaration: Declaration) -> DisclosureExclusion? {
        guard let subject else { return .subjectNotFound }
        let registered = declaration.recipients?.first { $0.id == recipient }
        let transferConsent = registered?.transfer?.mechanism == .art49ExplicitConsent && registered?.isRestrictedTransfer == true
        let needsConsent = ground == .consent || (requester == .registered && registered?.requiresConsent == true)
        guard needsConsent || transferConsent else { return nil }
        // The purposes the recipient is declared for, from either side: a purpose may list the recipient
        // rather than the recipient the purpose (Classeq's sponsors; CLQ-30).
        let purposes = registered.map { recipient in declaration.purposes.filter(recipient.isDeclared(for:)).map(\.id) } ?? []
        let consented = purposes.contains { subject.consents.status(purpose: $0, recipient: recipient).isGranted }
        if consented { return nil }
        return needsConsent ? .consentAbsent : .transferConsentAbsent
    }

    /// The wording the person's access report shows for this disclosure (Art 15(1)(c)).
    public var accessLogWording: String {
        "disclosed to \(requesterName) (\(ground.citation))"
    }
}

/// Why one person's data was left out of a release.
public enum DisclosureExclusion: String, Sendable {
    case subjectNotFound = "subject_not_found"
    case consentAbsent = "consent_absent"
    /// The transfer abroad rests on each person's explicit consent to it (Art 49(1)(a)), which they have not given.
    case transferConsentAbsent = "transfer_consent_absent"
}
