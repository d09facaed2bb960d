import Foundation

/// The result of `pledge lint`: structural and legal findings for one file, and how to show them.
public struct LintReport: Sendable {
    public var file: String
    public var findings: [Finding]

    public init(file: String, findings: [Finding]) {
        self.file = file
        self.findings = findings
    }

    /// Loads and lints `yaml`: structural findings when the file is unusable, legal ones otherwise.
    public static func check(yaml: String, file: String, today: CalendarDate) -> LintReport {
        let loaded = DeclarationLoader.load(yaml: yaml)
        guard loaded.isUsable, let declaration = loaded.declaration else {
            return LintReport(file: file, findings: loaded.findings)
        }
        return LintReport(file: file, findings: Linter(today: today).lint(declaration, document: loaded.document))
    }

    /// 0 clean (warnings and info allowed), 1 legal errors, 2 invalid file.
    public var exitCode: Int32 {
        if findings.contains(where: \.isStructural) { return 2 }
        if findings.contains(where: { $0.severity == .error }) { return 1 }
        return 0
    }

    /// `file:line:col: severity[rule]: message` lines, then a summary.
    public func text() -> String {
        var out = ""
        for finding in findings {
            let place = finding.location.map { "\(file):\($0.line):\($0.column)" } ?? file
            out += "\(place): \(finding.severity.rawValue)[\(finding.rule) \(finding.code)]: \(finding.message)\n"
            out += "    at \(finding.path)"
            if let suggestion = finding.suggestion { out += " — suggestion: \(suggestion)" }
            out += "\n"
            if let reference = finding.reference { out += "    law: \(reference)\n" }
        }
        let count = { (s: Severity) in findings.filter { $0.severity == s }.count }
        out += "\(file): \(count(.error)) error(s), \(count(.warning)) warning(s), \(count(.info)) info\n"
        return out
    }

    /// `{"file": ..., "exitCode": ..., "findings": [...]}`.
    public func json() -> String {
        struct Body: Encodable { var file: String; var exitCode: Int32; var findings: [Finding] }
        return encode(Body(file: file, exitCode: exitCode, findings: findings))
    }

    /// SARIF 2.1.0, for code-scanning tools in CI.
    public func sarif() -> String {
        let rules =
            LegalRules.all.map { rule -> [String: Any] in
                [
                    "id": rule.id, "name": rule.code, "shortDescription": ["text": rule.title],
                    "help": ["text": rule.reference], "defaultConfiguration": ["level": level(rule.severity)],
                ]
            }
            + StructuralRule.allCases.map { rule -> [String: Any] in
                [
                    "id": rule.rawValue, "name": rule.code, "shortDescription": ["text": rule.code.replacingOccurrences(of: "-", with: " ")],
                    "defaultConfiguration": ["level": "error"],
                ]
            }
        let results = findings.map { finding -> [String: Any] in
            var region: [String: Any] = [:]
            if let location = finding.location { region = ["startLine": location.line, "startColumn": location.column] }
            var physical: [String: Any] = ["artifactLocation": ["uri": file]]
            if !region.isEmpty { physical["region"] = region }
            return [
                "ruleId": finding.rule, "level": level(finding.severity),
                "message": ["text": finding.message + (finding.reference.map { " (\($0))" } ?? "")],
                "locations": [["physicalLocation": physical, "logicalLocations": [["fullyQualifiedName": finding.path]]]],
            ]
        }
        let log: [String: Any] = [
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
            "runs": [["tool": ["driver": ["name": "pledge", "informationUri": "https://pledge.example", "rules": rules]], "results": results]],
        ]
        let data = try! JSONSerialization.data(withJSONObject: log, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .info: "note"
        }
    }

    private func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(value), as: UTF8.self) + "\n"
    }
}
