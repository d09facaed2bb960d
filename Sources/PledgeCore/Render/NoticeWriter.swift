import Foundation

/// Writes a `NoticeDocument` as Markdown or as an HTML fragment.
public enum NoticeWriter {
    public static func markdown(_ notice: NoticeDocument) -> String {
        var out = "# \(notice.title) — \(notice.organisation)\n\n"
        out += "Version \(notice.version). Last updated \(notice.lastUpdated); in force from \(notice.effective).\n"
        for section in notice.sections {
            out += "\n## \(section.heading)\n"
            for block in section.blocks {
                switch block {
                case .paragraph(let text):
                    out += "\n\(text)\n"
                case .list(let items):
                    out += "\n" + items.map { "- \($0)" }.joined(separator: "\n") + "\n"
                case .table(let header, let rows):
                    out += "\n" + markdownTable(header: header, rows: rows)
                }
            }
        }
        return out
    }

    /// A Markdown (GFM) table.
    public static func markdownTable(header: [String], rows: [[String]]) -> String {
        func row(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }.joined(separator: " | ")
                + " |"
        }
        return ([row(header), row(header.map { _ in "---" })] + rows.map(row)).joined(separator: "\n") + "\n"
    }

    /// The notice's body as an HTML fragment (no `<html>`), for a page layout to wrap.
    public static func htmlFragment(_ notice: NoticeDocument) -> String {
        var out = "<article class=\"notice\">\n<h1>\(HTMLText.escape(notice.title))</h1>\n"
        out +=
            "<p class=\"meta\">\(HTMLText.escape(notice.organisation)) · Version \(HTMLText.escape(notice.version)) · Last updated <time datetime=\"\(notice.lastUpdated)\">\(notice.lastUpdated)</time> · In force from <time datetime=\"\(notice.effective)\">\(notice.effective)</time></p>\n"
        out +=
            "<nav aria-label=\"Contents\"><ol>" + notice.sections.map { "<li><a href=\"#\($0.id)\">\(HTMLText.escape($0.heading))</a></li>" }.joined()
            + "</ol></nav>\n"
        for section in notice.sections {
            out +=
                "<section id=\"\(section.id)\" aria-labelledby=\"\(section.id)-h\">\n<h2 id=\"\(section.id)-h\">\(HTMLText.escape(section.heading))</h2>\n"
            for block in section.blocks {
                switch block {
                case .paragraph(let text):
                    out += "<p>\(HTMLText.linked(text))</p>\n"
                case .list(let items):
                    out += "<ul>" + items.map { "<li>\(HTMLText.linked($0))</li>" }.joined() + "</ul>\n"
                case .table(let header, let rows):
                    out +=
                        "<div class=\"table\"><table><thead><tr>" + header.map { "<th scope=\"col\">\(HTMLText.escape($0))</th>" }.joined()
                        + "</tr></thead><tbody>"
                    out += rows.map { "<tr>" + $0.map { "<td>\(HTMLText.linked($0))</td>" }.joined() + "</tr>" }.joined()
                    out += "</tbody></table></div>\n"
                }
            }
            out += "</section>\n"
        }
        return out + "</article>\n"
    }

    /// A complete, self-contained HTML page, for `pledge render notice --format html`.
    public static func htmlPage(_ notice: NoticeDocument) -> String {
        """
        <!doctype html>
        <html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTMLText.escape(notice.title)) — \(HTMLText.escape(notice.organisation))</title>
        <style>body{font:16px/1.55 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}table{border-collapse:collapse;width:100%}th,td{border:1px solid #bbb;padding:.4rem;text-align:left;vertical-align:top}a{color:#0645ad}</style>
        </head><body>
        \(htmlFragment(notice))</body></html>

        """
    }
}
