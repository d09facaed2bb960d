import Foundation

/// The ZIP a requester downloads: a readable report, the JSON copy and CSV tables (C30, C33;
/// UK GDPR Art 15(3) "commonly used electronic form", Art 20(1) "structured, commonly used and
/// machine-readable").
public enum ExportPackage {
    /// The ZIP of `export`. The report, the JSON and the CSV tables are written side by side (each
    /// took about a third of the time of packaging an export of 10,000 records).
    public static func zip(_ export: SubjectExport) async throws -> Data {
        async let report = export.supplementary == nil ? nil : ZipArchive.Entry("report.html", ExportReport.html(export))
        async let tables = csv(export).map { ZipArchive.Entry("csv/\($0.0).csv", $0.1) }
        let json = ZipArchive.Entry("data.json", try export.jsonText().bytes)
        let entries = [ZipArchive.Entry("README.txt", Array(readme(export).utf8))] + [await report].compactMap { $0 } + [json] + (await tables)
        var archive = ZipArchive(capacity: entries.reduce(1_024) { $0 + $1.contents.count + 128 })
        for entry in entries { archive.add(entry, modified: export.request.generatedAt) }
        return archive.finish()
    }

    /// The CSV tables, by name: personal data always, the rest for an access request.
    static func csv(_ export: SubjectExport) -> [(String, [UInt8])] {
        var tables = [
            (
                "personal_data",
                CSVTable.render(["field", "category", "purpose", "source", "collected_at", "value"], export.personalData) { row, value in
                    row.field(value.field); row.field(value.category); row.field(value.purpose); row.field(value.source);
                    row.instant(value.collectedAt); row.field(value.value)
                }
            )
        ]
        // Issue 30 §3: one table per table of the organisation's systems, named after both.
        for table in export.systems {
            tables.append(
                (
                    "systems/\(fileName(table.system)).\(fileName(table.table))",
                    CSVTable.render(table.columns.map(\.name), table.rows) { row, values in
                        for value in values { row.field(value ?? "") }
                    }
                ))
        }
        guard export.supplementary != nil else { return tables }
        tables.append(
            (
                "consents",
                CSVTable.render(["purpose", "recipient", "channel", "action", "mechanism", "notice_version", "recorded_at"], export.consents) {
                    row, consent in
                    row.field(consent.purpose); row.field(consent.recipient ?? ""); row.field(consent.channel ?? ""); row.field(consent.action)
                    row.field(consent.mechanism); row.field(consent.noticeVersion); row.instant(consent.recordedAt)
                }
            ))
        tables.append(
            (
                "interactions",
                CSVTable.render(["kind", "purpose", "recorded_at", "content"], export.interactions) { row, interaction in
                    row.field(interaction.kind); row.field(interaction.purpose ?? ""); row.instant(interaction.recordedAt);
                    row.field(interaction.content)
                }
            ))
        tables.append(
            (
                "access_log",
                CSVTable.render(["at", "actor", "action", "purpose", "fields"], export.accessLog) { row, entry in
                    row.instant(entry.at); row.field(entry.actor); row.field(entry.action); row.field(entry.purpose ?? "");
                    row.field(entry.fields ?? "")
                }
            ))
        return tables
    }

    /// A name safe inside a ZIP: letters, digits, `_` and `-` kept, anything else `_`, so no
    /// declared table name can climb out of the folder it is extracted into.
    static func fileName(_ name: String) -> String {
        String(
            name.unicodeScalars.map { scalar -> Character in
                scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "_" || scalar == "-") ? Character(scalar) : "_"
            })
    }

    static func readme(_ export: SubjectExport) -> String {
        """
        Your data from \(export.controller.name)
        Request \(export.request.id.lowercasedString) (\(export.request.kind.label)), prepared \(TextBuffer.rfc3339(export.request.generatedAt)).

        \(export.supplementary != nil ? "report.html   a readable report: your data, why we use it, who receives it, how long we keep it, your rights\n" : "")data.json     the same data, structured (\(SubjectExport.format))
        csv/          the same data as tables for a spreadsheet

        """
    }
}
