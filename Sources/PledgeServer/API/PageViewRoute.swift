import Foundation
import HTTPTypes
import Hummingbird

/// Serves `POST /v1/collect` directly on the router rather than through the OpenAPI handlers: page
/// views are the one route called on every page of every site, and the contract's layers (and a
/// log line per request) were most of its cost. It answers exactly as the contract says (202,
/// `X-Pledge-Skipped`, the error envelope), through the same `PageViewIntake` as `collectPageView`.
struct PageViewRoute: Sendable {
    /// An accepted page view's headers: the security headers every answer carries.
    static let headers = HTTPFields(SecurityHeaders.data)

    static let path = "/v1/collect"

    let intake: PageViewIntake
    let proxies: TrustedProxies
    /// The contract's rule for the beacon (`ContractRules`).
    let limits: ValueRule?

    func register(on router: Router<PledgeRequestContext>) {
        router.post(RouterPath(Self.path)) { request, context in
            await respond(to: request, context: context)
        }
    }

    func respond(to request: Request, context: PledgeRequestContext) async -> Response {
        let outcome: PageViewIntake.Outcome
        do {
            outcome = try await accept(request, context: context)
        } catch {
            PledgeMetrics.pageView(error.code)
            return error.response
        }
        PledgeMetrics.pageView(outcome.label)
        guard case .skipped(let code) = outcome else { return Response(status: .accepted, headers: Self.headers) }
        var headers = Self.headers
        headers[.xPledgeSkipped] = code
        return Response(status: .accepted, headers: headers)
    }

    private func accept(_ request: Request, context: PledgeRequestContext) async throws(APIError) -> PageViewIntake.Outcome {
        // navigator.sendBeacon sends text/plain, which needs no CORS preflight; JSON is accepted too.
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("text/plain") || type.hasPrefix("application/json") else {
            throw APIError(.requestUnsupportedMediaType, message: "Send the page view as text/plain or application/json.")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: PageViewIntake.maximumBody)
        } catch {
            throw APIError.tooLarge("A page view", limit: PageViewIntake.maximumBody)
        }
        let address = proxies.client(peer: context.remoteAddress?.ipAddress ?? "", forwardedFor: request.headers[.xForwardedFor])
        return try intake.accept(
            { () throws(APIError) in try PageViewIntake.decode(Data(body.readableBytesView), limits: limits) },
            userAgent: request.headers[.userAgent] ?? "", gpc: request.headers[.secGPC], address: address)
    }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let secGPC = HTTPField.Name("Sec-GPC")!
    /// Why a page view was not counted (`collect.*`).
    static let xPledgeSkipped = HTTPField.Name("X-Pledge-Skipped")!
}
