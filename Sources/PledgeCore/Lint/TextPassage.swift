/// A piece of free text in a declaration, with where it stands, for the wording checks.
public struct TextPassage: Sendable, Equatable {
    public var path: DeclarationPath
    public var text: String
}

extension Declaration {
    /// Every piece of free text the organisation wrote, in document order.
    public var passages: [TextPassage] {
        let root = DeclarationPath.root
        var result: [TextPassage] = []
        func add(_ text: String?, _ path: DeclarationPath) {
            if let text, !text.isEmpty { result.append(TextPassage(path: path, text: text)) }
        }
        for (i, version) in notice.versions.enumerated() { add(version.summary, root.key("notice").key("versions").index(i).key("summary")) }
        for (i, source) in sources.enumerated() { add(source.description, root.key("sources").index(i).key("description")) }
        for (i, form) in (forms ?? []).enumerated() { add(form.ifOmitted, root.key("forms").index(i).key("if_omitted")) }
        for (i, purpose) in purposes.enumerated() { add(purpose.description, root.key("purposes").index(i).key("description")) }
        for (i, lia) in (legitimateInterests ?? []).enumerated() {
            let path = root.key("legitimate_interests").index(i)
            add(lia.interest, path.key("interest"))
            add(lia.balancing, path.key("balancing"))
        }
        for (i, technology) in (technologies ?? []).enumerated() { add(technology.description, root.key("technologies").index(i).key("description")) }
        for (i, recipient) in (recipients ?? []).enumerated() {
            add(recipient.description, root.key("recipients").index(i).key("description"))
            add(recipient.transfer?.note, root.key("recipients").index(i).key("transfer").key("note"))
        }
        for (i, rule) in retention.enumerated() { add(rule.criteria, root.key("retention").index(i).key("criteria")) }
        add(security.description, root.key("security").key("description"))
        for (i, statement) in (statements ?? []).enumerated() { add(statement.text, root.key("statements").index(i).key("text")) }
        return result
    }
}
