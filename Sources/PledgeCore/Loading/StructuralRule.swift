/// Why a declaration cannot be used as it is. Each has a stable rule id and code.
public enum StructuralRule: String, CaseIterable, Sendable {
    case yamlSyntax = "P001"
    case wrongType = "P002"
    case unknownKey = "P003"
    case missingKey = "P004"
    case invalidValue = "P005"
    case invalidFormat = "P006"
    case unknownCategory = "P007"
    case danglingReference = "P008"
    case duplicateID = "P009"
    case unsupportedVersion = "P010"
    case inconsistentDates = "P011"

    public var code: String {
        switch self {
        case .yamlSyntax: "yaml-syntax"
        case .wrongType: "wrong-type"
        case .unknownKey: "unknown-key"
        case .missingKey: "missing-key"
        case .invalidValue: "invalid-value"
        case .invalidFormat: "invalid-format"
        case .unknownCategory: "unknown-category"
        case .danglingReference: "dangling-reference"
        case .duplicateID: "duplicate-id"
        case .unsupportedVersion: "unsupported-version"
        case .inconsistentDates: "inconsistent-dates"
        }
    }

    func finding(_ message: String, at path: DeclarationPath, location: SourceLocation?, suggestion: String? = nil) -> Finding {
        Finding(rule: rawValue, code: code, severity: .error, message: message, path: path, location: location, suggestion: suggestion)
    }
}
