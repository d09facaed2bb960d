import Foundation

/// The example declarations in `examples/`, read from the repository, for every test target.
public enum ExampleFiles {
    public static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples")

    /// Every example: the compliant one first, then the five seeds.
    public static let names = ["compliant", "apexure", "cambridge-cert", "expert-crm", "open-ecx", "classeq"]

    public static func yaml(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent("\(name).yaml"), encoding: .utf8)
    }

    /// `yaml` (the compliant example, whose `notice.versions` is the last list before `subjects:`)
    /// with one more notice version at the end of that list.
    public static func addingNoticeVersion(
        to yaml: String, version: String, published: String, effective: String, summary: String? = nil
    ) -> String {
        let anchor = "\n\nsubjects:"
        precondition(yaml.contains(anchor), "the declaration does not end its notice versions before subjects:")
        var entry = "\n    - version: \"\(version)\"\n      published: \(published)\n      effective: \(effective)"
        if let summary { entry += "\n      summary: \(summary)" }
        return yaml.replacingOccurrences(of: anchor, with: entry + anchor)
    }
}
