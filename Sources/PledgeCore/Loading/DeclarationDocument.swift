import Yams

/// The parsed YAML of a declaration, kept so that any path can be traced back to a line and column.
public struct DeclarationDocument: @unchecked Sendable {
    // Yams' Node is an immutable value tree; it is not marked Sendable upstream.
    let root: Node

    init(root: Node) { self.root = root }

    /// The line and column of the value at `path`, or of the nearest enclosing value that exists.
    public func location(of path: DeclarationPath) -> SourceLocation? {
        var node = root
        var best = node.mark
        for component in path.components {
            switch (component, node) {
            case (.key(let name), .mapping(let mapping)):
                guard let value = mapping[name] else { return best.map(SourceLocation.init) }
                node = value
            case (.index(let position), .sequence(let sequence)):
                guard position >= 0, position < sequence.count else { return best.map(SourceLocation.init) }
                node = sequence[position]
            default:
                return best.map(SourceLocation.init)
            }
            if let mark = node.mark { best = mark }
        }
        return best.map(SourceLocation.init)
    }
}

extension SourceLocation {
    init(_ mark: Mark) { self.init(line: mark.line, column: mark.column) }
}
