import Foundation

/// Writes the privacy notice from the declaration, in plain English, with every item UK GDPR
/// Art 13 and Art 14 require. Only the organisation's own sentences that pass the `WordingGuard`
/// are used; everything else is generated.
public struct NoticeComposer: Sendable {
    public let declaration: Declaration
    private let guardrail = WordingGuard()

    /// The day the notice is published, standing in for a date the declaration does not give.
    public let day: CalendarDate

    public init(declaration: Declaration, publishedOn day: CalendarDate = CalendarDate(utc: Date())) {
        self.declaration = declaration
        self.day = day
    }

    public func compose() -> NoticeDocument {
        let d = declaration
        let version = d.notice.current ?? NoticeVersion(version: "draft")
        let dates = version.dates(defaultingTo: day)
        return NoticeDocument(
            title: d.notice.title ?? "Privacy notice",
            organisation: d.organisation.name,
            version: version.version,
            lastUpdated: dates.lastUpdated,
            effective: dates.effective,
            sections: [
                controller(), dataWeHold(), purposesSection(), ifYouDoNotProvide(), technologiesSection(),
                recipientsSection(), transfersSection(), retentionSection(), rightsSection(), marketingSection(),
                automatedDecisionsSection(), childrenSection(), securitySection(), otherSitesSection(), complaintsSection(),
                changesSection(),
            ].compactMap { $0 }
        )
    }

    private func names(_ keys: [String]) -> String { CategoryNames.names(of: keys, in: declaration).joined(separator: ", ") }

    // UK GDPR Art 13(1)(a)-(b).
    private func controller() -> NoticeSection {
        let org = declaration.organisation
        var lines: [String] = []
        let legal = org.legalName.map { $0 == org.name ? $0 : "\(org.name) (\($0))" } ?? org.name
        var identity = "\(legal) is the controller of your personal data"
        if let number = org.companyNumber { identity += ", registered in England and Wales under company number \(number)" }
        if let office = org.registeredOffice { identity += ", registered office \(office)" }
        lines.append(identity + ".")
        var contact: [String] = []
        if let email = org.contact.email { contact.append("Email: \(email)") }
        if let phone = org.contact.phone { contact.append("Phone: \(phone)") }
        if let post = org.contact.post { contact.append("Post: \(post)") }
        // Art 13(1)(a): the controller's contact details include where it is.
        for address in org.addresses ?? [] where !(org.contact.post ?? "").contains(address) { contact.append("Address: \(address)") }
        if let form = org.contact.webForm { contact.append("Web form: \(form)") }
        var blocks: [NoticeBlock] = [.paragraph(lines.joined(separator: " "))]
        // CAM-01, ECR-02: what the notice covers, so a reader of any of those sites or services knows it is theirs.
        let scope = (declaration.notice.scope ?? []).compactMap { guardrail.clean($0) }
        if !scope.isEmpty { blocks.append(.paragraph("This notice covers: \(scope.joined(separator: "; ")).")) }
        blocks += [.paragraph("To ask about this notice or your data, contact us:"), .list(contact)]
        if let dpo = org.dpo, dpo.hasContact {
            let who = dpo.designated ? "Our data protection officer" : "Our \(dpo.title ?? "privacy lead")"
            let reach = [dpo.name, dpo.email, dpo.phone].compactMap { $0 }.joined(separator: ", ")
            blocks.append(.paragraph("\(who) can be reached at: \(reach)."))
        }
        if let reg = org.icoRegistration {
            blocks.append(.paragraph("We are registered with the Information Commissioner's Office under number \(reg)."))
        }
        return NoticeSection(id: "controller", heading: "Who we are", article: "Art 13(1)(a)-(b)", blocks: blocks)
    }

    // Art 13(1), Art 14(1)(d) and 14(2)(f).
    private func dataWeHold() -> NoticeSection {
        let d = declaration
        let subjects = d.subjects.map { guardrail.say($0.name, otherwise: $0.fides ?? $0.id) }
        var rows: [[String]] = []
        for source in d.sources {
            let categories = (d.forms ?? []).filter { $0.source == source.id }.flatMap { $0.fields.map(\.category) }
            rows.append([
                guardrail.say(source.name, otherwise: sourceLabel(source.kind).capitalized), sourceLabel(source.kind),
                categories.isEmpty ? "—" : names(categories),
            ])
        }
        let all = d.purposes.flatMap(\.categories)
        var blocks: [NoticeBlock] = [
            .paragraph("This notice applies to: \(subjects.joined(separator: "; "))."),
            .paragraph("We hold these kinds of personal data: \(names(all))."),
            .paragraph("We get it from these sources:"),
            .table(header: ["Source", "How", "Data"], rows: rows),
        ]
        let special = Set(all.filter(d.isSpecial))
        if !special.isEmpty {
            blocks.append(
                .paragraph(
                    "Some of it is special category data (\(names(Array(special).sorted()))); we use it only under the conditions shown for each purpose below."
                ))
        }
        return NoticeSection(
            id: "data", heading: "The personal data we hold and where it comes from", article: "Art 13(1), Art 14(1)(d), Art 14(2)(f)", blocks: blocks
        )
    }

    private func sourceLabel(_ kind: SourceKind) -> String {
        switch kind {
        case .direct: "from you"
        case .observed: "collected automatically when you use our services"
        case .singleSignOn: "from the sign-in service you choose"
        case .thirdParty: "from another organisation"
        case .groupCompany: "from a company in our group"
        case .customerInstruction: "from our customers, for work we do for them"
        case .listVendor: "bought from a data list supplier"
        case .creditReferenceAgency: "from a credit reference agency"
        case .publicRegister: "from a public register"
        }
    }

    // Art 13(1)(c)-(d), Art 9(2).
    private func purposesSection() -> NoticeSection {
        let d = declaration
        let assessments = Dictionary((d.legitimateInterests ?? []).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let rows = d.purposes.map { purpose -> [String] in
            var basis =
                purpose.basis.map { "\($0.label) (\($0.article))" }
                ?? "Not yet declared: we do not carry out this processing until a lawful basis is recorded"
            if purpose.basis == .recognisedLegitimateInterest, let condition = purpose.recognisedInterest {
                basis += ": \(condition.label)"
            }
            if purpose.needsStatute, let statute = guardrail.clean(purpose.namedStatute) {
                basis += " under \(statute)"
            }
            if let further = purpose.furtherProcessing {
                let original = declaration.purposes.first { $0.id == further.of }.map { guardrail.say($0.name, otherwise: $0.id) } ?? further.of
                let why = further.annex2Condition.map { "\(further.ground.label): \($0.label)" } ?? further.ground.label
                basis +=
                    ". It uses data we collected to \(original.prefix(1).lowercased() + original.dropFirst()), which is compatible because \(why) (Art 8A)"
            }
            if purpose.basis == .legitimateInterests, let lia = purpose.lia.flatMap({ assessments[$0] }), let interest = guardrail.clean(lia.interest)
            {
                basis += ". Our interest: \(interest)"
            }
            if let condition = purpose.specialCondition, condition != .consent {
                basis += "; for special category data: \(condition.rawValue.replacingOccurrences(of: "_", with: " ")) (\(condition.article))"
            } else if purpose.categories.contains(where: d.isSpecial) {
                basis += "; for special category data: your explicit consent (Art 9(2)(a))"
            }
            let name = guardrail.say(purpose.name, otherwise: purpose.id)
            let what = guardrail.clean(purpose.description).map { "\(name): \($0)" } ?? name
            return [what, names(purpose.categories), basis]
        }
        return NoticeSection(
            id: "purposes", heading: "What we use your data for, and our lawful basis", article: "Art 13(1)(c)-(d)",
            blocks: [
                .table(header: ["Purpose", "Data used", "Lawful basis"], rows: rows),
                .paragraph(
                    "Where we rely on your consent, you can withdraw it at any time, as easily as you gave it; this does not affect what we did before. We never treat silence, use of our website or acceptance of this notice as consent."
                ),
            ])
    }

    // Art 13(2)(e).
    private func ifYouDoNotProvide() -> NoticeSection? {
        let forms = declaration.forms ?? []
        guard !forms.isEmpty else { return nil }
        let items = forms.map { form -> String in
            let required = form.fields.filter(form.requires).map(\.category)
            let optional = form.fields.filter { !form.requires($0) }.map(\.category)
            var text = guardrail.say(form.name, otherwise: form.id)
            // CLQ-55: a form a provider runs names the provider.
            if let provider = form.runBy.flatMap({ id in declaration.recipients?.first { $0.id == id } }) {
                text += " (run for us by \(guardrail.say(provider.name, otherwise: provider.id)))"
            }
            text += ": we need \(required.isEmpty ? "nothing" : names(required))"
            if !optional.isEmpty { text += "; \(names(optional)) \(optional.count == 1 ? "is" : "are") optional" }
            if let consequence = guardrail.clean(form.ifOmitted) { text += ". If you leave out required details: \(consequence)" }
            return text + "."
        }
        return NoticeSection(
            id: "required-data", heading: "What you must give us, and what is optional", article: "Art 13(2)(e)",
            blocks: [
                .paragraph("You can browse our website without giving us any personal data."), .list(items),
            ])
    }

    // PECR reg 6, C11.
    private func technologiesSection() -> NoticeSection? {
        let technologies = declaration.technologies ?? []
        guard !technologies.isEmpty else {
            return guardrail.clean(declaration.notice.cookiePolicyUrl).map { url in
                NoticeSection(
                    id: "cookies", heading: "Cookies and similar technologies", article: "PECR reg 6; Art 13(1)(c)",
                    blocks: [.paragraph("Our cookie policy describes each cookie and similar technology we use, and what it needs from you: \(url)")])
            }
        }
        return NoticeSection(
            id: "cookies", heading: "Cookies and similar technologies", article: "PECR reg 6; Art 13(1)(c)",
            blocks: [
                .paragraph(
                    "We use only strictly necessary cookies and similar technologies until you choose otherwise in our consent banner. Accepting and rejecting are equally easy, and you can change your mind at any time from the \"Privacy settings\" link on every page; withdrawing consent deletes the cookies it covered. Embedded videos and sharing buttons from other sites load only when you click them."
                ),
                CookieTable(declaration: declaration).block,
            ])
    }

    // Art 13(1)(e).
    private func recipientsSection() -> NoticeSection {
        let recipients = declaration.recipients ?? []
        guard !recipients.isEmpty else {
            return NoticeSection(
                id: "recipients", heading: "Who we share your data with", article: "Art 13(1)(e)",
                blocks: [.paragraph("We do not share your personal data with anyone else.")])
        }
        let rows = recipients.map { recipient -> [String] in
            var condition = recipientRole(recipient.kind)
            if recipient.requiresConsent == true { condition += "; only with your express consent" }
            switch recipient.form {
            case .identified: break
            case .deidentified: condition += "; with your name, contact details and anything you wrote removed"
            case .aggregate: condition += "; only as totals, never about you alone"
            }
            if recipient.kind == .lawEnforcement || recipient.kind == .regulator {
                condition += "; only where the law requires it or a specific exemption applies, decided case by case"
            }
            let why =
                guardrail.clean(recipient.description) ?? CategoryNames.names(of: recipient.categories ?? [], in: declaration).joined(separator: ", ")
            return [guardrail.say(recipient.name, otherwise: recipientRole(recipient.kind)), condition, why.isEmpty ? "—" : why]
        }
        return NoticeSection(
            id: "recipients", heading: "Who we share your data with", article: "Art 13(1)(e)",
            blocks: [
                .table(header: ["Recipient", "Role and conditions", "What and why"], rows: rows),
                .paragraph("We do not sell or rent your personal data."),
            ])
    }

    private func recipientRole(_ kind: RecipientKind) -> String {
        switch kind {
        case .processor: "Service provider acting on our instructions under a contract"
        case .controller: "Independent organisation"
        case .jointController: "Joint controller with us"
        case .groupCompany: "Company in our group"
        case .professionalAdviser: "Professional adviser"
        case .creditReferenceAgency: "Credit reference agency"
        case .regulator: "Regulator or government body"
        case .lawEnforcement: "Police and law enforcement"
        case .businessBuyer: "Buyer or prospective buyer of our business, under confidentiality"
        case .partner: "Partner organisation"
        case .sponsor: "Sponsor of a survey or competition"
        case .trainingProvider: "Training provider"
        }
    }

    // Art 13(1)(f).
    private func transfersSection() -> NoticeSection {
        let transfers = (declaration.recipients ?? []).filter(\.isRestrictedTransfer)
        let location = storesParagraph()
        guard !transfers.isEmpty else {
            return NoticeSection(id: "transfers", heading: "Transfers outside the UK", article: "Art 13(1)(f)", blocks: [location])
        }
        let rows = transfers.map { recipient -> [String] in
            let safeguard: String
            switch recipient.transfer?.mechanism {
            case nil, .deemedConsent?:
                safeguard = "No safeguard is in place yet, so we do not send data to this recipient"
            case .adequacy? where !recipient.isAdequateDestination:
                safeguard = "No safeguard is in place yet, so we do not send data to this recipient"
            case let mechanism?:
                safeguard = mechanism.label
            }
            return [guardrail.say(recipient.name, otherwise: recipientRole(recipient.kind)), recipient.country, safeguard]
        }
        return NoticeSection(
            id: "transfers", heading: "Transfers outside the UK", article: "Art 13(1)(f)",
            blocks: [
                location,
                .table(header: ["Recipient", "Country", "Safeguard"], rows: rows),
                .paragraph("You can ask us for a copy of the safeguards."),
            ])
    }

    /// Where the organisation's own stores keep the data (ECR-26): Pledge's own store and each
    /// declared system, in the UK unless a system says otherwise; data given from abroad comes here.
    private func storesParagraph() -> NoticeBlock {
        let abroad = (declaration.systems ?? []).filter { $0.country != UKAdequacy.home }
        var text =
            "We keep and process your personal data in the UK; if you give it to us from another country, it comes to the UK to be processed here."
        if !abroad.isEmpty {
            text +=
                " Some of our own systems keep it elsewhere: "
                + abroad.map { "\(guardrail.say($0.name, otherwise: $0.id)) (\($0.country))" }.joined(separator: ", ") + "."
        }
        return .paragraph(text)
    }

    // Art 13(2)(a).
    private func retentionSection() -> NoticeSection {
        let rows = declaration.retention.map { rule -> [String] in
            let what = rule.name.flatMap(guardrail.clean) ?? names(rule.categories ?? [])
            return [what.isEmpty ? rule.id : what, rule.howLong(cleaning: guardrail.clean)]
        }
        return NoticeSection(
            id: "retention", heading: "How long we keep your data", article: "Art 13(2)(a)",
            blocks: [
                .table(header: ["Data", "How long"], rows: rows),
                .paragraph(
                    "When the period ends we delete the data securely or make it anonymous, unless the law requires us to keep it longer; data we must keep is restricted to that use."
                ),
            ])
    }

    // Art 13(2)(b)-(c), Art 12(3), Art 12(5), Art 12(6).
    private func rightsSection() -> NoticeSection {
        let org = declaration.organisation
        let channel = org.contact.email ?? org.contact.webForm ?? org.contact.post ?? "the contact details above"
        return NoticeSection(
            id: "rights", heading: "Your rights", article: "Art 13(2)(b)-(c); Arts 15–22",
            blocks: [
                .paragraph("You have the right:"),
                .list(DataSubjectRight.allCases.filter { $0 != .informed }.map { "\($0.label) (\($0.article))" }),
                .paragraph(
                    "You can use our privacy centre or contact us at \(channel). You do not need to use any particular words. Making a request costs nothing, unless it is manifestly unfounded or excessive\(declaration.rights.feeAppliesTo?.contains(.furtherCopies) == true ? " or you ask for further copies of your data (Art 15(3))" : "")."
                ),
                .paragraph(
                    "We answer without undue delay and no later than one calendar month after we receive your request. If a request is complex, or you have made several, we may extend this by up to two further months; if so, we tell you within the first month and explain why."
                ),
                .paragraph(
                    "We confirm your identity using what we already hold, usually by sending a link or code to the email address we have for you. We ask for documents only if we have reasonable doubts, and delete copies once checked. Someone you authorise, or a parent or guardian, can make a request for you."
                ),
                .paragraph(
                    "Copies of your data come as a readable report with a structured, machine-readable copy (JSON and CSV), which we can also send to another organisation for you."
                ),
            ]
                + (guardrail.clean(declaration.rights.searchScope).map {
                    [.paragraph("When you ask for your data, we make reasonable and proportionate searches (UK GDPR Art 15(1A)): \($0)")]
                } ?? []))
    }

    // PECR regs 21–23, Art 21(2)-(4).
    private func marketingSection() -> NoticeSection? {
        let channels = declaration.marketing ?? []
        guard !channels.isEmpty else { return nil }
        let items = channels.map { channel -> String in
            // What was declared, never a default that sounds like a promise (issue 26 §1, §10).
            let basis: String =
                switch channel.effectivePermission {
                case .consent?: "only if you have agreed"
                case .softOptIn? where declaration.organisation.charity == true:
                    "about our work, if you supported us or told us you were interested and did not say no"
                case .softOptIn?: "about our own similar products, if you bought from us or asked about buying and did not say no"
                case .corporateSubscriber?: "as business-to-business marketing to your work address at your organisation"
                case .notRequired? where channel.channel == .phone:
                    "live calls on our legitimate interests, never to numbers registered with the Telephone or Corporate Telephone Preference Service"
                case .notRequired?: "on our legitimate interests"
                case nil: "on our legitimate interests"
                }
            return "\(channel.channel.rawValue.capitalized): \(basis)."
        }
        return NoticeSection(
            id: "marketing", heading: "Marketing", article: "PECR regs 21–23; Art 21(2)-(4)",
            blocks: [
                .list(items),
                .paragraph(
                    "You can object to marketing at any time, free of charge, and we stop straight away: use the unsubscribe link in any message, our preference centre, or contact us. Service messages about your account or orders are not marketing and continue."
                ),
                .paragraph(
                    "We only measure whether a particular person opened or clicked an email if they have agreed to that separately; you can refuse it without unsubscribing."
                ),
            ])
    }

    // Art 13(2)(f), Arts 22A–22D. The notice says there are no such decisions only when every purpose
    // declares it (issue 26 §10); otherwise it states only the person's rights, which hold either way.
    private func automatedDecisionsSection() -> NoticeSection {
        let automated = declaration.purposes.filter { $0.automatedDecisions?.solelyAutomated == true }
        guard !automated.isEmpty else {
            let declaredNone = declaration.purposes.allSatisfy { $0.automatedDecisions?.solelyAutomated == false }
            return NoticeSection(
                id: "automated-decisions", heading: "Automated decisions", article: "Art 13(2)(f)",
                blocks: [
                    .paragraph(
                        declaredNone
                            ? "We do not make decisions with legal or similarly significant effects about you based solely on automated processing."
                            : "If a decision with legal or similarly significant effects about you is ever made solely by automated means, you can ask for a person to review it, give your point of view and contest it (UK GDPR Art 22C)."
                    )
                ])
        }
        let items = automated.map { purpose -> String in
            let logic = guardrail.clean(purpose.automatedDecisions?.logic) ?? "ask us for details of the logic involved"
            return "\(guardrail.say(purpose.name, otherwise: purpose.id)): \(logic)."
        }
        return NoticeSection(
            id: "automated-decisions", heading: "Automated decisions", article: "Art 13(2)(f)",
            blocks: [
                .list(items),
                .paragraph("You can ask for a person to review any such decision, give your point of view and contest it."),
            ])
    }

    // Art 8, DPA 2018 s.9.
    private func childrenSection() -> NoticeSection? {
        guard let children = declaration.children else { return nil }
        return NoticeSection(
            id: "children", heading: "Children", article: "Art 8; DPA 2018 s.9",
            blocks: [
                .paragraph(
                    "Our services are for people aged \(children.minimumAge) and over, and we do not knowingly collect data from anyone younger. If we learn that we hold data of a child below that age, we delete it at once. A parent or guardian can ask us to delete their child's data."
                )
            ])
    }

    // Art 32; Arts 33–34. Each measure is said only when declared (issue 26 §10: an absent fact is no promise).
    private func securitySection() -> NoticeSection {
        let s = declaration.security
        var measures: [String] = []
        if s.tls { measures.append("Every page and form on our website is served over an encrypted connection (TLS 1.2 or later).") }
        if s.encryptionAtRest == true { measures.append("Personal data is encrypted when stored.") }
        if s.firewall == true { measures.append("Our systems are protected by firewalls.") }
        if s.mfaForAdmins == true { measures.append("Staff with administrative access use multi-factor authentication.") }
        // What Pledge itself enforces for the data it keeps: roles for every read, and an audit entry for each.
        measures.append("Access to the personal data we keep is limited by role to those who need it, and every access is recorded.")
        var blocks: [NoticeBlock] = [.list(measures)]
        if let breach = declaration.breach {
            let hours = min(breach.icoNotificationHours, 72)
            blocks.append(
                .paragraph(
                    "If a personal data breach happens, we record it, tell the Information Commissioner's Office within \(hours) hours of becoming aware where it poses a risk to you\(breach.notifyIndividualsWhenHighRisk ? ", and tell you without undue delay if the risk to you is high" : "")."
                ))
        }
        return NoticeSection(id: "security", heading: "How we protect your data", article: "Art 32; Arts 33–34", blocks: blocks)
    }

    // Art 13(2)(d), Art 77, DPA 2018 s.164A.
    private func complaintsSection() -> NoticeSection {
        let ico = ComplaintsPolicy.defaultICOURL
        // DPA 2018 s.164A(2): a form that can be completed electronically; the privacy centre's when none is declared.
        let form =
            guardrail.clean(declaration.rights.complaints?.formUrl).map { "our online complaint form (\($0))" }
            ?? "the complaint form in our privacy centre"
        return NoticeSection(
            id: "complaints", heading: "Complaints", article: "Art 13(2)(d); DPA 2018 s.164A",
            blocks: [
                .paragraph(
                    "If you are unhappy with how we use your data, please complain to us first, using \(form) or the contact details above. We acknowledge complaints within 30 days, keep you updated, and tell you the outcome without undue delay."
                ),
                .paragraph(
                    "You also have the right to complain to the Information Commissioner's Office (ICO), the UK regulator: \(ico) or 0303 123 1113."),
            ])
    }

    /// ECR-48, APX-52: links to sites others run; their owners' notices apply, and a link endorses nothing.
    private func otherSitesSection() -> NoticeSection? {
        guard declaration.notice.linksToOtherSites == true else { return nil }
        return NoticeSection(
            id: "other-sites", heading: "Links to other websites", article: "Art 13(1)(a), 12(1)",
            blocks: [
                .paragraph(
                    "Our website links to websites that other organisations run. This notice does not cover them: they decide what they collect and how they use it, so read their own privacy notices. A link to another website is not an endorsement, sponsorship or approval of it."
                )
            ])
    }

    // Art 13(3), C02.
    private func changesSection() -> NoticeSection {
        let versions = declaration.notice.versions
        let days = declaration.notice.changePolicy?.advanceNoticeDays ?? 0
        var blocks: [NoticeBlock] = [
            .paragraph(
                "When we change this notice we publish the new version\(days > 0 ? " at least \(days) days" : "") before it takes effect, show a notice of the change on our website, and tell you directly about significant changes. If we want to use your data for a new purpose, we tell you before we start and ask for your consent where it is needed."
            )
        ]
        if !versions.isEmpty {
            blocks.append(
                .table(
                    header: ["Version", "Published", "In force from", "What changed"],
                    rows: versions.reversed().map {
                        [
                            $0.version, $0.published?.description ?? "not dated", ($0.effective ?? $0.published)?.description ?? "not dated",
                            guardrail.clean($0.summary) ?? "—",
                        ]
                    }))
        }
        return NoticeSection(id: "changes", heading: "Changes to this notice", article: "Art 13(3); Art 12(1)", blocks: blocks)
    }
}
