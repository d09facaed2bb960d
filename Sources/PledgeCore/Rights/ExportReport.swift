import Foundation

/// The readable report of an access request: every Art 15 item in plain words (C30).
enum ExportReport {
    static func html(_ export: SubjectExport) -> [UInt8] {
        var page = Page(capacity: 256 * (export.personalData.count + export.interactions.count + export.accessLog.count) + 8_192)
        let day = TextBuffer.rfc3339
        let controller = export.controller.name
        page.out.append(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Your data from "
        )
        page.out.append(html: controller)
        page.out.append(
            "</title>\n<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{border:1px solid #999;padding:.4rem;text-align:left;vertical-align:top}th{background:#eee}</style>\n</head><body><main><h1>Your data from "
        )
        page.out.append(html: controller)
        page.out.append("</h1>")
        page.paragraph(
            "This is our answer to your request for \(export.request.kind.label), received \(day(export.request.receivedAt)), reference \(export.request.id.lowercasedString). It was prepared \(day(export.request.generatedAt))."
        )
        page.heading("The data we hold about you")
        page.table(
            ["What", "Value", "Why we hold it", "Where it came from", "When"], export.personalData, empty: "We hold no personal values about you."
        ) { row, value in
            row.cell(value.field); row.cell(value.value); row.cell(value.purpose)
            row.cell(value.sourceReference.map { "\(value.source) (\($0))" } ?? value.source); row.cell(value.collectedAt)
        }
        for table in export.systems {
            // Issue 30 §3: each table of the organisation's own systems, under its system and table name.
            page.heading("In \(table.systemName): \(table.table)")
            page.table(table.columns.map(\.name), table.rows, empty: "None.") { row, values in
                for value in values { row.cell(value ?? "") }
            }
        }
        if let supplementary = export.supplementary {
            page.heading("Why we use it, and on what basis")
            page.table(["Purpose", "Lawful basis", "Data", "Shared with", "How long we keep it"], supplementary.purposes, empty: "None.") {
                row, purpose in
                row.cell(purpose.name); row.cell(purpose.lawfulBasis ?? ""); row.cell(purpose.categories.joined(separator: ", "))
                row.cell(purpose.recipients.joined(separator: ", ")); row.cell(purpose.retention ?? "")
            }
            let automated = supplementary.purposes.compactMap { purpose in purpose.automatedDecisions.map { "\(purpose.name): \($0)" } }
            page.heading("Automated decisions")
            if automated.isEmpty { page.paragraph("We make no decisions about you by solely automated means.") } else { page.list(automated) }
            page.heading("Who receives it")
            page.table(["Recipient", "Kind", "Country", "Safeguard"], supplementary.recipients, empty: "Nobody outside our organisation.") {
                row, recipient in
                row.cell(recipient.name); row.cell(recipient.kind); row.cell(recipient.country); row.cell(recipient.safeguard ?? "")
            }
            page.heading("Where it came from")
            page.table(["Source", "Kind"], supplementary.sources, empty: "From you.") { row, source in
                row.cell(source.name); row.cell(source.kind)
            }
            page.heading("Your consents")
            page.table(["Purpose", "Given or withdrawn", "How", "Notice version", "When"], export.consents, empty: "No consent records.") {
                row, consent in
                row.cell(consent.purpose + (consent.recipient.map { " (\($0))" } ?? "")); row.cell(consent.action); row.cell(consent.mechanism)
                row.cell(consent.noticeVersion); row.cell(consent.recordedAt)
            }
            page.heading("Our records of contact with you")
            page.table(["Kind", "Purpose", "When", "Record"], export.interactions, empty: "None.") { row, interaction in
                row.cell(interaction.kind); row.cell(interaction.purpose ?? ""); row.cell(interaction.recordedAt); row.cell(interaction.content)
            }
            page.heading("Our marketing and service messages to you")
            page.table(
                ["Sent", "Purpose", "Subject line", "What happened", "Tracking", "Opened", "Clicked"], export.marketingMessages, empty: "None."
            ) {
                row, message in
                if let sent = message.sentAt { row.cell(sent) } else { row.cell("") }
                row.cell(message.purpose); row.cell(message.subjectLine)
                row.cell(message.state + (message.detail.map { " (\($0))" } ?? "")); row.cell(message.tracking ?? "")
                if let opened = message.openedAt { row.cell(opened) } else { row.cell("") }
                if let clicked = message.clickedAt { row.cell(clicked) } else { row.cell("") }
            }
            page.heading("Who has used your data")
            page.table(["When", "Who", "What", "Purpose", "Data"], export.accessLog, empty: "No record.") { row, entry in
                row.cell(entry.at); row.cell(entry.actor); row.cell(entry.action); row.cell(entry.purpose ?? ""); row.cell(entry.fields ?? "")
            }
            page.heading("Your rights")
            page.list(supplementary.rights)
            page.out.append("<p>\(HTMLText.linked(supplementary.complaints))</p>")
        }
        if !export.withheld.isEmpty {
            page.heading("What we have not included, and why")
            page.table(["Ground", "What"], export.withheld, empty: "") { row, withholding in
                row.cell(withholding.ground.label); row.cell(withholding.detail)
            }
        }
        page.out.append("</main></body></html>\n")
        return page.out.bytes
    }

    /// The report's HTML as it is written; tables are written cell by cell, with no array per row
    /// (an access export's tables hold tens of thousands of rows).
    struct Page {
        var out: TextBuffer

        init(capacity: Int) { out = TextBuffer(capacity: capacity) }

        /// One table row being written.
        struct Row {
            fileprivate var out: TextBuffer

            mutating func cell(_ text: String) { out.append("<td>"); out.append(html: text); out.append("</td>") }
            mutating func cell(_ instant: Date) { out.append("<td>"); out.append(rfc3339: instant); out.append("</td>") }
        }

        mutating func heading(_ text: String) { out.append("<h2>"); out.append(html: text); out.append("</h2>") }
        mutating func paragraph(_ text: String) { out.append("<p>"); out.append(html: text); out.append("</p>") }

        mutating func list(_ items: [String]) {
            out.append("<ul>")
            for item in items { out.append("<li>"); out.append(html: item); out.append("</li>") }
            out.append("</ul>")
        }

        /// A table of `rows` under `header`, or the paragraph `empty` when there are none.
        mutating func table<Element>(_ header: [String], _ rows: [Element], empty: String, _ write: (inout Row, Element) -> Void) {
            guard !rows.isEmpty else { return paragraph(empty) }
            out.append("<table><thead><tr>")
            for title in header { out.append("<th scope=\"col\">"); out.append(html: title); out.append("</th>") }
            out.append("</tr></thead><tbody>")
            // The buffer moves into the row writer and back, so it is never copied.
            var row = Row(out: TextBuffer())
            swap(&row.out, &out)
            for element in rows {
                row.out.append("<tr>")
                write(&row, element)
                row.out.append("</tr>\n")
            }
            swap(&row.out, &out)
            out.append("</tbody></table>")
        }
    }
}
