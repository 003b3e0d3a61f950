import Foundation
import MixData
import MixInference

/// A posterior quantity's mean and equal-tailed interval (3 %–97 % by default: 94 %).
public struct Interval: Sendable, Codable, Equatable {
    /// The interval mass used where no setting chooses one: 94 %, the default of
    /// `report.interval_mass` (and ArviZ's), so unconfigured summaries and the report agree.
    public static let defaultMass = MixPlanConfig.ReportSection.defaultIntervalMass

    public var mean: Double
    public var lower: Double
    public var upper: Double

    public init(mean: Double, lower: Double, upper: Double) {
        self.mean = mean
        self.lower = lower
        self.upper = upper
    }

    /// Summarises draws of a quantity.
    public init(draws: [Double], mass: Double = Interval.defaultMass) {
        let sorted = draws.sorted()
        mean = draws.reduce(0, +) / Double(max(1, draws.count))
        let tail = (1 - mass) / 2
        lower = Diagnostics.quantile(sorted: sorted, tail)
        upper = Diagnostics.quantile(sorted: sorted, 1 - tail)
    }

    public func contains(_ value: Double) -> Bool { value >= lower && value <= upper }

    /// An interval's mass or tail as a label: "94 %", "3 %", "97 %", "2.5 %" (whole numbers
    /// within 1e-9 of a percent — what 100·q's rounding leaves — without decimals, else one).
    /// The one label of chart legends and workbook headers.
    public static func percentLabel(_ q: Double) -> String {
        let v = q * 100
        return (abs(v - v.rounded()) < 1e-9 ? String(format: "%.0f", v) : String(format: "%.1f", v)) + " %"
    }
}

/// Per-channel results in original units, each from the draws (never from a point estimate).
public struct ChannelResult: Sendable, Codable, Equatable {
    public var name: String
    /// Spend over the training rows.
    public var spend: Double
    /// Total contribution to the target over the training rows.
    public var contribution: Interval
    /// Share of the modelled media effect (this channel / all channels).
    public var share: Interval
    /// Contribution per unit of spend.
    public var roas: Interval
    /// Extra target per extra unit of spend at the current spend pattern: the change in
    /// contribution when every period's spend rises by 1 %, divided by that extra spend.
    public var marginalRoas: Interval
}

/// How well the posterior mean of μ follows the target.
public struct FitMetrics: Sendable, Codable, Equatable {
    public var r2: Double
    /// Mean absolute percentage error (fraction, e.g. 0.05 for 5 %).
    public var mape: Double
    /// RMSE divided by the target's range.
    public var nrmse: Double
    public var periods: Int

    public init(actual: [Double], predicted: [Double]) {
        let n = Double(actual.count)
        let mean = actual.reduce(0, +) / max(n, 1)
        var ssRes = 0.0, ssTot = 0.0, ape = 0.0, apeCount = 0.0
        for (a, p) in zip(actual, predicted) {
            ssRes += (a - p) * (a - p)
            ssTot += (a - mean) * (a - mean)
            if a != 0 { ape += abs((a - p) / a); apeCount += 1 }
        }
        r2 = ssTot > 0 ? 1 - ssRes / ssTot : .nan
        mape = apeCount > 0 ? ape / apeCount : .nan
        let range = (actual.max() ?? 0) - (actual.min() ?? 0)
        nrmse = range > 0 ? (ssRes / max(n, 1)).squareRoot() / range : .nan
        periods = actual.count
    }
}

/// Everything a planner reads off the posterior: contributions, ROAS, fit, decomposition.
public struct PosteriorQuantities: Sendable, Codable, Equatable {
    public var channels: [ChannelResult]
    /// Posterior predictive of the target per period (all rows), including observation noise.
    public var predictive: [Interval]
    /// Posterior mean of μ per period (all rows).
    public var fitted: [Double]
    public var inSample: FitMetrics
    /// Nil without a holdout.
    public var outOfSample: FitMetrics?
    /// Posterior-mean decomposition per period (all rows), target units.
    public var meanDecomposition: Decomposition

    /// Computes every quantity from the fitted model's draws; `maxDraws` thins evenly for speed
    /// (0 keeps all).
    public init(model: FittedModel, maxDraws: Int = 0, mass: Double = Interval.defaultMass) {
        let evaluator = model.evaluator
        let T = model.dataset.periodCount
        let trainT = T - model.holdout
        let C = model.structure.channels.count
        let picks = model.thinnedDrawIndices(maxDraws: maxDraws)
        var contribution = [[Double]](repeating: [], count: C)
        var share = [[Double]](repeating: [], count: C)
        var marginal = [[Double]](repeating: [], count: C)
        var muDraws = [[Double]]()
        var predictiveDraws = [[Double]](repeating: [], count: T)
        var meanParts = Decomposition(baseline: Array(repeating: 0, count: T), channels: Array(repeating: Array(repeating: 0, count: T), count: C),
                                      controls: Array(repeating: 0, count: T), seasonality: Array(repeating: 0, count: T),
                                      trend: Array(repeating: 0, count: T))
        var rng = RandomStream(seed: model.sampler.seed &+ 0x5EED, stream: 0)
        let sigmaScale = model.structure.scaling.targetScale
        for i in picks {
            let x = model.draw(i)
            let parts = evaluator.decompose(x)
            var totals = [Double](repeating: 0, count: C)
            for c in 0..<C {
                totals[c] = parts.channels[c][0..<trainT].reduce(0, +)
                let bumped = evaluator.channelContribution(c, x, spendMultiplier: 1.01)[0..<trainT].reduce(0, +)
                let extraSpend = 0.01 * model.dataset.spend[c][0..<trainT].reduce(0, +)
                marginal[c].append(extraSpend > 0 ? (bumped - totals[c]) / extraSpend : .nan)
            }
            let media = totals.reduce(0, +)
            for c in 0..<C {
                contribution[c].append(totals[c])
                share[c].append(media != 0 ? totals[c] / media : .nan)
            }
            let mu = parts.total
            muDraws.append(mu)
            let sigma = x[model.structure.sigmaIndex] * sigmaScale
            for t in 0..<T { predictiveDraws[t].append(mu[t] + sigma * rng.normal()) }
            for t in 0..<T {
                meanParts.baseline[t] += parts.baseline[t]
                meanParts.controls[t] += parts.controls[t]
                meanParts.seasonality[t] += parts.seasonality[t]
                meanParts.trend[t] += parts.trend[t]
                for c in 0..<C { meanParts.channels[c][t] += parts.channels[c][t] }
            }
        }
        let k = Double(picks.count)
        for t in 0..<T {
            meanParts.baseline[t] /= k; meanParts.controls[t] /= k; meanParts.seasonality[t] /= k; meanParts.trend[t] /= k
            for c in 0..<C { meanParts.channels[c][t] /= k }
        }
        meanDecomposition = meanParts
        channels = (0..<C).map { c in
            let spend = model.dataset.spend[c][0..<trainT].reduce(0, +)
            return ChannelResult(name: model.structure.channels[c].name, spend: spend,
                                 contribution: Interval(draws: contribution[c], mass: mass),
                                 share: Interval(draws: share[c], mass: mass),
                                 roas: Interval(draws: contribution[c].map { $0 / spend }, mass: mass),
                                 marginalRoas: Interval(draws: marginal[c], mass: mass))
        }
        fitted = (0..<T).map { t in muDraws.reduce(0) { $0 + $1[t] } / k }
        predictive = predictiveDraws.map { Interval(draws: $0, mass: mass) }
        let actual = model.dataset.target
        // In sample: the model's one posterior-mean fit (the baseline check's), whatever the thinning here.
        inSample = FitMetrics(actual: Array(actual[0..<trainT]), predicted: model.meanFit)
        outOfSample = model.holdout > 0 ? FitMetrics(actual: Array(actual[trainT...]), predicted: Array(fitted[trainT...])) : nil
    }
}

/// Response curves on a spend grid, summarised over draws, for charts and tables.
public struct ResponseCurveSummary: Sendable, Codable, Equatable {
    public var channel: String
    /// Steady spend per period (currency), from 0 to 2× the channel's largest observed spend.
    public var spend: [Double]
    /// Expected target per period at each spend level.
    public var mean: [Double]
    public var lower94: [Double]
    public var upper94: [Double]
    public var lower50: [Double]
    public var upper50: [Double]
    /// Mean spend per period over the training rows.
    public var currentSpend: Double

    /// The curve for channel c on `points` grid points, from (at most) `maxDraws` draws.
    public init(model: FittedModel, channel c: Int, points: Int = 60, maxDraws: Int = 1000) {
        let evaluator = model.evaluator
        let trainT = model.dataset.periodCount - model.holdout
        let series = model.dataset.spend[c][0..<trainT]
        let top = 2 * (series.max() ?? 0)
        channel = model.structure.channels[c].name
        spend = (0..<points).map { top * Double($0) / Double(points - 1) }
        currentSpend = series.reduce(0, +) / Double(trainT)
        let picks = model.thinnedDrawIndices(maxDraws: maxDraws)
        var columns = [[Double]](repeating: [], count: points)
        for i in picks {
            let x = model.draw(i)
            let m = model.structure.planningMultiplier(x)
            for (g, s) in spend.enumerated() { columns[g].append(evaluator.steadyResponse(channel: c, x, spend: s, multiplier: m)) }
        }
        let i94 = columns.map { Interval(draws: $0, mass: 0.94) }
        let i50 = columns.map { Interval(draws: $0, mass: 0.5) }
        mean = i94.map(\.mean)
        lower94 = i94.map(\.lower); upper94 = i94.map(\.upper)
        lower50 = i50.map(\.lower); upper50 = i50.map(\.upper)
    }
}
