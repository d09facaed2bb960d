/// The organisation's own systems (issue 30 §7): what they hold must be declared, reachable and
/// erasable, or access and erasure requests are answered in part without anyone knowing.
enum SystemRules {
    static let all: [LegalRule] = [l37, l38, l39, l40]

    /// Every `systems[i].collections[j]` with its path.
    private static func collections(_ context: LintContext) -> [(DataSystem, SystemCollection, DeclarationPath)] {
        (context.declaration.systems ?? []).enumerated().flatMap { i, system in
            system.collections.enumerated().map { j, collection in
                (system, collection, LintContext.root.key("systems").index(i).key("collections").index(j))
            }
        }
    }

    static let l37 = LegalRule(
        "L37", "system-category-undeclared", "A system holds data categories that no purpose declares", severity: .error,
        reference:
            "UK GDPR Art 5(1)(b) and (c) (purpose limitation, data minimisation), Art 13(1)(c) and Art 30(1)(c) (categories and purposes declared)"
    ) { context in
        let declared = context.declaration.purposes.flatMap(\.categories)
        return collections(context).flatMap { system, collection, path in
            collection.fields.enumerated().flatMap { k, field in
                (field.categories ?? []).filter { category in
                    Fideslang.key(category, isWithin: "user") && !declared.contains { Fideslang.key(category, isWithin: $0) }
                }.map { category in
                    Violation(
                        path.key("fields").index(k).key("categories"),
                        "\(system.name) keeps '\(category)' in \(collection.name).\(field.name), but no purpose declares it: declare why it is held, or stop keeping it."
                    )
                }
            }
        }
    }

    static let l38 = LegalRule(
        "L38", "system-erasure-missing", "A table holding personal data has no erasure strategy", severity: .error,
        reference: "UK GDPR Art 17(1) (erasure without undue delay), Art 5(1)(e) (storage limitation), Art 17(3) (a hold names its ground)"
    ) { context in
        var violations: [Violation] = []
        // An http system erases by its own rules; what it did comes back in its answer.
        for (system, collection, path) in collections(context) where system.kind.isDatabase {
            if collection.holdsPersonalData && collection.erasure == nil {
                violations.append(
                    Violation(
                        path.key("erasure"),
                        "\(system.name).\(collection.name) holds personal data but says nothing of erasure: declare delete, null, rewrite, hash or keep (with its hold)."
                    ))
            }
            if collection.erasure == .keep && (collection.hold ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                violations.append(
                    Violation(path.key("hold"), "\(system.name).\(collection.name) is kept on erasure without a reason: name the hold (Art 17(3)).")
                )
            }
            // Deleting a parent fails while rows that refer to it stay: the referrer must be deleted too.
            for (k, field) in collection.fields.enumerated() {
                guard let reference = field.reference, system.collection(reference.collection)?.erasure == .delete,
                    collection.erasure != .delete, collection.erasure != .keep
                else { continue }
                violations.append(
                    Violation(
                        path.key("fields").index(k).key("references"),
                        "\(system.name).\(collection.name) refers to \(reference.collection), whose rows are deleted on erasure: delete these rows too (or keep them under a hold), or the database refuses the erasure."
                    ))
            }
        }
        return violations
    }

    static let l39 = LegalRule(
        "L39", "system-reference-broken", "A reference or key names a table or column that is not declared", severity: .error,
        reference: "UK GDPR Art 15(1) and Art 17(1): a broken link hides the rows behind it from access and erasure"
    ) { context in
        collections(context).flatMap { system, collection, path in
            collection.fields.enumerated().compactMap { k, field -> Violation? in
                guard let references = field.references else { return nil }
                guard let (table, column) = field.reference else {
                    return Violation(path.key("fields").index(k).key("references"), "'\(references)' must be written table.column.")
                }
                guard let target = system.collection(table) else {
                    return Violation(
                        path.key("fields").index(k).key("references"),
                        "\(collection.name).\(field.name) refers to '\(table)', which \(system.name) does not declare.")
                }
                guard target.field(column) != nil else {
                    return Violation(
                        path.key("fields").index(k).key("references"),
                        "\(collection.name).\(field.name) refers to \(table).\(column), but \(table) declares no column '\(column)'.")
                }
                return nil
            }
        }
    }

    static let l40 = LegalRule(
        "L40", "system-unreachable", "A table holding personal data cannot be reached from a person's identity", severity: .error,
        reference: "UK GDPR Art 15(1) (all personal data concerning them), Art 17(1): rows no request can find are never given or erased"
    ) { context in
        (context.declaration.systems ?? []).enumerated().filter { $0.element.kind.isDatabase }.flatMap { i, system in
            SystemGraph(system).unreachable.compactMap { name -> Violation? in
                guard let j = system.collections.firstIndex(where: { $0.name == name }) else { return nil }
                return Violation(
                    LintContext.root.key("systems").index(i).key("collections").index(j),
                    "\(system.name).\(name) holds personal data but no identity column or reference leads to it: add `identity: email` to the column that holds the person's email, or a reference to a reached table."
                )
            }
        }
    }
}
