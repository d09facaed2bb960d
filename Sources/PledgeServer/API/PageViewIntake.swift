import Foundation
import PledgeCore
import PledgeStore

/// One page view from the tracker, from the bytes of its beacon to a count (C12, C13). The route
/// that serves `POST /v1/collect` and the contract's `collectPageView` both go through it, so they
/// answer alike.
struct PageViewIntake: Sendable {
    /// A beacon is well under 1 KB; anything longer is not one.
    static let maximumBody = 4096

    /// One decoder for every beacon (decoding from several threads at once is safe).
    private static let decoder = JSONDecoder()

    let registry: DeclarationRegistry
    let traffic: TrafficCollector

    /// What came of one beacon.
    enum Outcome: Equatable {
        case counted
        /// Deliberately not counted; the code goes back in `X-Pledge-Skipped`.
        case skipped(String)

        /// The label of the page-view counter.
        var label: String {
            switch self {
            case .counted: "counted"
            case .skipped(let code): code
            }
        }
    }

    /// The tracker's JSON as a beacon, within the contract's limits (`limits`: the beacon's rule,
    /// read from the contract as `ContractRulesMiddleware` reads it for the generated handlers).
    static func decode(_ body: Data, limits: ValueRule?) throws(APIError) -> Components.Schemas.PageViewBeacon {
        guard let beacon = try? decoder.decode(Components.Schemas.PageViewBeacon.self, from: body) else {
            throw APIError(.requestInvalidBody, message: "The body must be a JSON page view: {\"s\": host, \"p\": path, ...}.")
        }
        try limits?.check(fields: beacon.contractFields, at: "body")
        return beacon
    }

    /// Counts the view from a visitor at `address` with `userAgent`, or says why not. `beacon` is
    /// read only once statistics are known to be on (so a bad body with statistics off is still
    /// `collect.disabled`). `gpc` is the value of the `Sec-GPC` header. Neither the address nor
    /// the user agent is kept (C13).
    func accept(
        _ beacon: () throws(APIError) -> Components.Schemas.PageViewBeacon, userAgent: String, gpc: String?, address: String
    ) throws(APIError) -> Outcome {
        guard let current = registry.current else {
            throw APIError(.notReadyDeclaration, message: "No declaration is in force.")
        }
        guard let settings = current.declaration.analytics else { return .skipped("collect.disabled") }
        let beacon = try beacon()
        // UK GDPR Art 21 and PECR reg 6: GPC is the visitor's objection, where the declaration honours it.
        if settings.honoursGPC, GlobalPrivacyControl.isOn(gpc) { return .skipped("collect.gpc") }
        let report = PageViewReport(
            site: beacon.s, path: beacon.p, referrer: beacon.r, screenWidth: beacon.w,
            utmSource: beacon.us, utmMedium: beacon.um, utmCampaign: beacon.uc)
        do {
            let view = try PageViewReduction.reduce(report, userAgent: userAgent, sites: settings.sites)
            traffic.record(view, address: address, userAgent: userAgent)
            return .counted
        } catch .invalid(let message) {
            throw APIError(.collectInvalid, message: message)
        } catch {
            return .skipped(error.code)
        }
    }
}
