import Foundation

/// What a campaign's Mustache templates may name (issue 28 §2, "Bad input"): the data categories
/// its purpose covers, read from the vault per recipient (`{{user.name}}`), and the message's own
/// values. A template naming anything else is refused before anything is queued.
public enum CampaignTemplate {
    /// The values every message has besides the recipient's data.
    public static let builtIns: Set<String> = ["unsubscribe_url", "preferences_url", "organisation"]

    /// The names a template's tags refer to (variables and sections), in order of first use.
    public static func names(in template: String) -> [String] {
        var names: [String] = []
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            guard let close = rest.range(of: "}}") else { break }
            var tag = rest[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            rest = rest[close.upperBound...]
            if tag.hasPrefix("{") { tag = String(tag.dropFirst()) }
            if rest.hasPrefix("}") { rest = rest.dropFirst() }
            // Comments (!), partials (>), delimiters (=) and pragmas (%) name no data.
            if let first = tag.first, "!>=%".contains(first) { continue }
            if let first = tag.first, "#^/&".contains(first) { tag = String(tag.dropFirst()) }
            let name = tag.trimmingCharacters(in: .whitespaces)
            if !name.isEmpty, !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// The first name in `templates` that is neither a category `purpose` covers nor a built-in.
    public static func undeclared(in templates: [String], purpose: Purpose) -> String? {
        let covered = Set(purpose.categories)
        for name in templates.flatMap(names(in:)) where !builtIns.contains(name) {
            if !covered.contains(name), !covered.contains(where: { name.hasPrefix($0 + ".") }) { return name }
        }
        return nil
    }

    /// What a campaign is made of, as the API takes it.
    public struct Draft: Sendable, Equatable {
        public var subject: String
        public var text: String
        public var html: String?
        public var tracking: EmailTracking

        public init(subject: String, text: String, html: String? = nil, tracking: EmailTracking = .none) {
            self.subject = subject
            self.text = text
            self.html = html
            self.tracking = tracking
        }

        var templates: [String] { [subject, text] + (html.map { [$0] } ?? []) }
    }

    /// Why a campaign of `question` made of `draft` cannot be sent by Pledge under `declaration`;
    /// nil when it can (the audience is checked by `MarketingPermissionRule.refusal(for:categories:)`).
    public static func refusal(
        _ draft: Draft, question: MarketingQuestion, declaration: Declaration, rule: MarketingPermissionRule
    )
        -> CampaignRefusal?
    {
        guard question.medium == .email else { return .mediumNotSent(question.medium) }
        guard let purpose = declaration.purposes.first(where: { $0.id == question.purpose }) else { return .purposeUnknown(question.purpose) }
        guard purpose.categories.contains(where: { Fideslang.key($0, isWithin: "user") && $0.hasSuffix("contact.email") }) else {
            return .purposeReadsNoAddress(purpose.id)
        }
        if let field = undeclared(in: draft.templates, purpose: purpose) { return .undeclaredField(field, purpose: purpose.id) }
        if rule.kind(of: purpose.id) == .service, let wording = ServiceMessageRule.promotionalWording(in: draft.templates) {
            return .servicePromotional(wording)
        }
        if let refusal = rule.trackingRefusal(draft.tracking, for: question) { return refusal }
        guard sender(declaration.organisation) != nil else { return .senderAddressMissing }
        return nil
    }

    /// The sender's name and postal address (PECR reg 23(a)-(b); Companies Act 2006 s.82 for a
    /// company's name and registered office); nil when the declaration gives no address.
    static func sender(_ organisation: Organisation) -> String? {
        guard let address = organisation.registeredOffice ?? organisation.addresses?.first ?? organisation.contact.post, !address.isEmpty else {
            return nil
        }
        return "\(organisation.legalName ?? organisation.name), \(address)"
    }
}
