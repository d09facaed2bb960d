import Foundation

/// The ZIP a requester downloads: a readable report, the JSON copy and CSV tables (C30, C33;
/// UK GDPR Art 15(3) "commonly used electronic form", Art 20(1) "structured, commonly used and
/// machine-readable").
public enum ExportPackage {
    /// The ZIP of `export`.
    public static func zip(_ export: SubjectExport) throws -> Data {
        var archive = ZipArchive()
        let at = export.request.generatedAt
        archive.add("README.txt", Data(readme(export).utf8), modified: at)
        if export.supplementary != nil { archive.add("report.html", ExportReport.html(export), modified: at) }
        archive.add("data.json", try export.json(), modified: at)
        for (name, table) in csv(export) { archive.add("csv/\(name).csv", table, modified: at) }
        return archive.data
    }

    /// The CSV tables, by name: personal data always, the rest for an access request.
    static func csv(_ export: SubjectExport) -> [(String, Data)] {
        var tables = [("personal_data", CSVTable.render(["field", "category", "purpose", "source", "collected_at", "value"], export.personalData.map {
            [$0.field, $0.category, $0.purpose, $0.source, CSVTable.instant($0.collectedAt), $0.value]
        }))]
        guard export.supplementary != nil else { return tables }
        tables.append(("consents", CSVTable.render(["purpose", "recipient", "channel", "action", "mechanism", "notice_version", "recorded_at"], export.consents.map {
            [$0.purpose, $0.recipient ?? "", $0.channel ?? "", $0.action, $0.mechanism, $0.noticeVersion, CSVTable.instant($0.recordedAt)]
        })))
        tables.append(("interactions", CSVTable.render(["kind", "recorded_at", "content"], export.interactions.map {
            [$0.kind, CSVTable.instant($0.recordedAt), $0.content]
        })))
        tables.append(("access_log", CSVTable.render(["at", "actor", "action", "purpose", "fields"], export.accessLog.map {
            [CSVTable.instant($0.at), $0.actor, $0.action, $0.purpose ?? "", $0.fields ?? ""]
        })))
        return tables
    }

    static func readme(_ export: SubjectExport) -> String {
        """
        Your data from \(export.controller.name)
        Request \(export.request.id.uuidString.lowercased()) (\(export.request.kind.label)), prepared \(CSVTable.instant(export.request.generatedAt)).

        \(export.supplementary != nil ? "report.html   a readable report: your data, why we use it, who receives it, how long we keep it, your rights\n" : "")data.json     the same data, structured (\(SubjectExport.format))
        csv/          the same data as tables for a spreadsheet

        """
    }
}

/// RFC 4180 CSV.
enum CSVTable {
    static func render(_ header: [String], _ rows: [[String]]) -> Data {
        var text = TextBuffer(capacity: 64 * (rows.count + 1))
        for row in [header] + rows {
            for (index, field) in row.enumerated() {
                if index > 0 { text.append(",") }
                text.append(csv: field)
            }
            text.append("\r\n")
        }
        return text.data
    }

    static func instant(_ date: Date) -> String {
        TextBuffer.rfc3339(date)
    }
}
