import Foundation
import HTTPTypes
import OpenAPIRuntime
import PledgeCore

/// An error the API reports in its envelope, with a stable code and the right status.
struct APIError: Error, HTTPResponseConvertible {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    var findings: [Finding] = []

    var httpStatus: HTTPResponse.Status { status }
    var httpHeaderFields: HTTPFields { ContractJSON.headers }
    var httpBody: HTTPBody? { HTTPBody(envelopeJSON) }

    var schema: Components.Schemas.ErrorEnvelope {
        .init(error: .init(code: code, message: message, findings: findings.isEmpty ? nil : findings.map(Components.Schemas.Finding.init)))
    }

    var envelopeJSON: Data {
        (try? ContractJSON.encoder.encode(schema)) ?? Data(#"{"error":{"code":"internal","message":"error"}}"#.utf8)
    }
}

extension Components.Schemas.Finding {
    init(_ finding: Finding) {
        self.init(
            rule: finding.rule, code: finding.code, severity: .init(rawValue: finding.severity.rawValue) ?? .error,
            message: finding.message, reference: finding.reference, path: finding.path,
            line: finding.location?.line, column: finding.location?.column, suggestion: finding.suggestion
        )
    }
}
