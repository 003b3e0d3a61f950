import Foundation
import MixData
import MixModel
import MixOptimize

/// Every chart of a geo panel's pack, from a saved geo fit: the national charts whose data shape
/// is the national model's (ROAS forest, spend against effect share, actual against fitted — all
/// per-draw sums over geos), then the geo charts (ROAS heat map, fit and response curves of the
/// largest geos) and, given a geo plan, current against recommended spend by geo. Same inputs and
/// scale give the same bytes; files are named by `ChartKind`.
public enum GeoChartPack {
    /// How many geos the small multiples show (the largest by total target).
    public static let smallMultiples = 6
    /// How many geos the allocation chart shows (the largest by current spend).
    public static let geoAllocationPanels = 12

    /// Renders every chart, in `ChartKind` order; `plan` (the geo optimiser's) adds the allocation by geo.
    public static func render(_ m: GeoModelFolder, plan: GeoPlan? = nil, scale: Double = 1, threads: Int = 2) throws -> [NamedChart] {
        try ChartPack.run(jobs(m, plan: plan, scale: scale), threads: threads) { $0 }
    }

    /// Renders and writes each chart as `directory/<fileName>`; returns the files in order.
    @discardableResult
    public static func write(_ m: GeoModelFolder, plan: GeoPlan? = nil, to directory: URL, scale: Double = 1, threads: Int = 2) throws -> [URL] {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ChartError.pngWrite(path: directory.path, reason: "the folder cannot be created (\(error.localizedDescription))")
        }
        return try ChartPack.run(jobs(m, plan: plan, scale: scale), threads: threads) { named in
            let url = directory.appendingPathComponent(named.fileName)
            try named.chart.write(to: url.path)
            return url
        }
    }

    /// Geo indices by total target, largest first, at most `count`.
    public static func largestGeos(_ panel: GeoPanel, count: Int) -> [Int] {
        let totals = panel.geos.map { $0.target.reduce(0, +) }
        return Array(totals.indices.sorted { totals[$0] != totals[$1] ? totals[$0] > totals[$1] : $0 < $1 }.prefix(count))
    }

    static func jobs(_ m: GeoModelFolder, plan: GeoPlan?, scale: Double) -> [ChartPack.Job] {
        let wide = ChartSize(width: 960, height: 600, scale: scale)
        let mass = m.config.report.intervalMass
        let massText = Interval.percentLabel(mass)
        let units = AxisUnits(currency: m.config.report.currency, target: m.panel.geos[0].targetName,
                              period: m.panel.geos[0].frequency == .daily ? "day" : "week")
        let G = m.panel.geoCount, C = m.panel.channelNames.count
        let national = (0..<C).map { m.posterior.nationalResult(channel: $0, mass: mass) }
        let largest = largestGeos(m.panel, count: smallMultiples)
        let shown = largest.count < G ? " (the \(largest.count) largest of \(G) geos by total \(units.target))" : ""
        var jobs: [ChartPack.Job] = [
            (.roas, {
                let rows = national.enumerated()
                return try roasForestChart(
                    roas: rows.map { ForestRow(label: $1.name, channelIndex: $0, mean: $1.roas.mean, lower50: nil, upper50: nil, lower94: $1.roas.lower, upper94: $1.roas.upper) },
                    marginal: rows.map { ForestRow(label: $1.name, channelIndex: $0, mean: $1.marginalRoas.mean, lower50: nil, upper50: nil,
                                                   lower94: $1.marginalRoas.lower, upper94: $1.marginalRoas.upper) },
                    size: wide, subtitle: "National: sums over \(G) geos, draw by draw · posterior mean with \(massText) interval · dashed line: break-even")
            }),
            (.spendEffectShare, {
                let total = national.reduce(0) { $0 + $1.spend }
                return try spendEffectShareChart(national.enumerated().map { c, q in
                    ShareRow(channel: q.name, channelIndex: c, spendShare: total > 0 ? q.spend / total : 0,
                             effectShare: q.share.mean, effectLower: q.share.lower, effectUpper: q.share.upper)
                }, size: wide, subtitle: "National share of media spend and of the media effect over \(G) geos · effect share with its \(massText) interval")
            }),
            (.actualVsFitted, {
                try actualVsFittedChart(nationalFit(m, mass: mass), size: wide,
                                        subtitle: "National: the sum of every geo's fitted mean, draw by draw, with the \(massText) interval of that mean",
                                        bandLabel: "\(massText) interval of the fitted mean", yLabel: "\(units.target) per \(units.period)")
            }),
            (.geoROAS, {
                let cells = (0..<G).map { g in (0..<C).map { c in m.posterior.result(geo: g, channel: c, mass: mass).map { GeoROASCell(mean: $0.roas.mean, lower: $0.roas.lower, upper: $0.roas.upper) } } }
                return try geoROASHeatMap(geos: m.panel.geoNames, channels: m.panel.channelNames, cells: cells,
                                          national: national.map { GeoROASCell(mean: $0.roas.mean, lower: $0.roas.lower, upper: $0.roas.upper) },
                                          size: ChartSize(width: 960, height: heatMapHeight(geos: G), scale: scale),
                                          subtitle: "Posterior mean ROAS with its \(massText) interval in each geo × channel cell · colour: mean against break-even (1) · last row: national")
            }),
            (.geoFit, {
                let panels = largest.map { g in
                    GeoFitPanel(geo: m.panel.geoNames[g], fit: geoFit(m, geo: g, mass: mass),
                                r2: m.summary.geos[g].inSample.r2, mape: m.summary.geos[g].inSample.mape)
                }
                return try geoFitChart(panels, size: ChartSize(width: 960, height: ChartPack.gridHeight(panels.count, rowHeight: 230), scale: scale),
                                       subtitle: "Posterior-mean fit with the \(massText) interval of the mean" + shown,
                                       bandLabel: "\(massText) interval of the fitted mean")
            }),
            (.geoResponseCurves, {
                let window = m.config.optimizer.currentWindowPeriods(m.panel.geos[0].frequency)
                let panels = largest.map { g in GeoResponsePanel(geo: m.panel.geoNames[g], curves: (0..<C).compactMap { responseCurve(m, geo: g, channel: $0, window: window) }) }
                return try geoResponseChart(panels, currency: units.currency,
                                            size: ChartSize(width: 960, height: ChartPack.gridHeight(panels.count, rowHeight: 240), scale: scale),
                                            subtitle: "Mean response per \(units.period) at a steady spend, 50 % band · ○ current spend (mean of \(m.config.optimizer.currentWindowText(m.panel.geos[0].frequency))) · dashed beyond the largest observed spend" + shown,
                                            units: units)
            }),
        ]
        if let plan {
            jobs.append((.geoAllocation, {
                let panels = plan.allocationPanels()
                return try geoAllocationChart(panels, currency: units.currency,
                                              size: geoAllocationChartSize(geos: panels.count, maxPanels: geoAllocationPanels, scale: scale),
                                              maxPanels: geoAllocationPanels)
            }))
        }
        let order = Dictionary(uniqueKeysWithValues: ChartKind.allCases.enumerated().map { ($1, $0) })
        return jobs.sorted { order[$0.kind]! < order[$1.kind]! }
    }

    /// Height of the heat map: room for the header, legend and column titles plus one 58-unit
    /// row per geo and the national row (the chart's largest row height), at least 360.
    static func heatMapHeight(geos: Int) -> Double { max(360, 190 + 60 * Double(geos + 1)) }

    /// Geo g's observed target against its fitted mean and the interval of that mean.
    static func geoFit(_ m: GeoModelFolder, geo g: Int, mass: Double) -> FitSeries {
        band(m.posterior.fittedDraws(geo: g), dates: m.panel.dates, actual: m.panel.geos[g].target, mass: mass)
    }

    /// The national target against the sum of the geos' fitted means, summed draw by draw.
    static func nationalFit(_ m: GeoModelFolder, mass: Double) -> FitSeries {
        var total: [[Double]] = []
        for g in 0..<m.panel.geoCount {
            let d = m.posterior.fittedDraws(geo: g)
            if total.isEmpty { total = d } else { for i in total.indices { for t in total[i].indices { total[i][t] += d[i][t] } } }
        }
        return band(total, dates: m.panel.dates, actual: m.panel.national.target, mass: mass)
    }

    static func band(_ draws: [[Double]], dates: [CalendarDate], actual: [Double], mass: Double) -> FitSeries {
        let perPeriod = dates.indices.map { t in Interval(draws: draws.map { $0[t] }, mass: mass) }
        return FitSeries(dates: dates, actual: actual, fitted: perPeriod.map(\.mean), lower94: perPeriod.map(\.lower),
                         upper94: perPeriod.map(\.upper), holdoutStart: nil)
    }

    /// Cell (g, c)'s response curve over 0 … 1.5 × the larger of its largest and current spend
    /// per period (nil for an inactive cell).
    static func responseCurve(_ m: GeoModelFolder, geo g: Int, channel c: Int, window: Int) -> ResponseCurvePanel? {
        let largest = m.posterior.largestSpend(geo: g, channel: c)
        guard largest > 0 else { return nil }
        let current = m.panel.geos[g].meanSpend(lastPeriods: window)[c]
        let top = 1.5 * max(largest, current)
        let grid = (0...40).map { top * Double($0) / 40 }
        let draws = m.posterior.responseCurve(geo: g, channel: c, spend: grid)
        let outer = grid.indices.map { k in Interval(draws: draws.map { $0[k] }, mass: m.config.report.intervalMass) }
        let inner = grid.indices.map { k in Interval(draws: draws.map { $0[k] }, mass: 0.5) }
        return ResponseCurvePanel(channel: m.panel.channelNames[c], channelIndex: c, spendGrid: grid, mean: outer.map(\.mean),
                                  lower50: inner.map(\.lower), upper50: inner.map(\.upper), lower94: outer.map(\.lower), upper94: outer.map(\.upper),
                                  currentSpend: current, optimalSpend: nil, observedMaxSpend: largest)
    }
}
