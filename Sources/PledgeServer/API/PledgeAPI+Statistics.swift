import Foundation
import OpenAPIRuntime
import PledgeCore
import PledgeStore

/// Cookieless statistics (issue 4; C12, C13, C37): page views in, reports out.
extension PledgeAPI {
    /// The contract's page-view operation, for callers inside the process. Over HTTP the server answers
    /// `POST /v1/collect` with `PageViewRoute`, which also knows the visitor's address; here there is
    /// none, so views from one user agent count as one visitor a day.
    func collectPageView(_ input: Operations.CollectPageView.Input) async throws -> Operations.CollectPageView.Output {
        let beacon: () throws(APIError) -> Components.Schemas.PageViewBeacon
        switch input.body {
        case .json(let decoded): beacon = { decoded }
        case .plainText(let text):
            let body = try await Data(collecting: text, upTo: PageViewIntake.maximumBody)
            // Limits are checked where requests come in (PageViewRoute, ContractRulesMiddleware).
            beacon = { () throws(APIError) in try PageViewIntake.decode(body, limits: nil) }
        }
        let intake = PageViewIntake(registry: registry, traffic: traffic)
        switch try intake.accept(beacon, userAgent: input.headers.userAgent ?? "", gpc: input.headers.secGPC, address: "") {
        case .counted: return .accepted(.init())
        case .skipped(let code): return .accepted(.init(headers: .init(xPledgeSkipped: code)))
        }
    }

    func getStatistics(_ input: Operations.GetStatistics.Input) async throws -> Operations.GetStatistics.Output {
        let period = try StatisticsPeriod(days: input.query.days, now: clock())
        let report = try await statisticsReport(period, site: input.query.site)
        return .ok(
            .init(
                body: .json(
                    .init(
                        site: input.query.site, from: period.from, to: period.to, granularity: period.granularity == .hour ? .hour : .day,
                        k: report.k,
                        views: report.views, visits: report.visits, visitors: report.visitors, suppressedCells: report.suppressed,
                        series: report.series.map {
                            .init(
                                start: Date(timeIntervalSince1970: TimeInterval($0.bucket)), views: $0.views, visits: $0.visits,
                                visitors: $0.visitors, suppressed: $0.views == nil)
                        },
                        breakdowns: .init(
                            additionalProperties: Dictionary(
                                uniqueKeysWithValues: report.breakdowns.map { dimension, entries in
                                    (
                                        dimension.rawValue,
                                        entries.map { .init(value: $0.value, views: $0.views, visits: $0.visits, visitors: $0.visitors) }
                                    )
                                }))
                    ))))
    }

    func getStatisticsPage(_ input: Operations.GetStatisticsPage.Input) async throws -> Operations.GetStatisticsPage.Output {
        let period = try StatisticsPeriod(days: input.query.days, now: clock())
        let report = try await statisticsReport(period, site: input.query.site)
        let sites = try await statistics.sites()
        let context = StatisticsDashboard(report: report, period: period, site: input.query.site, sites: sites).context
        return .ok(.init(body: .html(HTTPBody(try pages.render("statistics", await layoutContext(context))))))
    }

    /// The report for a period, from the roll-ups, suppressed at the declared k.
    func statisticsReport(_ period: StatisticsPeriod, site: String?) async throws -> TrafficReport {
        let k = try inForce().declaration.analytics?.k ?? 5
        return try await statistics.report(period.granularity, site: site, from: period.firstBucket, to: period.endBucket, k: k)
    }
}

/// The period a report covers: the last `days` days, today included, by hour for one or two days.
struct StatisticsPeriod {
    let days: Int
    let granularity: TrafficTally.Granularity
    let firstBucket: Int64
    let endBucket: Int64

    init(days: Int?, now: Date) throws {
        let days = days ?? 30
        guard (1...366).contains(days) else {
            throw APIError(.requestInvalidQuery, message: "'days' must be from 1 to 366.")
        }
        self.days = days
        granularity = days <= 2 ? .hour : .day
        endBucket = TrafficTally.bucket(now, .day) + 86_400
        firstBucket = endBucket - Int64(days) * 86_400
    }

    var from: Date { Date(timeIntervalSince1970: TimeInterval(firstBucket)) }
    var to: Date { Date(timeIntervalSince1970: TimeInterval(endBucket)) }
}
