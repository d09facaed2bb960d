import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Mustache
import PledgeCore
import PledgeTestSupport
import Testing

@testable import PledgeServer

/// Every value that reaches a page is escaped byte by byte (issue 24 finding 1; C38, APX-44, UK GDPR
/// Art 32(1)(b)). swift-mustache escapes by `Character`, so `"` followed by a combining mark is one
/// character that its table misses: these tests fill every variable of every template with such
/// values and look for them raw.
@Suite("Page escaping")
struct PageEscapingTests {
    /// A quote and an apostrophe each carrying a combining acute accent, a tag and an ampersand.
    static let hostile = "\"\u{301} autofocus onfocus=alert(1) x=\"'\u{301}<hostile>&amp;"

    /// `hostile` as the project's escape writes it. (Kept out of `#expect`, whose macro cannot
    /// re-read a literal holding a combining mark after a quote.)
    static let escaped = "&quot;\u{301} autofocus onfocus=alert(1) x=&quot;&#39;\u{301}&lt;hostile&gt;&amp;amp;"
    static let rawQuote = "\"\u{301} autofocus"
    static let escapedQuote = "&quot;\u{301}"
    static let escapedAttribute = #"value="&quot;"# + "\u{301} autofocus onfocus=alert(1) x=&quot;"

    /// What must never appear in a page built from `hostile`.
    static func leaks(_ html: String) -> [String] {
        ["\"\u{301}", "'\u{301}", "<hostile>"].filter { html.contains($0) }
    }

    /// The names a template reads: variables, and sections (which are given one item).
    static func names(in template: String) -> (variables: Set<String>, sections: Set<String>) {
        var variables = Set<String>(), sections = Set<String>()
        for match in template.matches(of: /\{\{\{?([#^\/]?)\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}?\}\}/) {
            let name = String(match.output.2)
            let parts = name.split(separator: ".").map(String.init)
            if parts.count > 1 { sections.insert(parts[0]) }
            guard let last = parts.last else { continue }
            if match.output.1 == "#" || match.output.1 == "^" { sections.insert(last) } else if match.output.1.isEmpty { variables.insert(last) }
        }
        return (variables, sections)
    }

    /// A context answering every variable with `value` and every section with one such item.
    static func context(_ names: (variables: Set<String>, sections: Set<String>), value: String) -> [String: Any] {
        var leaf: [String: Any] = [:]
        for section in names.sections { leaf[section] = true }
        for variable in names.variables { leaf[variable] = value }
        var context = leaf
        for section in names.sections { context[section] = [leaf] }
        for variable in names.variables { context[variable] = value }
        return context
    }

    static func templates() throws -> [String: String] {
        let directory = try PageRenderer.bundledDirectory()
        var texts: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil) where file.pathExtension == "mustache"
        {
            texts[file.deletingPathExtension().lastPathComponent] = try String(contentsOf: file, encoding: .utf8)
        }
        return texts
    }

    @Test("C38/APX-44: every bundled page, every variable hostile, in text and attributes: nothing raw, and the value is there escaped")
    func everyTemplate() async throws {
        let texts = try Self.templates()
        #expect(texts.count >= 10)
        let renderer = try await PageRenderer.bundled()
        let layout = Self.names(in: texts["layout"] ?? "")
        for (name, text) in texts where name != "layout" {
            let own = Self.names(in: text)
            let context = Self.context((own.variables.union(layout.variables), own.sections.union(layout.sections)), value: Self.hostile)
            let html = try renderer.render(name, context)
            #expect(Self.leaks(html).isEmpty, "\(name) leaks \(Self.leaks(html))")
            #expect(html.contains(Self.escaped), "\(name) does not show the value")
        }
    }

    @Test("C38: a page rendered from texts alone and kept is escaped like any other, and one kept for other texts is never given")
    func keptPages() throws {
        let renderer = try PageRenderer(templates: ["page": "<p title=\"{{a}}\">{{b}}</p>"])
        let hostile = ["a": Self.hostile, "b": "<script>x</script>"]
        let kept = try renderer.render("page", texts: hostile)
        #expect(kept == (try renderer.render("page", hostile)) && Self.leaks(kept).isEmpty && !kept.contains("<script>"))
        #expect(try renderer.render("page", texts: hostile) == kept, "the kept page, again")
        // Texts that would run together into the same key if they were only joined.
        let one = try renderer.render("page", texts: ["a": "x", "b": "y"])
        let other = try renderer.render("page", texts: ["a": "x1:b1:y", "b": ""])
        #expect(one != other && other.contains("x1:b1:y"))
    }

    @Test("C38: the check above can fail: swift-mustache's own escape lets the combining-mark quote through")
    func controlMustacheLeaks() throws {
        let html = try MustacheTemplate(string: #"<input value="{{name}}">"#).render(["name": Self.hostile])
        #expect(html.contains(Self.rawQuote))
        #expect(!Self.leaks(html).isEmpty)
    }

    @Test("C38: triple mustaches, nested arrays, optionals and other types are escaped too; TrustedHTML alone is placed as it is")
    func noBypass() throws {
        let renderer = try PageRenderer(templates: ["page": "<p title=\"{{{a}}}\">{{#items}}{{b}}{{/items}}{{c}}{{d}}{{{trusted}}}</p>"])
        let optional: String? = Self.hostile
        let html = try renderer.render(
            "page",
            [
                "a": Self.hostile, "items": [["b": Self.hostile]], "c": optional as Any,
                "d": URL(string: "https://x.example/?q=%22")!.absoluteString + "\"\u{301}", "trusted": TrustedHTML("<b>ok</b>"),
            ])
        #expect(Self.leaks(html).isEmpty)
        #expect(html.hasSuffix("<b>ok</b></p>"))
        #expect(html.components(separatedBy: Self.escapedQuote).count - 1 == 4)
    }

    @Test("C38/APX-44: the reflected XSS on the public request form is closed (issue 24 finding 1 reproduction)")
    func privacyCentreReflection() async throws {
        try await TestServer().test { client in
            let form = ConsoleTests.form(["kind": "access", "email": "not-an-address", "name": Self.hostile, "details": Self.hostile])
            try await client.execute(uri: "/privacy-centre/requests", method: .post, headers: PrivacyCentreTests.formType, body: form) { response in
                let html = response.body.text
                #expect(response.status == .unprocessableContent)
                #expect(Self.leaks(html).isEmpty)
                #expect(html.contains(Self.escapedAttribute))
            }
        }
    }
}
