import Foundation

/// The readable report of an access request: every Art 15 item in plain words (C30).
enum ExportReport {
    static func html(_ export: SubjectExport) -> String {
        let e = HTMLText.escape
        func table(_ header: [String], _ rows: [[String]], empty: String) -> String {
            guard !rows.isEmpty else { return "<p>\(e(empty))</p>" }
            return "<table><thead><tr>" + header.map { "<th scope=\"col\">\(e($0))</th>" }.joined() + "</tr></thead><tbody>"
                + rows.map { "<tr>" + $0.map { "<td>\(e($0))</td>" }.joined() + "</tr>" }.joined() + "</tbody></table>"
        }
        let day = { (date: Date) in CSVTable.instant(date) }
        var body = "<h1>Your data from \(e(export.controller.name))</h1>"
        body += "<p>This is our answer to your request for \(e(export.request.kind.label)), received \(e(day(export.request.receivedAt))), reference \(e(export.request.id.uuidString.lowercased())). It was prepared \(e(day(export.request.generatedAt))).</p>"
        body += "<h2>The data we hold about you</h2>"
        body += table(["What", "Value", "Why we hold it", "Where it came from", "When"], export.personalData.map {
            [$0.field, $0.value, $0.purpose, $0.source, day($0.collectedAt)]
        }, empty: "We hold no personal values about you.")
        if let supplementary = export.supplementary {
            body += "<h2>Why we use it, and on what basis</h2>"
            body += table(["Purpose", "Lawful basis", "Data", "Shared with", "How long we keep it"], supplementary.purposes.map {
                [$0.name, $0.lawfulBasis ?? "", $0.categories.joined(separator: ", "), $0.recipients.joined(separator: ", "), $0.retention ?? ""]
            }, empty: "None.")
            let automated = supplementary.purposes.compactMap { purpose in purpose.automatedDecisions.map { "\(purpose.name): \($0)" } }
            body += "<h2>Automated decisions</h2>" + (automated.isEmpty ? "<p>We make no decisions about you by solely automated means.</p>" : "<ul>" + automated.map { "<li>\(e($0))</li>" }.joined() + "</ul>")
            body += "<h2>Who receives it</h2>"
            body += table(["Recipient", "Kind", "Country", "Safeguard"], supplementary.recipients.map { [$0.name, $0.kind, $0.country, $0.safeguard ?? ""] }, empty: "Nobody outside our organisation.")
            body += "<h2>Where it came from</h2>"
            body += table(["Source", "Kind"], supplementary.sources.map { [$0.name, $0.kind] }, empty: "From you.")
            body += "<h2>Your consents</h2>"
            body += table(["Purpose", "Given or withdrawn", "How", "Notice version", "When"], export.consents.map {
                [$0.purpose + ($0.recipient.map { " (\($0))" } ?? ""), $0.action, $0.mechanism, $0.noticeVersion, day($0.recordedAt)]
            }, empty: "No consent records.")
            body += "<h2>Our records of contact with you</h2>"
            body += table(["Kind", "When", "Record"], export.interactions.map { [$0.kind, day($0.recordedAt), $0.content] }, empty: "None.")
            body += "<h2>Who has used your data</h2>"
            body += table(["When", "Who", "What", "Purpose", "Data"], export.accessLog.map { [day($0.at), $0.actor, $0.action, $0.purpose ?? "", $0.fields ?? ""] }, empty: "No record.")
            body += "<h2>Your rights</h2><ul>" + supplementary.rights.map { "<li>\(e($0))</li>" }.joined() + "</ul>"
            body += "<p>\(HTMLText.linked(supplementary.complaints))</p>"
        }
        if !export.withheld.isEmpty {
            body += "<h2>What we have not included, and why</h2>"
            body += table(["Ground", "What"], export.withheld.map { [$0.ground, $0.detail] }, empty: "")
        }
        return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Your data from \(e(export.controller.name))</title>
        <style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border:1px solid #999;padding:.4rem;text-align:left;vertical-align:top}th{background:#eee}</style>
        </head><body><main>\(body)</main></body></html>
        """
    }
}
