import Foundation
import Mustache
import PledgeCore
import Synchronization

/// Renders the server's pages from the shared layout (`Templates/layout.mustache`). Every page
/// names its template and passes a context; the layout adds the organisation's name and contact.
///
/// Escaping happens here and nowhere else. swift-mustache escapes by Swift `Character`, so a `"`
/// followed by a combining mark (U+0301) is one character that its table does not match and
/// passes unescaped into an attribute. Every template is therefore loaded under the `TEXT` content
/// type, which escapes nothing, and every value of the context is escaped byte by byte by
/// `HTMLText.escape` before Mustache sees it (`PageContext.escaped`). A template cannot opt out:
/// `{{{value}}}` renders the same escaped text. Only a `TrustedHTML` value, made by Core's own
/// escaping writers, is placed as it is.
public struct PageRenderer: Sendable {
    private let library: MustacheLibrary
    private let kept = KeptPages()

    /// Loads the templates bundled with the server.
    public static func bundled() async throws -> PageRenderer {
        try PageRenderer(directory: try bundledDirectory())
    }

    /// The folder of the templates bundled with the server.
    static func bundledDirectory() throws -> URL {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent("Templates") else {
            throw PageRendererError.templatesMissing
        }
        return directory
    }

    /// Loads every `.mustache` file of `directory`, each under the `TEXT` content type.
    init(directory: URL) throws {
        var templates: [String: MustacheTemplate] = [:]
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        for file in files where file.pathExtension == "mustache" {
            let text = try String(contentsOf: file, encoding: .utf8)
            templates[file.deletingPathExtension().lastPathComponent] = try Self.template(text)
        }
        library = MustacheLibrary(templates: templates)
    }

    /// Templates given as text, for tests.
    init(templates: [String: String]) throws {
        library = MustacheLibrary(templates: try templates.mapValues(Self.template))
    }

    /// `text` parsed so that Mustache itself escapes nothing: the context is escaped already.
    private static func template(_ text: String) throws -> MustacheTemplate {
        try MustacheTemplate(string: "{{% CONTENT_TYPE:TEXT}}" + text)
    }

    /// The page `template` rendered with `context`, every value of which is escaped first.
    public func render(_ template: String, _ context: [String: Any]) throws -> String {
        guard let html = library.render(PageContext.escaped(context), withTemplate: template) else {
            throw PageRendererError.unknownTemplate(template)
        }
        return html
    }

    /// The page `template` rendered with a context of texts only, rendered once and kept: such a
    /// page is the same for everyone who gets it (the one-click unsubscribe's answer), and rendering
    /// it for each of thousands of unsubscribes a second was a tenth of their time.
    public func render(_ template: String, texts context: [String: String]) throws -> String {
        // Each text length-prefixed, so no two contexts make the same key whatever their texts hold.
        let key = ([template] + context.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] }).map { "\($0.utf8.count):\($0)" }.joined()
        if let html = kept.page(key) { return html }
        let html = try render(template, context)
        kept.keep(html, as: key)
        return html
    }
}

/// Pages rendered from texts alone, by what they were rendered from; at most `capacity`, all
/// forgotten when full (a declaration change makes new ones).
private final class KeptPages: Sendable {
    static let capacity = 64
    private let pages = Mutex<[String: String]>([:])

    func page(_ key: String) -> String? { pages.withLock { $0[key] } }

    func keep(_ html: String, as key: String) {
        pages.withLock { pages in
            if pages.count >= Self.capacity { pages.removeAll() }
            pages[key] = html
        }
    }
}

/// HTML that Pledge wrote itself through `HTMLText` (the notice, for one), placed in a page as it is.
public struct TrustedHTML: Sendable, MustacheCustomRenderable {
    /// The markup.
    public let html: String

    /// Wraps markup that was escaped where it was written.
    public init(_ html: String) { self.html = html }

    public var renderText: String { html }
    public var isNull: Bool { html.isEmpty }
}

/// The one place a page's values are escaped.
enum PageContext {
    /// `value` with every text in it, at any depth, escaped byte by byte by `HTMLText.escape`.
    /// Booleans and numbers stay as they are (sections test them; their text holds no markup),
    /// `TrustedHTML` stays as it is, and anything else becomes its escaped description.
    static func escaped(_ value: Any) -> Any {
        switch value {
        case let text as String: return HTMLText.escape(text)
        case let text as Substring: return HTMLText.escape(String(text))
        case let trusted as TrustedHTML: return trusted
        case let dictionary as [String: Any]: return dictionary.mapValues(escaped)
        case let array as [Any]: return array.map(escaped)
        case let flag as Bool: return flag
        case let number as Int: return number
        case let number as Int64: return number
        case let number as Double: return number
        case let optional as any OptionalValue: return optional.wrappedAny.map(escaped) ?? NSNull()
        default: return HTMLText.escape(String(describing: value))
        }
    }
}

/// Lets `PageContext` see through an optional held as `Any`.
private protocol OptionalValue {
    var wrappedAny: Any? { get }
}

extension Optional: OptionalValue {
    var wrappedAny: Any? { self.map { $0 as Any } }
}

/// Why a page could not be rendered.
public enum PageRendererError: Error {
    case templatesMissing
    case unknownTemplate(String)
}
