import CompressNIO
import Crypto
import Foundation
import NIOCore
import PledgeCore

/// A script generated for the declaration in force: its text, its gzip form and its ETag.
struct ScriptAsset: Sendable {
    let plain: ByteBuffer
    let gzip: ByteBuffer
    let etag: String

    init(_ text: String) throws {
        plain = ByteBuffer(string: text)
        var input = plain
        gzip = try input.compress(with: .gzip(configuration: .init(compressionLevel: 9)))
        etag = "\"\(SHA256.hex(text).prefix(20))\""
    }

    /// Full-line `//` comments and indentation dropped: the templates are written to be read, and
    /// this keeps the served script small without a build step (no string in them spans lines).
    static func minified(script: String) -> String {
        script.split(separator: "\n").compactMap { line -> Substring? in
            let trimmed = line.drop { $0 == " " }
            return trimmed.isEmpty || trimmed.hasPrefix("//") ? nil : trimmed
        }.joined(separator: "\n")
    }

    /// Comments and line breaks dropped from a style sheet.
    static func minified(styles: String) -> String {
        var text = styles
        while let start = text.range(of: "/*"), let end = text.range(of: "*/", range: start.upperBound..<text.endIndex) {
            text.removeSubrange(start.lowerBound..<end.upperBound)
        }
        return text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined()
    }
}
