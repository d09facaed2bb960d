import Foundation

/// The Art 30(1) record of processing activities, one row per purpose (C41).
///
/// Every mandatory column is filled from the declaration; where the declaration does not say, the
/// cell says so with a `NOT DECLARED` flag and the linter rule to fix, never an empty cell.
public struct RecordOfProcessing: Sendable {
    public let declaration: Declaration

    public init(declaration: Declaration) { self.declaration = declaration }

    /// The columns, each with the Art 30(1) point it answers.
    public static let columns: [(title: String, article: String)] = [
        ("Controller and contact", "Art 30(1)(a)"),
        ("DPO", "Art 30(1)(a)"),
        ("Purpose", "Art 30(1)(b)"),
        ("Lawful basis", "Art 6(1); Art 9(2)"),
        ("Categories of data subjects", "Art 30(1)(c)"),
        ("Categories of personal data", "Art 30(1)(c)"),
        ("Categories of recipients", "Art 30(1)(d)"),
        ("Third-country transfers and safeguards", "Art 30(1)(e)"),
        ("Time limits for erasure", "Art 30(1)(f)"),
        ("Technical and organisational security measures", "Art 30(1)(g)"),
        ("Sources", "Art 14(2)(f)"),
        ("Where the data is kept", "ICO record template: location of personal data"),
    ]

    public static let notDeclared = "NOT DECLARED"

    public var rows: [[String]] {
        let d = declaration
        let org = d.organisation
        let controller = [org.legalName ?? org.name, org.registeredOffice, org.contact.email, org.contact.phone]
            .compactMap { $0 }.joined(separator: "; ")
        let dpo: String
        if let officer = org.dpo, officer.hasContact {
            dpo = ([officer.designated ? "DPO" : (officer.title ?? "Privacy lead"), officer.name, officer.email, officer.phone].compactMap { $0 })
                .joined(separator: "; ")
        } else if org.dpo?.designated == true {
            dpo = "\(Self.notDeclared): DPO designated without contact details (L19)"
        } else {
            dpo = "No DPO designated; privacy contact: \(org.contact.email ?? org.contact.webForm ?? org.contact.post ?? "\(Self.notDeclared) (L30)")"
        }
        let subjects = Dictionary(d.subjects.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let recipients = Dictionary((d.recipients ?? []).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let retention = Dictionary(d.retention.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let measures = securityDescription
        let sources = d.sources.map(\.name).joined(separator: "; ")

        return d.purposes.map { purpose in
            var basis = purpose.basis.map { "\($0.rawValue) (\($0.article))" } ?? "\(Self.notDeclared) (L21)"
            if purpose.needsStatute {
                basis += "; law: " + (purpose.namedStatute ?? "\(Self.notDeclared) (L21)")
            }
            if purpose.categories.contains(where: d.isSpecial) {
                basis += "; Art 9: " + (purpose.specialCondition.map { "\($0.rawValue) (\($0.article))" } ?? "\(Self.notDeclared) (L28)")
            }
            let purposeRecipients =
                (purpose.recipients ?? []).compactMap { recipients[$0] }
                + (d.recipients ?? []).filter { $0.isDeclared(for: purpose) && !(purpose.recipients ?? []).contains($0.id) }
            let recipientText =
                purposeRecipients.isEmpty ? "None" : purposeRecipients.map { "\($0.name) (\($0.kind.rawValue))" }.joined(separator: "; ")
            let transfers = purposeRecipients.filter(\.isRestrictedTransfer)
            let transferText =
                transfers.isEmpty
                ? "None"
                : transfers.map { r in
                    "\(r.name) → \(r.country): "
                        + (r.transfer.map { $0.mechanism == .deemedConsent ? "\(Self.notDeclared) (L15)" : $0.mechanism.rawValue }
                            ?? "\(Self.notDeclared) (L15)")
                }.joined(separator: "; ")
            let erasure: String
            if let id = purpose.retention, let rule = retention[id] {
                erasure =
                    rule.period.map { "\($0.isoText) \((rule.from ?? .collection).rawValue), then \((rule.then ?? .delete).rawValue)" }
                    ?? rule.criteria.map { "Criteria: \($0)" } ?? "\(Self.notDeclared) (L23)"
            } else {
                erasure = "\(Self.notDeclared) (L23)"
            }
            return [
                controller, dpo, purpose.name,
                basis,
                purpose.subjects.map { subjects[$0] ?? $0 }.joined(separator: "; "),
                CategoryNames.names(of: purpose.categories, in: d).joined(separator: "; "),
                recipientText, transferText, erasure, measures, sources.isEmpty ? "\(Self.notDeclared) (L31)" : sources,
                Self.location(of: purpose, in: d),
            ]
        }
    }

    /// Every store that holds the purpose's data (C03; CLQ-39): Pledge's own database, then each of the
    /// organisation's declared systems with a table holding one of its categories (or a narrower or
    /// wider one), with the system's kind and country and those tables.
    static func location(of purpose: Purpose, in declaration: Declaration) -> String {
        func overlaps(_ category: String) -> Bool {
            purpose.categories.contains { Fideslang.key(category, isWithin: $0) || Fideslang.key($0, isWithin: category) }
        }
        let systems = (declaration.systems ?? []).compactMap { system -> String? in
            let tables = system.collections.filter { $0.personalFields.contains { ($0.categories ?? []).contains(where: overlaps) } }
            guard !tables.isEmpty else { return nil }
            return "\(system.name) (\(system.kind.rawValue), \(system.country)): \(tables.map(\.name).joined(separator: ", "))"
        }
        return (["Pledge's database"] + systems).joined(separator: "; ")
    }

    private var securityDescription: String {
        let s = declaration.security
        var parts: [String] = []
        if let text = s.description, !text.isEmpty { parts.append(text) }
        parts.append(s.tls ? "TLS in transit" : "\(Self.notDeclared): no TLS (L16)")
        if s.encryptionAtRest == true { parts.append("encryption at rest") }
        if s.firewall == true { parts.append("firewalls") }
        if s.mfaForAdmins == true { parts.append("MFA for administrators") }
        if let review = s.reviewInterval { parts.append("reviewed every \(review)") }
        return parts.joined(separator: "; ")
    }

    /// RFC 4180 CSV with a header row.
    public func csv() -> String {
        let header = Self.columns.map { "\($0.title) [\($0.article)]" }
        return String(decoding: CSVTable.render(header, rows), as: UTF8.self)
    }

    /// A self-contained HTML page with the record as a table.
    public func html() -> String {
        let name = HTMLText.escape(declaration.organisation.name)
        var out = "<!doctype html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Record of processing — \(name)</title>"
        out +=
            "<style>body{font:14px/1.4 system-ui,sans-serif;margin:1rem}table{border-collapse:collapse}th,td{border:1px solid #999;padding:.3rem;vertical-align:top}.flag{background:#fde2e1}</style></head><body>\n"
        out += "<h1>Record of processing activities (UK GDPR Art 30(1)) — \(name)</h1>\n<table><thead><tr>"
        out +=
            Self.columns.map { "<th scope=\"col\">\(HTMLText.escape($0.title))<br><small>\($0.article)</small></th>" }.joined()
            + "</tr></thead><tbody>\n"
        for row in rows {
            out +=
                "<tr>"
                + row.map { cell in
                    cell.contains(Self.notDeclared) ? "<td class=\"flag\">\(HTMLText.escape(cell))</td>" : "<td>\(HTMLText.escape(cell))</td>"
                }.joined() + "</tr>\n"
        }
        return out + "</tbody></table></body></html>\n"
    }
}
