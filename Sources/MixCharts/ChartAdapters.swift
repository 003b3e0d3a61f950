import Foundation
import MixData
import MixModel
import MixOptimize

// Turns a `PlanningResults` bundle into the plain chart inputs of ChartInputs.swift. Every
// number comes from the bundle (quantities, curves, plan, frontier) or, for the adstock,
// saturation and trace charts, directly from the model's draws — never from a point estimate.

extension ChartPack {
    /// Evenly spread draw indices, at most `limit` of them (all draws when there are fewer).
    static func drawPicks(_ model: FittedModel, limit: Int) -> [Int] {
        let total = model.drawCount
        guard total > limit else { return Array(0..<total) }
        return (0..<limit).map { $0 * total / limit }
    }

    /// One response-curve panel per channel. Current spend is the optimiser's current spend per
    /// period when a plan is present (the plan is measured against it), otherwise the curve's
    /// mean training spend; optimal spend is the plan's spend per period. Lift tests in the
    /// model's config are marked on their channel's panel.
    public static func responsePanels(_ r: PlanningResults, calibration: CalibrationSummary? = nil) -> [ResponseCurvePanel] {
        let calibration = calibration ?? r.calibration
        let training = r.model.trainingData
        let certificate = r.optimization?.certificate
        return r.curves.enumerated().map { c, curve in
            let plan = r.optimization?.plan.channels.first { $0.channel == curve.channel }
            let tests = calibration.channels.first { $0.name == curve.channel }?.liftTests.map(liftTestMark) ?? []
            let observed = training.channelNames.firstIndex(of: curve.channel).flatMap { training.spend[$0].max() }
            let held = (certificate?.channelsAtUpperBound ?? []).contains(curve.channel) ? "upper"
                : (certificate?.channelsAtLowerBound ?? []).contains(curve.channel) ? "lower" : nil
            return ResponseCurvePanel(channel: curve.channel, channelIndex: c, spendGrid: curve.spend, mean: curve.mean,
                                      lower50: curve.lower50, upper50: curve.upper50, lower94: curve.lower94, upper94: curve.upper94,
                                      currentSpend: plan?.currentSpendPerPeriod ?? curve.currentSpend, optimalSpend: plan?.spendPerPeriod,
                                      liftTests: tests, observedMaxSpend: observed, heldAtBound: held)
        }
    }

    /// Posterior-mean decomposition of every row (training and holdout).
    public static func contributionSeries(_ r: PlanningResults) -> ContributionSeries {
        let d = r.quantities.meanDecomposition, m = r.model
        return ContributionSeries(dates: m.dataset.dates, baseline: d.baseline, trend: m.structure.trendIndex == nil ? [] : d.trend,
                                  controls: d.controls, seasonality: d.seasonality,
                                  channels: d.channels.enumerated().map { ChannelSeries(channel: r.channelNames[$0.offset], channelIndex: $0.offset, values: $0.element) },
                                  holdoutStart: holdoutStart(m))
    }

    /// The first held-out date, if the fit kept a holdout.
    static func holdoutStart(_ m: FittedModel) -> CalendarDate? {
        m.holdout > 0 ? m.dataset.dates[m.dataset.periodCount - m.holdout] : nil
    }

    /// Observed target, fitted mean μ and the posterior predictive interval for every row.
    public static func fitSeries(_ r: PlanningResults) -> FitSeries {
        let q = r.quantities
        return FitSeries(dates: r.model.dataset.dates, actual: r.model.dataset.target, fitted: q.fitted,
                         lower94: q.predictive.map(\.lower), upper94: q.predictive.map(\.upper), holdoutStart: holdoutStart(r.model))
    }

    /// ROAS and marginal ROAS rows with the bundle's intervals (no 50 % interval is summarised).
    public static func roasRows(_ r: PlanningResults) -> (roas: [ForestRow], marginal: [ForestRow]) {
        let rows = r.quantities.channels.enumerated()
        return (rows.map { ForestRow(label: $0.element.name, channelIndex: $0.offset, mean: $0.element.roas.mean, lower50: nil, upper50: nil,
                                     lower94: $0.element.roas.lower, upper94: $0.element.roas.upper) },
                rows.map { ForestRow(label: $0.element.name, channelIndex: $0.offset, mean: $0.element.marginalRoas.mean, lower50: nil, upper50: nil,
                                     lower94: $0.element.marginalRoas.lower, upper94: $0.element.marginalRoas.upper) })
    }

    /// Current and optimal spend over the plan's horizon per channel.
    public static func allocationBars(_ plan: PlanSummary, channelNames: [String]) -> [AllocationBar] {
        plan.channels.map { ch in
            AllocationBar(channel: ch.channel, channelIndex: channelNames.firstIndex(of: ch.channel) ?? 0,
                          current: ch.currentSpendPerPeriod * Double(plan.periods), optimal: ch.spendOverHorizon)
        }
    }

    /// The frontier's budgets with the mean and interval of the response each best plan buys.
    public static func frontierPoints(_ f: BudgetFrontier) -> [FrontierChartPoint] {
        f.points.map { FrontierChartPoint(budget: $0.budget, mean: $0.response.mean, lower94: $0.response.lower, upper94: $0.response.upper) }
    }

    /// Baseline, trend, controls, seasonality and each channel summed over the training rows
    /// (the rows ROAS and contribution shares refer to); components that are absent are left out.
    public static func waterfallSteps(_ r: PlanningResults) -> [WaterfallStep] {
        let d = r.quantities.meanDecomposition
        let n = r.model.dataset.periodCount - r.model.holdout
        func sum(_ a: [Double]) -> Double { a[0..<n].reduce(0, +) }
        let s = r.model.structure
        var steps = [WaterfallStep(label: "Baseline", value: sum(d.baseline), channelIndex: nil, color: Palette.baseline)]
        if s.trendIndex != nil { steps.append(WaterfallStep(label: "Trend", value: sum(d.trend), channelIndex: nil, color: Palette.trend)) }
        if !s.controlNames.isEmpty { steps.append(WaterfallStep(label: "Controls", value: sum(d.controls), channelIndex: nil, color: Palette.controls)) }
        if s.fourierOrder > 0 { steps.append(WaterfallStep(label: "Seasonality", value: sum(d.seasonality), channelIndex: nil, color: Palette.seasonality)) }
        for (c, series) in d.channels.enumerated() { steps.append(WaterfallStep(label: r.channelNames[c], value: sum(series), channelIndex: c)) }
        return steps
    }

    /// Adstock weights per channel: the mean of each draw's normalised weights, and each lag's
    /// equal-tailed interval of the config's mass over the same draws.
    public static func adstockWeights(_ r: PlanningResults, maxDraws: Int = 500) -> [AdstockWeights] {
        let m = r.model, picks = drawPicks(m, limit: maxDraws), dim = m.structure.dimension
        let tail = (1 - m.config.report.intervalMass) / 2
        return m.structure.channels.enumerated().map { c, ch in
            let np = ch.adstock.parameterCount
            var byLag = [[Double]](repeating: [], count: ch.adstock.maxLag)
            for i in picks {
                let base = i * dim + ch.adstockOffset
                let w = ch.adstock.weights(Array(m.draws[base..<(base + np)]))
                for l in byLag.indices { byLag[l].append(w[l]) }
            }
            let sorted = byLag.map { $0.sorted() }
            return AdstockWeights(channel: ch.name, channelIndex: c, weights: byLag.map { $0.reduce(0, +) / Double(picks.count) },
                                  lower: sorted.map { quantile($0, tail) }, upper: sorted.map { quantile($0, 1 - tail) })
        }
    }

    /// The q-quantile of sorted values, interpolating linearly between order statistics.
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let h = q * Double(sorted.count - 1)
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    /// Observed minus fitted mean per row, with the predictive interval minus the fitted mean.
    public static func residualSeries(_ r: PlanningResults) -> ResidualSeries {
        let s = fitSeries(r)
        return ResidualSeries(dates: s.dates, residual: zip(s.actual, s.fitted).map { $0 - $1 },
                              lower: zip(s.lower94, s.fitted).map { $0 - $1 }, upper: zip(s.upper94, s.fitted).map { $0 - $1 },
                              holdoutStart: s.holdoutStart)
    }

    /// Each channel's share of training spend beside its share of the media effect.
    public static func shareRows(_ r: PlanningResults) -> [ShareRow] {
        let channels = r.quantities.channels
        let total = channels.reduce(0) { $0 + $1.spend }
        return channels.enumerated().map { c, q in
            ShareRow(channel: q.name, channelIndex: c, spendShare: total > 0 ? q.spend / total : 0,
                     effectShare: q.share.mean, effectLower: q.share.lower, effectUpper: q.share.upper)
        }
    }

    /// ROAS under the priors alone (nil for a channel whose prior is not on ROAS) and under the
    /// posterior, per channel, from the results' channel evidence.
    public static func roasPriorRows(_ r: PlanningResults) -> (prior: [ForestRow?], posterior: [ForestRow]) {
        let rows = r.evidence.channels.enumerated().map { c, e in
            (e.priorROAS.map { ForestRow(label: e.channel, channelIndex: c, mean: $0.mean, lower50: nil, upper50: nil, lower94: $0.lower, upper94: $0.upper) },
             ForestRow(label: e.channel, channelIndex: c, mean: e.posteriorROAS.mean, lower50: nil, upper50: nil,
                       lower94: e.posteriorROAS.lower, upper94: e.posteriorROAS.upper))
        }
        return (rows.map(\.0), rows.map(\.1))
    }

    /// Posterior-mean saturation curve per channel in scaled units: x = spend ÷ the channel's
    /// largest training spend, from 0 to `xMax`; y = saturation(x) ÷ β, the share of the
    /// channel's ceiling (β is each kind's last parameter and its limit as x → ∞).
    public static func saturationCurves(_ r: PlanningResults, points: Int = 61, xMax: Double = 2, maxDraws: Int = 500) -> [SaturationCurve] {
        let m = r.model, picks = drawPicks(m, limit: maxDraws), dim = m.structure.dimension
        let xs = (0..<points).map { xMax * Double($0) / Double(points - 1) }
        return m.structure.channels.enumerated().map { c, ch in
            let np = ch.saturation.parameterCount
            var ys = [Double](repeating: 0, count: points)
            m.draws.withUnsafeBufferPointer { all in
                for i in picks {
                    let p = UnsafeBufferPointer(rebasing: all[(i * dim + ch.saturationOffset)..<(i * dim + ch.saturationOffset + np)])
                    let beta = p[np - 1]
                    guard beta > 0 else { continue }
                    for (k, x) in xs.enumerated() { ys[k] += ch.saturation.value(x, p) / beta }
                }
            }
            return SaturationCurve(channel: ch.name, channelIndex: c, x: xs, y: ys.map { $0 / Double(picks.count) })
        }
    }

    /// The parameters a reader checks first — intercept, each channel's ceiling β, the noise
    /// scale — plus the parameter with the worst R-hat if it is not among them.
    public static func traces(_ r: PlanningResults) -> [TraceData] {
        let m = r.model, s = m.structure
        var picks = [s.interceptIndex] + s.channels.map { $0.saturationOffset + $0.saturation.parameterCount - 1 } + [s.sigmaIndex]
        let rhats = m.sampler.parameters.map(\.rhat)
        if let worst = rhats.indices.max(by: { !(rhats[$0] >= rhats[$1]) }), !picks.contains(worst), rhats[worst].isFinite {
            picks.append(worst)
        }
        return picks.map { p in
            TraceData(parameter: m.parameterNames[p], draws: m.chains(ofParameter: p), rhat: p < rhats.count ? rhats[p] : .nan)
        }
    }
}

extension AxisUnits {
    /// The results' currency, target name and period.
    public init(_ r: PlanningResults) {
        self.init(currency: r.currency, target: r.model.dataset.targetName, period: r.model.dataset.frequency == .daily ? "day" : "week")
    }
}
