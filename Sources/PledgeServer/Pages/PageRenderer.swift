import Foundation
import Mustache

/// Renders the server's pages from the shared layout (`Templates/layout.mustache`). Every page
/// names its template and passes a context; the layout adds the organisation's name and contact.
public struct PageRenderer: Sendable {
    private let library: MustacheLibrary

    /// Loads the templates bundled with the server.
    public static func bundled() async throws -> PageRenderer {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent("Templates").path else {
            throw PageRendererError.templatesMissing
        }
        return PageRenderer(library: try await MustacheLibrary(directory: directory))
    }

    init(library: MustacheLibrary) { self.library = library }

    /// The page `template` rendered with `context`.
    public func render(_ template: String, _ context: [String: Any]) throws -> String {
        guard let html = library.render(context, withTemplate: template) else { throw PageRendererError.unknownTemplate(template) }
        return html
    }
}

public enum PageRendererError: Error {
    case templatesMissing
    case unknownTemplate(String)
}
