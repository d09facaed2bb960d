import Foundation
import PledgeCore
import PledgeStore
import Synchronization

/// The banner and tracker scripts for the declaration in force, generated on first request and
/// kept until the declaration changes (one per banner language).
final class GeneratedScripts: Sendable {
    private let consentTemplate: String
    private let styles: String
    private let trackerTemplate: String
    private let cache = Mutex<(declaration: String, scripts: [String: ScriptAsset])>(("", [:]))

    init(consentTemplate: String, styles: String, trackerTemplate: String) {
        self.consentTemplate = ScriptAsset.minified(script: consentTemplate)
        self.styles = ScriptAsset.minified(styles: styles)
        self.trackerTemplate = ScriptAsset.minified(script: trackerTemplate)
    }

    /// The templates bundled with the server.
    static func bundled() throws -> GeneratedScripts {
        let read = { (name: String) throws -> String in
            guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Assets") else {
                throw PageRendererError.templatesMissing
            }
            return try String(contentsOf: url, encoding: .utf8)
        }
        return GeneratedScripts(consentTemplate: try read("consent.js"), styles: try read("consent.css"), trackerTemplate: try read("pledge.js"))
    }

    /// `/consent.js` in `language`.
    func banner(_ current: DeclarationRegistry.Current, language: String) throws -> ScriptAsset {
        try cached(current, key: "consent:\(language)") {
            let configuration = BannerScriptConfiguration(banner: current.banner, declaration: current.declaration, language: language)
            return
                consentTemplate
                .replacingOccurrences(of: "__PLEDGE_CONFIG__", with: try Self.json(configuration))
                .replacingOccurrences(of: "__PLEDGE_CSS__", with: try Self.json(styles))
        }
    }

    /// `/pledge.js`.
    func tracker(_ current: DeclarationRegistry.Current) throws -> ScriptAsset {
        try cached(current, key: "tracker") {
            trackerTemplate.replacingOccurrences(
                of: "__PLEDGE_CONFIG__", with: try Self.json(TrackerScriptConfiguration(declaration: current.declaration)))
        }
    }

    private func cached(_ current: DeclarationRegistry.Current, key: String, _ make: () throws -> String) throws -> ScriptAsset {
        if let hit = cache.withLock({ $0.declaration == current.sha256 ? $0.scripts[key] : nil }) { return hit }
        let asset = try ScriptAsset(try make())
        cache.withLock { cache in
            if cache.declaration != current.sha256 { cache = (current.sha256, [:]) }
            cache.scripts[key] = asset
        }
        return asset
    }

    private static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
