import Foundation
import PledgeCore

/// The statistics dashboard's view model: SVG geometry computed here, so the template only places
/// it and the page needs no script (C37).
struct StatisticsDashboard {
    let report: TrafficReport
    let period: StatisticsPeriod
    let site: String?
    let sites: [String]

    /// The chart's drawing area, in SVG user units.
    static let width = 720.0, height = 220.0, left = 48.0, bottom = 28.0, top = 12.0

    var context: [String: Any] {
        let peak = max(1, report.series.compactMap(\.views).max() ?? 0)
        let slot = (Self.width - Self.left) / Double(max(report.series.count, 1))
        let plot = Self.height - Self.bottom - Self.top
        let label = { (bucket: Int64) in Self.label(bucket, hourly: self.period.granularity == .hour) }
        let bars: [[String: Any]] = report.series.enumerated().map { index, point in
            let views = point.views ?? 0
            let height = plot * Double(views) / Double(peak)
            let label = label(point.bucket)
            return [
                "x": Self.number(Self.left + Double(index) * slot + slot * 0.1), "width": Self.number(slot * 0.8),
                "y": Self.number(Self.top + plot - height), "height": Self.number(height),
                "title": point.views == nil
                    ? "\(label): fewer than \(report.k) visitors, not shown"
                    : "\(label): \(views) views, \(point.visits ?? 0) visits, \(point.visitors ?? 0) visitors",
                "suppressed": point.views == nil,
            ]
        }
        let last = report.series.count - 1
        let ticks: [[String: Any]] = Array(Set([0, last / 2, last])).sorted().filter { $0 >= 0 }.map { index in
            // The first label starts at its bar and the last ends at its bar, so neither is cut off.
            [
                "x": Self.number(Self.left + (Double(index) + 0.5) * slot), "label": label(report.series[index].bucket),
                "anchor": index == 0 ? "start" : (index == last ? "end" : "middle"),
            ]
        }
        return [
            "days": period.days, "k": report.k, "site": site ?? "", "allSites": site == nil,
            "sites": sites.map { ["name": $0, "selected": $0 == site] },
            "periods": [1, 7, 30, 90, 365].map { ["days": $0, "selected": $0 == period.days] },
            "views": report.views, "visits": report.visits, "visitors": report.visitors, "suppressed": report.suppressed,
            "chart": [
                "width": Self.number(Self.width), "height": Self.number(Self.height), "bars": bars, "ticks": ticks,
                "peak": peak, "peakY": Self.number(Self.top + 4), "baseY": Self.number(Self.height - Self.bottom),
                "labelY": Self.number(Self.height - 8), "axisX": Self.number(Self.left - 6),
            ],
            "breakdowns": [
                ("page", "Top pages"), ("referrer", "Referrers"), ("device", "Devices"), ("browser", "Browsers"), ("campaign", "Campaigns"),
            ]
            .map { dimension, title in breakdown(dimension, title) },
        ]
    }

    private func breakdown(_ dimension: String, _ title: String) -> [String: Any] {
        let entries = PageView.Dimension(rawValue: dimension).flatMap { report.breakdowns[$0] } ?? []
        let peak = max(1, entries.map(\.views).max() ?? 0)
        return [
            "title": title, "id": dimension, "empty": entries.isEmpty,
            "rows": entries.map { entry in
                [
                    "value": entry.value, "views": entry.views, "visitors": entry.visitors,
                    "percent": Self.number(100 * Double(entry.views) / Double(peak)),
                ] as [String: Any]
            },
        ]
    }

    /// "21 Nov" for a day, "21 Nov 14:00" for an hour (UTC, the buckets' time zone).
    static func label(_ bucket: Int64, hourly: Bool) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.day, .month, .hour], from: Date(timeIntervalSince1970: TimeInterval(bucket)))
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let day = "\(parts.day ?? 1) \(months[(parts.month ?? 1) - 1])"
        return hourly ? day + String(format: " %02d:00", parts.hour ?? 0) : day
    }

    /// A coordinate with at most one decimal, so the markup stays small.
    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
