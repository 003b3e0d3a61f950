import Foundation
import MixModel
import MixOptimize

/// One chart of the pack: which chart it is (its `ChartKind` gives the file name it is written
/// under, stable so reports and workbooks can link to it), a human title, and the rendered chart.
public struct NamedChart {
    public let kind: ChartKind
    public let title: String
    public let chart: RenderedChart
    /// E.g. `response-curves.png`.
    public var fileName: String { kind.fileName }

    public init(kind: ChartKind, title: String, chart: RenderedChart) {
        self.kind = kind; self.title = title; self.chart = chart
    }
}

/// Every MMM chart for one `PlanningResults`, rendered the same way for the CLI, the workbook
/// and the report, in `ChartKind` order. Charts that need something the bundle lacks (allocation
/// without an optimisation, frontier without a frontier, calibration without lift tests or
/// per-channel priors, the media multiplier without time-varying media) are left out; the
/// others are always present.
public enum ChartPack {
    /// Renders every chart the results support at pixel `scale` (1, or 2 for HiDPI).
    /// The charts are independent (each owns its Cairo surface), so they render `threads` at a
    /// time; the output does not depend on `threads`.
    public static func render(_ results: PlanningResults, scale: Double = 1, threads: Int = 2) throws -> [NamedChart] {
        try run(jobs(results, scale: scale), threads: threads) { $0 }
    }

    /// Renders the pack and writes each chart as `directory/<fileName>` (the folder is created
    /// if missing; each file is replaced atomically). Same results and scale give the same
    /// bytes. Returns the written files in `render` order.
    @discardableResult
    public static func write(_ results: PlanningResults, to directory: URL, scale: Double = 1, threads: Int = 2) throws -> [URL] {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ChartError.pngWrite(path: directory.path, reason: "the folder cannot be created (\(error.localizedDescription))")
        }
        return try run(jobs(results, scale: scale), threads: threads) { named in
            let url = directory.appendingPathComponent(named.fileName)
            try named.chart.write(to: url.path)
            return url
        }
    }

    /// Draws each job and hands it to `finish`, `threads` jobs at a time; results in job order,
    /// and the first error (in job order) is rethrown.
    static func run<T>(_ jobs: [Job], threads: Int, finish: @escaping (NamedChart) throws -> T) throws -> [T] {
        var out = [Result<T, Error>?](repeating: nil, count: jobs.count)
        let lock = NSLock()
        let workers = max(1, min(threads, jobs.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for k in stride(from: worker, to: jobs.count, by: workers) {
                let r = Result { try finish(NamedChart(kind: jobs[k].kind, title: jobs[k].kind.title, chart: try jobs[k].draw())) }
                lock.lock(); out[k] = r; lock.unlock()
            }
        }
        return try out.map { try $0!.get() }
    }

    typealias Job = (kind: ChartKind, draw: () throws -> RenderedChart)

    /// The chart jobs these results support, in `ChartKind` order.
    static func jobs(_ r: PlanningResults, scale: Double) -> [Job] {
        let wide = ChartSize(width: 960, height: 600, scale: scale)
        let currency = r.currency
        let mass = Interval.percentLabel(r.model.config.report.intervalMass)
        let channelCount = r.curves.count
        let calibration = r.calibration
        let panels = responsePanels(r, calibration: calibration)
        let marks = r.optimization == nil ? "○ current spend" : "○ current spend · ● optimal spend"
        let tested = calibration.hasLiftTests ? " · dashed: lift tests" : ""
        let units = AxisUnits(r)
        var jobs: [Job] = [
            (.responseCurves, {
                try responseCurvesChart(panels, currency: currency, size: ChartSize(width: 960, height: gridHeight(channelCount, rowHeight: 240), scale: scale),
                                        subtitle: "Expected response per period at a steady spend per period · bands: 50 % and 94 % credible intervals · dashed beyond the largest observed spend" + tested,
                                        units: units)
            }),
            (.responseOverlay, {
                try responseOverlayChart(panels, currency: currency, size: wide,
                                         subtitle: "Mean response per period with 50 % interval · \(marks) · dashed beyond the largest observed spend", units: units)
            }),
            (.contributions, { try contributionsChart(contributionSeries(r), size: wide, yLabel: "Contribution per \(units.period) (\(units.target))") }),
            (.actualVsFitted, {
                try actualVsFittedChart(fitSeries(r), size: wide,
                                        subtitle: "Posterior-mean fit with the \(mass) posterior predictive interval" + (r.model.holdout > 0 ? "; the shaded period was held out of fitting" : ""),
                                        bandLabel: "\(mass) predictive interval", yLabel: "\(units.target) per \(units.period)")
            }),
            (.residuals, {
                try residualsChart(residualSeries(r), unit: units.target, size: wide,
                                   subtitle: "Observed minus fitted (posterior mean) · band: the \(mass) predictive interval around the fit" + (r.model.holdout > 0 ? "; the shaded period was held out of fitting" : ""),
                                   bandLabel: "\(mass) predictive interval")
            }),
            (.roas, {
                let rows = roasRows(r)
                return try roasForestChart(roas: rows.roas, marginal: rows.marginal, size: wide,
                                           subtitle: "Posterior mean with \(mass) interval over the training period · dashed line: break-even")
            }),
            (.spendEffectShare, {
                try spendEffectShareChart(shareRows(r), size: wide,
                                          subtitle: "Share of media spend and of the media effect over the training period · effect share with its \(mass) interval")
            }),
        ]
        let priorRows = roasPriorRows(r)
        if priorRows.prior.contains(where: { $0 != nil }) {
            jobs.append((.roasPriorPosterior, {
                try roasPriorPosteriorChart(prior: priorRows.prior, posterior: priorRows.posterior, size: wide)
            }))
        }
        if let o = r.optimization {
            jobs.append((.allocation, {
                try allocationChart(allocationBars(o.plan, channelNames: r.channelNames), currency: currency, size: wide,
                                    subtitle: "Spend per channel over the \(o.plan.periods)-period horizon · pale: current · solid: optimal")
            }))
        }
        if let f = r.frontier, f.points.count >= 2 {
            // The plan's current response is the frontier's current point only when both use the
            // same current spend and horizon, i.e. the current budgets agree.
            let current = r.optimization.flatMap { o -> Double? in
                let budget = o.plan.channels.reduce(0) { $0 + $1.currentSpendPerPeriod } * Double(o.plan.periods)
                return abs(budget - f.currentBudget) <= 1e-9 * max(f.currentBudget, 1) ? o.plan.currentResponse.mean : nil
            }
            jobs.append((.frontier, {
                let skipped = f.skipped.isEmpty ? "" : " · \(f.skipped.count) of \(f.skipped.count + f.points.count) budgets left out: the spend bounds cannot meet them"
                return try frontierChart(frontierPoints(f), currentBudget: f.currentBudget, currentResponse: current, currency: currency, size: wide,
                                         subtitle: "Best achievable expected response at each total budget, with 94 % interval" + skipped)
            }))
        }
        jobs += [
            (.waterfall, {
                try waterfallChart(waterfallSteps(r), size: wide,
                                   subtitle: "How the baseline, other components and each channel add up to the fitted total over the training period")
            }),
            (.adstock, {
                try adstockChart(adstockWeights(r), size: ChartSize(width: 960, height: gridHeight(channelCount, rowHeight: 200), scale: scale),
                                 subtitle: "Share of a period's spend effect felt 0, 1, 2 … periods later · bar: posterior mean · whisker: \(mass) interval")
            }),
            (.saturation, { try saturationChart(saturationCurves(r), size: wide) }),
            (.diagnostics, {
                let t = traces(r)
                return try diagnosticsChart(t, size: ChartSize(width: 960, height: 110 + 150 * Double(t.count), scale: scale),
                                            subtitle: diagnosticsSubtitle(r.model.sampler))
            }),
        ]
        // Only a calibrated model (lift tests or per-channel priors) gets the calibration chart.
        if !calibration.isEmpty {
            let rows = calibrationRows(r, calibration: calibration)
            jobs.append((.calibration, {
                try calibrationChart(rows, massLabel: Interval.percentLabel(calibration.mass),
                                     size: ChartSize(width: 960, height: 130 + 190 * Double(rows.count), scale: scale))
            }))
        }
        if let job = multiplierJob(r, size: wide) { jobs.append(job) }
        let order = Dictionary(uniqueKeysWithValues: ChartKind.allCases.enumerated().map { ($1, $0) })
        return jobs.sorted { order[$0.kind]! < order[$1.kind]! }
    }

    /// What to look for, and the sampler's own verdict: divergences and the worst R-hat.
    static func diagnosticsSubtitle(_ s: SamplerReport) -> String {
        let divergences = s.divergences == 0 ? "no divergences" : s.divergences == 1 ? "1 divergent transition" : "\(s.divergences) divergent transitions"
        return "Trace (left) and rank histograms (right) per chain; flat ranks and overlapping traces mean good mixing · "
            + "sampler: \(divergences), max R̂ \(NumberFormat.fixed(3).format(s.maxRhat))"
    }

    /// Height of a small-multiples chart with three panels per row (two for up to four
    /// channels, as the chart functions lay them out): room for the header and legend plus
    /// `rowHeight` per row, and never less than the standard 600.
    static func gridHeight(_ panels: Int, rowHeight: Double) -> Double {
        let columns = panels <= 2 ? max(panels, 1) : panels <= 4 ? 2 : 3
        let rows = (panels + columns - 1) / columns
        return max(600, 200 + rowHeight * Double(rows))
    }
}

