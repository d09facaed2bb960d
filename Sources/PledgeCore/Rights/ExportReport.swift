import Foundation

/// The readable report of an access request: every Art 15 item in plain words (C30).
enum ExportReport {
    static func html(_ export: SubjectExport) -> Data {
        var out = TextBuffer(capacity: 256 * (export.personalData.count + export.interactions.count + export.accessLog.count) + 8_192)
        func heading(_ text: String) { out.append("<h2>"); out.append(html: text); out.append("</h2>") }
        func paragraph(_ text: String) { out.append("<p>"); out.append(html: text); out.append("</p>") }
        func table(_ header: [String], _ rows: [[String]], empty: String) {
            guard !rows.isEmpty else { return paragraph(empty) }
            out.append("<table><thead><tr>")
            for title in header { out.append("<th scope=\"col\">"); out.append(html: title); out.append("</th>") }
            out.append("</tr></thead><tbody>")
            for row in rows {
                out.append("<tr>")
                for cell in row { out.append("<td>"); out.append(html: cell); out.append("</td>") }
                out.append("</tr>\n")
            }
            out.append("</tbody></table>")
        }
        func list(_ items: [String]) {
            out.append("<ul>")
            for item in items { out.append("<li>"); out.append(html: item); out.append("</li>") }
            out.append("</ul>")
        }
        let day = CSVTable.instant
        let controller = export.controller.name
        out.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Your data from ")
        out.append(html: controller)
        out.append("</title>\n<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border:1px solid #999;padding:.4rem;text-align:left;vertical-align:top}th{background:#eee}</style>\n</head><body><main><h1>Your data from ")
        out.append(html: controller)
        out.append("</h1>")
        paragraph("This is our answer to your request for \(export.request.kind.label), received \(day(export.request.receivedAt)), reference \(export.request.id.uuidString.lowercased()). It was prepared \(day(export.request.generatedAt)).")
        heading("The data we hold about you")
        table(["What", "Value", "Why we hold it", "Where it came from", "When"], export.personalData.map {
            [$0.field, $0.value, $0.purpose, $0.source, day($0.collectedAt)]
        }, empty: "We hold no personal values about you.")
        if let supplementary = export.supplementary {
            heading("Why we use it, and on what basis")
            table(["Purpose", "Lawful basis", "Data", "Shared with", "How long we keep it"], supplementary.purposes.map {
                [$0.name, $0.lawfulBasis ?? "", $0.categories.joined(separator: ", "), $0.recipients.joined(separator: ", "), $0.retention ?? ""]
            }, empty: "None.")
            let automated = supplementary.purposes.compactMap { purpose in purpose.automatedDecisions.map { "\(purpose.name): \($0)" } }
            heading("Automated decisions")
            if automated.isEmpty { paragraph("We make no decisions about you by solely automated means.") } else { list(automated) }
            heading("Who receives it")
            table(["Recipient", "Kind", "Country", "Safeguard"], supplementary.recipients.map { [$0.name, $0.kind, $0.country, $0.safeguard ?? ""] }, empty: "Nobody outside our organisation.")
            heading("Where it came from")
            table(["Source", "Kind"], supplementary.sources.map { [$0.name, $0.kind] }, empty: "From you.")
            heading("Your consents")
            table(["Purpose", "Given or withdrawn", "How", "Notice version", "When"], export.consents.map {
                [$0.purpose + ($0.recipient.map { " (\($0))" } ?? ""), $0.action, $0.mechanism, $0.noticeVersion, day($0.recordedAt)]
            }, empty: "No consent records.")
            heading("Our records of contact with you")
            table(["Kind", "When", "Record"], export.interactions.map { [$0.kind, day($0.recordedAt), $0.content] }, empty: "None.")
            heading("Who has used your data")
            table(["When", "Who", "What", "Purpose", "Data"], export.accessLog.map { [day($0.at), $0.actor, $0.action, $0.purpose ?? "", $0.fields ?? ""] }, empty: "No record.")
            heading("Your rights")
            list(supplementary.rights)
            out.append("<p>\(HTMLText.linked(supplementary.complaints))</p>")
        }
        if !export.withheld.isEmpty {
            heading("What we have not included, and why")
            table(["Ground", "What"], export.withheld.map { [$0.ground, $0.detail] }, empty: "")
        }
        out.append("</main></body></html>\n")
        return out.data
    }
}
