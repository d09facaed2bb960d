import Foundation
import PledgeTestSupport

@testable import PledgeCore

/// The example declarations shipped in `examples/`, read from the repository.
enum Examples {
    static let names = ExampleFiles.names

    static func yaml(_ name: String) throws -> String { try ExampleFiles.yaml(name) }

    static func declaration(_ name: String) throws -> Declaration {
        let loaded = DeclarationLoader.load(yaml: try yaml(name))
        guard let declaration = loaded.declaration, loaded.isUsable else {
            throw ExampleError.unusable(name, loaded.findings.map(\.message))
        }
        return declaration
    }

    /// The day the examples are checked as of, so findings do not drift with the calendar.
    static let today = CalendarDate(year: 2026, month: 11, day: 21)

    static func rules(_ declaration: Declaration) -> Set<String> {
        Set(Linter(today: today).lint(declaration).map(\.rule))
    }

    /// The findings of `rule` on compliant.yaml with `text` added as a statement of the policy's own wording.
    static func findings(_ rule: String, statement text: String) throws -> [Finding] {
        try findings(rule) { $0.statements = ($0.statements ?? []) + [Statement(topic: "test", text: text)] }
    }

    /// The findings of `rule` on compliant.yaml after `change`.
    static func findings(_ rule: String, after change: (inout Declaration) -> Void) throws -> [Finding] {
        var declaration = try Self.declaration("compliant")
        change(&declaration)
        return Linter(today: today).lint(declaration).filter { $0.rule == rule }
    }
}

enum ExampleError: Error {
    case unusable(String, [String])
}
