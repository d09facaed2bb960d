/// A position inside a declaration, written the way people read it: `purposes[2].basis`.
public struct DeclarationPath: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// One step of a path: a mapping key or a sequence index.
    public enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    public var components: [Component]

    public init(_ components: [Component] = []) { self.components = components }

    /// The path of the document's root.
    public static let root = DeclarationPath()

    /// This path followed by a mapping key.
    public func key(_ name: String) -> DeclarationPath { DeclarationPath(components + [.key(name)]) }

    /// This path followed by a sequence index.
    public func index(_ position: Int) -> DeclarationPath { DeclarationPath(components + [.index(position)]) }

    public var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let name): text += text.isEmpty ? name : ".\(name)"
            case .index(let position): text += "[\(position)]"
            }
        }
        return text.isEmpty ? "(root)" : text
    }

    public static func < (lhs: DeclarationPath, rhs: DeclarationPath) -> Bool { lhs.description < rhs.description }
}
