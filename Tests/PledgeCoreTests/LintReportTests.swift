import Foundation
import Testing

@testable import PledgeCore

@Suite("pledge lint output")
struct LintReportTests {
    @Test("exit status: 0 clean, 1 legal errors, 2 invalid file")
    func exitCodes() throws {
        #expect(LintReport.check(yaml: try Examples.yaml("compliant"), file: "c", today: Examples.today).exitCode == 0)
        #expect(LintReport.check(yaml: try Examples.yaml("classeq"), file: "q", today: Examples.today).exitCode == 1)
        #expect(LintReport.check(yaml: "pledge: [", file: "x", today: Examples.today).exitCode == 2)
        #expect(LintReport.check(yaml: "pledge: 1\nsurprise: true\n", file: "x", today: Examples.today).exitCode == 2)
    }

    @Test("warnings alone exit 0")
    func warningsAreNotErrors() throws {
        var yaml = try Examples.yaml("compliant")
        yaml = yaml.replacingOccurrences(of: "  legal_name: Northwind Analytics Ltd\n", with: "")
        let report = LintReport.check(yaml: yaml, file: "w", today: Examples.today)
        #expect(report.findings.map(\.rule) == ["L30"])
        #expect(report.findings.first?.severity == .warning)
        #expect(report.exitCode == 0)
    }

    @Test("text output names file, line, column, rule and the law")
    func textFormat() throws {
        let text = LintReport.check(yaml: try Examples.yaml("classeq"), file: "classeq.yaml", today: Examples.today).text()
        #expect(text.contains("classeq.yaml:"))
        #expect(text.contains("error[L01 implied-cookie-consent]"))
        #expect(text.contains("law: PECR reg 6"))
    }

    @Test("JSON output decodes with every finding")
    func jsonFormat() throws {
        let report = LintReport.check(yaml: try Examples.yaml("apexure"), file: "a", today: Examples.today)
        let object = try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as! [String: Any]
        #expect((object["findings"] as! [Any]).count == report.findings.count)
        #expect(object["exitCode"] as? Int == 1)
    }

    @Test("SARIF output is SARIF 2.1.0 with a result per finding")
    func sarifFormat() throws {
        let report = LintReport.check(yaml: try Examples.yaml("open-ecx"), file: "open-ecx.yaml", today: Examples.today)
        let log = try JSONSerialization.jsonObject(with: Data(report.sarif().utf8)) as! [String: Any]
        #expect(log["version"] as? String == "2.1.0")
        let run = (log["runs"] as! [[String: Any]])[0]
        let results = run["results"] as! [[String: Any]]
        #expect(results.count == report.findings.count)
        #expect(results.contains { $0["ruleId"] as? String == "L13" && $0["level"] as? String == "error" })
        let rules = ((run["tool"] as! [String: Any])["driver"] as! [String: Any])["rules"] as! [Any]
        #expect(rules.count == LegalRules.all.count + StructuralRule.allCases.count)
    }
}

@Suite("JSON Schema")
struct JSONSchemaTests {
    @Test("the schema is JSON, closed to unknown keys, and requires what the loader requires")
    func schemaShape() throws {
        let schema = try JSONSerialization.jsonObject(with: Data(JSONSchemaExporter.declarationSchema().utf8)) as! [String: Any]
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect(schema["additionalProperties"] as? Bool == false)
        let required = Set(schema["required"] as! [String])
        #expect(required == ["pledge", "organisation", "notice", "subjects", "sources", "purposes", "retention", "rights", "security"])
        let properties = schema["properties"] as! [String: Any]
        let purpose = ((properties["purposes"] as! [String: Any])["items"] as! [String: Any])
        let basis = (purpose["properties"] as! [String: Any])["basis"] as! [String: Any]
        #expect(basis["enum"] as? [String] == LawfulBasis.allCases.map(\.rawValue))
    }
}

@Suite("Values")
struct ValueTests {
    @Test("calendar dates parse strictly and count days")
    func calendarDates() {
        #expect(CalendarDate("2024-02-29") != nil)
        #expect(CalendarDate("2025-02-29") == nil)
        #expect(CalendarDate("2025-1-01") == nil)
        #expect(CalendarDate("2026-02-05")!.daysSinceEpoch - CalendarDate("2026-01-31")!.daysSinceEpoch == 5)
        #expect(CalendarDate(utc: CalendarDate("2026-11-21")!.startOfDayUTC.addingTimeInterval(86_399)) == CalendarDate("2026-11-21"))
        #expect(CalendarDate(utc: Date(timeIntervalSince1970: -1)) == CalendarDate("1969-12-31"))
    }

    @Test("retention periods read ISO 8601 and speak English")
    func periods() {
        #expect(RetentionPeriod("P12M")?.description == "12 months")
        #expect(RetentionPeriod("P1Y6M")?.description == "1 year and 6 months")
        #expect(RetentionPeriod("P2W")?.days == 14)
        #expect(RetentionPeriod("P0D") == nil)
        #expect(RetentionPeriod("12 months") == nil)
    }

    @Test("nearest names suggest typos and nothing far off")
    func nearestNames() {
        #expect(NearestName.suggestion(for: "user.contact.emial", among: Fideslang.dataCategories) == "user.contact.email")
        #expect(NearestName.suggestion(for: "zzzzzzzz", among: ["purposes", "sources"]) == nil)
    }

    @Test("HTML is escaped and addresses linked")
    func htmlText() {
        #expect(HTMLText.escape("<a href='x'>&</a>") == "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;")
        #expect(
            HTMLText.linked("Write to a@b.example or see https://ico.org.uk/.")
                == "Write to <a href=\"mailto:a@b.example\">a@b.example</a> or see <a href=\"https://ico.org.uk/\">https://ico.org.uk/</a>.")
    }
}
