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

    /// Why a campaign of `question` with these templates cannot be sent by Pledge under `declaration`;
    /// nil when it can (the audience is checked by `MarketingPermissionRule.refusal(for:categories:)`).
    public static func refusal(subject: String, text: String, question: MarketingQuestion, declaration: Declaration) -> CampaignRefusal? {
        guard question.medium == .email else { return .mediumNotSent(question.medium) }
        guard let purpose = declaration.purposes.first(where: { $0.id == question.purpose }) else { return .purposeUnknown(question.purpose) }
        if let field = undeclared(in: [subject, text], purpose: purpose) { return .undeclaredField(field, purpose: purpose.id) }
        guard footer(for: declaration.organisation, unsubscribeURL: "") != nil else { return .senderAddressMissing }
        return nil
    }

    /// The sender's identity and address every marketing message carries, and how to stop them
    /// (PECR reg 23(a)-(b); Companies Act 2006 s.82 for a company's name and registered office).
    public static func footer(for organisation: Organisation, unsubscribeURL: String, preferencesURL: String = "") -> String? {
        guard let address = organisation.registeredOffice ?? organisation.addresses?.first ?? organisation.contact.post, !address.isEmpty else {
            return nil
        }
        return """
            --
            Sent by \(organisation.legalName ?? organisation.name), \(address).
            To stop these emails, unsubscribe: \(unsubscribeURL)
            """ + (preferencesURL.isEmpty ? "" : "\nTo choose what we send you: \(preferencesURL)")
    }
}
