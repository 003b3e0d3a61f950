import Foundation
import MixData

/// The model's mean μ[t] for one natural-scale parameter vector, split into its parts and
/// reported in original target units — over the training rows, or over a longer dataset with
/// the same columns (e.g. training + holdout), always scaled with the training constants.
public struct Decomposition: Sendable, Equatable, Codable {
    public var baseline: [Double]
    /// Per channel, `channels[c][t]`.
    public var channels: [[Double]]
    /// Sum of all controls' terms.
    public var controls: [Double]
    public var seasonality: [Double]
    public var trend: [Double]

    /// μ[t] in target units.
    public var total: [Double] {
        var mu = baseline
        for t in mu.indices {
            mu[t] += controls[t] + seasonality[t] + trend[t]
            for c in channels.indices { mu[t] += channels[c][t] }
        }
        return mu
    }
}

/// Evaluates the model forward for posterior draws on a given dataset.
public struct ModelEvaluator: Sendable {
    public let structure: ModelStructure
    public let dataset: Dataset
    private let scaledSpend: [[Double]]
    private let fourier: [Double]
    private let trend: [Double]

    /// `dataset` must have the structure's channels and controls; its first rows are usually the
    /// training rows, and any rows after them are predicted out of sample.
    public init(structure: ModelStructure, dataset: Dataset) {
        self.structure = structure
        self.dataset = dataset
        scaledSpend = dataset.spend.enumerated().map { c, series in series.map { $0 / structure.scaling.spendScale[c] } }
        fourier = ModelStructure.fourierBasis(dates: dataset.dates, order: structure.fourierOrder)
        let trainingT = Double(structure.periodCount)
        trend = (1...max(1, dataset.periodCount)).map { Double($0) / trainingT }
    }

    public var periodCount: Int { dataset.periodCount }

    /// Channel c's contribution per row in target units under natural parameters x (times the
    /// media multiplier m[t] of a time-varying model), optionally with every period's spend
    /// multiplied by `spendMultiplier` (for marginal ROAS).
    public func channelContribution(_ c: Int, _ x: [Double], spendMultiplier: Double = 1) -> [Double] {
        let ch = structure.channels[c]
        let np = ch.adstock.parameterCount
        let w = ch.adstock.weights(Array(x[ch.adstockOffset..<(ch.adstockOffset + np)]))
        let params = Array(x[ch.saturationOffset..<(ch.saturationOffset + ch.saturation.parameterCount)])
        let input = spendMultiplier == 1 ? scaledSpend[c] : scaledSpend[c].map { $0 * spendMultiplier }
        let a = Adstock.apply(weights: w, to: input)
        let yScale = structure.scaling.targetScale
        var out = params.withUnsafeBufferPointer { p in a.map { yScale * ch.saturation.value($0, p) } }
        if structure.timeVarying.media != nil {
            for (t, m) in structure.mediaMultiplier(x, rows: out.count).enumerated() { out[t] *= m }
        }
        return out
    }

    /// μ split into baseline, channels, controls, seasonality and trend, in target units.
    public func decompose(_ x: [Double]) -> Decomposition {
        let s = structure
        let T = dataset.periodCount
        let y = s.scaling.targetScale
        let baseline = s.interceptDrift(x, rows: T).map { y * (x[s.interceptIndex] + $0) }
        var controls = [Double](repeating: 0, count: T)
        for k in 0..<s.controlNames.count {
            let gamma = x[s.controlOffset + k]
            let z = s.scaling.standardizedControl(k, dataset.controls[k])
            for t in 0..<T { controls[t] += y * gamma * z[t] }
        }
        var seasonality = [Double](repeating: 0, count: T)
        for j in 0..<(2 * s.fourierOrder) {
            let gamma = x[s.fourierOffset + j]
            for t in 0..<T { seasonality[t] += y * gamma * fourier[j * T + t] }
        }
        var trendPart = [Double](repeating: 0, count: T)
        if let ti = s.trendIndex {
            for t in 0..<T { trendPart[t] = y * x[ti] * trend[t] }
        }
        let channels = (0..<s.channels.count).map { channelContribution($0, x) }
        return Decomposition(baseline: baseline, channels: channels, controls: controls,
                             seasonality: seasonality, trend: trendPart)
    }

    /// Expected target per period from channel c at a steady spend of `spend` per period
    /// (currency), under natural parameters x. Adstock weights sum to 1
    /// (`AdstockKind.steadyStateFactor`), so a steady spend s has steady adstocked level s and
    /// the response is y_max · sat(s / x_max) — times the
    /// planning multiplier of a time-varying model (`TimeVaryingLayout`).
    /// `multiplier` is the draw's planning multiplier when the caller has it (computed otherwise).
    public func steadyResponse(channel c: Int, _ x: [Double], spend: Double, multiplier: Double? = nil) -> Double {
        let ch = structure.channels[c]
        let params = Array(x[ch.saturationOffset..<(ch.saturationOffset + ch.saturation.parameterCount)])
        return structure.scaling.targetScale * ch.saturation.value(AdstockKind.steadyStateFactor * spend / structure.scaling.spendScale[c], parameters: params)
            * (multiplier ?? structure.planningMultiplier(x))
    }
}
