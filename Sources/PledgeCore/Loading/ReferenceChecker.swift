import Foundation

/// Checks what the schema cannot: that every id an entry names exists, that ids are unique, that
/// data categories are fideslang names (or declared extensions) and that dates are consistent.
struct ReferenceChecker {
    let declaration: Declaration
    let document: DeclarationDocument
    private var collected: [Finding] = []

    init(declaration: Declaration, document: DeclarationDocument) {
        self.declaration = declaration
        self.document = document
    }

    func findings() -> [Finding] {
        var checker = self
        checker.run()
        return checker.collected
    }

    private mutating func run() {
        let root = DeclarationPath.root
        let d = declaration
        let categories = d.knownCategories

        let subjectIDs = unique(d.subjects.map(\.id), at: root.key("subjects"))
        let sourceIDs = unique(d.sources.map(\.id), at: root.key("sources"))
        let purposeIDs = unique(d.purposes.map(\.id), at: root.key("purposes"))
        let liaIDs = unique((d.legitimateInterests ?? []).map(\.id), at: root.key("legitimate_interests"))
        let recipientIDs = unique((d.recipients ?? []).map(\.id), at: root.key("recipients"))
        let retentionIDs = unique(d.retention.map(\.id), at: root.key("retention"))
        _ = unique((d.technologies ?? []).map(\.id), at: root.key("technologies"))
        _ = unique((d.forms ?? []).map(\.id), at: root.key("forms"))
        _ = unique((d.marketing ?? []).map(\.id), at: root.key("marketing"))
        _ = unique((d.systems ?? []).map(\.id), at: root.key("systems"))
        for (i, system) in (d.systems ?? []).enumerated() {
            for (j, collection) in system.collections.enumerated() {
                for (k, field) in collection.fields.enumerated() {
                    let path = root.key("systems").index(i).key("collections").index(j).key("fields").index(k).key("categories")
                    checkCategories(field.categories ?? [], known: categories, at: path)
                }
            }
        }

        for (i, custom) in (d.taxonomy?.categories ?? []).enumerated() {
            let path = root.key("taxonomy").key("categories").index(i).key("key")
            if let parent = Fideslang.parent(of: custom.key), categories.contains(parent) { continue }
            report(
                .unknownCategory,
                "Custom category '\(custom.key)' must sit under a known category, e.g. user.contact.\(custom.key.split(separator: ".").last ?? "").",
                at: path)
        }

        for (i, subject) in d.subjects.enumerated() {
            if let fides = subject.fides {
                check(
                    fides, in: Fideslang.dataSubjects, rule: .unknownCategory, what: "fideslang data subject",
                    at: root.key("subjects").index(i).key("fides"))
            }
        }

        for (i, purpose) in d.purposes.enumerated() {
            let path = root.key("purposes").index(i)
            checkCategories(purpose.categories, known: categories, at: path.key("categories"))
            checkReferences(purpose.subjects, known: subjectIDs, what: "subject category", at: path.key("subjects"))
            if let lia = purpose.lia { check(lia, in: liaIDs, what: "legitimate-interests assessment", at: path.key("lia")) }
            checkReferences(purpose.recipients ?? [], known: recipientIDs, what: "recipient", at: path.key("recipients"))
            if let retention = purpose.retention { check(retention, in: retentionIDs, what: "retention rule", at: path.key("retention")) }
            if let use = purpose.dataUse {
                check(use, in: Fideslang.dataUses, rule: .unknownCategory, what: "fideslang data use", at: path.key("data_use"))
            }
        }

        if let zone = d.organisation.timezone, TimeZone(identifier: zone) == nil {
            report(
                .invalidValue, "'\(zone)' is not an IANA time zone; deadlines need one, e.g. Europe/London.",
                at: root.key("organisation").key("timezone"), suggestion: "Europe/London")
        }

        if let analytics = d.analytics {
            check(analytics.purpose, in: purposeIDs, what: "purpose", at: root.key("analytics").key("purpose"))
        }

        for (i, form) in (d.forms ?? []).enumerated() {
            let path = root.key("forms").index(i)
            check(form.source, in: sourceIDs, what: "source", at: path.key("source"))
            checkReferences(form.purposes, known: purposeIDs, what: "purpose", at: path.key("purposes"))
            if let provider = form.runBy { check(provider, in: recipientIDs, what: "recipient", at: path.key("run_by")) }
            for (j, field) in form.fields.enumerated() {
                checkCategories([field.category], known: categories, at: path.key("fields").index(j).key("category"), indexed: false)
            }
        }

        for (i, technology) in (d.technologies ?? []).enumerated() {
            if let purpose = technology.purpose {
                check(purpose, in: purposeIDs, what: "purpose", at: root.key("technologies").index(i).key("purpose"))
            }
        }

        for (i, recipient) in (d.recipients ?? []).enumerated() {
            let path = root.key("recipients").index(i)
            checkReferences(recipient.purposes ?? [], known: purposeIDs, what: "purpose", at: path.key("purposes"))
            checkCategories(recipient.categories ?? [], known: categories, at: path.key("categories"))
        }

        for (i, rule) in d.retention.enumerated() {
            checkCategories(rule.categories ?? [], known: categories, at: root.key("retention").index(i).key("categories"))
        }

        for (i, channel) in (d.marketing ?? []).enumerated() {
            let path = root.key("marketing").index(i)
            checkReferences(channel.audience, known: subjectIDs, what: "subject category", at: path.key("audience"))
            checkReferences(channel.sources ?? [], known: sourceIDs, what: "source", at: path.key("sources"))
            checkReferences(channel.purposes ?? [], known: purposeIDs, what: "purpose", at: path.key("purposes"))
            checkReferences(channel.partners ?? [], known: recipientIDs, what: "recipient", at: path.key("partners"))
        }

        checkNoticeVersions()
    }

    private mutating func checkNoticeVersions() {
        let path = DeclarationPath.root.key("notice").key("versions")
        let versions = declaration.notice.versions
        if versions.isEmpty {
            report(.missingKey, "The notice needs at least one version.", at: path)
        }
        _ = unique(versions.map(\.version), at: path, field: "version")
        for (i, version) in versions.enumerated() {
            if let effective = version.effective, let published = version.published, effective < published {
                report(
                    .inconsistentDates,
                    "Version \(version.version) takes effect (\(effective)) before it is published (\(published)).",
                    at: path.index(i).key("effective"))
            }
            if i > 0, let published = version.published, let previous = versions[i - 1].published, published < previous {
                report(
                    .inconsistentDates, "Versions must be listed oldest first; \(version.version) is published before \(versions[i - 1].version).",
                    at: path.index(i).key("published"))
            }
        }
    }

    /// Reports duplicates among `ids` and returns them as a set.
    private mutating func unique(_ ids: [String], at path: DeclarationPath, field: String = "id") -> Set<String> {
        var seen = Set<String>()
        for (i, id) in ids.enumerated() where !seen.insert(id).inserted {
            report(.duplicateID, "'\(id)' is used twice in \(path); each \(field) must be unique.", at: path.index(i).key(field))
        }
        return seen
    }

    private mutating func checkCategories(_ names: [String], known: Set<String>, at path: DeclarationPath, indexed: Bool = true) {
        for (i, name) in names.enumerated() {
            check(name, in: known, rule: .unknownCategory, what: "data category", at: indexed ? path.index(i) : path)
        }
    }

    private mutating func checkReferences(_ ids: [String], known: Set<String>, what: String, at path: DeclarationPath) {
        for (i, id) in ids.enumerated() { check(id, in: known, what: what, at: path.index(i)) }
    }

    private mutating func check(
        _ name: String, in known: Set<String>, rule: StructuralRule = .danglingReference, what: String, at path: DeclarationPath
    ) {
        guard !known.contains(name) else { return }
        let suggestion = NearestName.suggestion(for: name, among: known)
        let hint = suggestion.map { " Did you mean '\($0)'?" } ?? ""
        report(rule, "'\(name)' is not a known \(what).\(hint)", at: path, suggestion: suggestion)
    }

    private mutating func report(_ rule: StructuralRule, _ message: String, at path: DeclarationPath, suggestion: String? = nil) {
        collected.append(rule.finding(message, at: path, location: document.location(of: path), suggestion: suggestion))
    }
}

extension Declaration {
    /// Fideslang data categories plus the organisation's declared extensions.
    public var knownCategories: Set<String> {
        Fideslang.dataCategories.union((taxonomy?.categories ?? []).map(\.key))
    }

    /// Special categories (Art 9(1)): fideslang's plus extensions marked special.
    public var specialCategories: Set<String> {
        Fideslang.specialCategories.union((taxonomy?.categories ?? []).filter { $0.special == true }.map(\.key))
    }

    /// True when `category` is, or lies within, special category data.
    public func isSpecial(_ category: String) -> Bool {
        specialCategories.contains { Fideslang.key(category, isWithin: $0) }
    }
}
