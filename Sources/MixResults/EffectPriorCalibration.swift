import Foundation
import MixData
import MixModel
import MixOptimize

/// A prior set on a quantity the effect size β implies — `roi_prior` (the channel's ROAS over
/// the training rows) or `lift_roi_prior` (an experiment's incremental return) — against that
/// quantity's posterior, for the calibration chart, sheet and report. Such a prior replaces β's
/// own prior, so this row, not β's, shows what the config said.
public struct EffectPriorCalibration: Sendable {
    /// "roi_prior" or "lift_roi_prior".
    public var key: String
    /// "ROAS (roi_prior)" or "r (lift_roi_prior)".
    public var label: String
    /// What the quantity is, in words, e.g. "incremental return of spend 18674 → 1867, target
    /// per currency unit".
    public var meaning: String
    public var prior: PriorSummary
    public var posterior: Interval
    /// The posterior draws the interval was computed from (at most the summary's `maxDraws`,
    /// spread evenly), for density plots.
    public var draws: [Double]

    /// Posterior interval width ÷ prior interval width (as `ParameterCalibration.narrowing`).
    public var narrowing: Double { (posterior.upper - posterior.lower) / (prior.upper - prior.lower) }

    /// The effect priors of channel `c`, with their posteriors over the draws `picks`:
    /// ROAS = Σ_t contribution[t] / Σ_t spend[t] (the ROI term's R) and
    /// r = (f(x + Δx) − f(x))/Δx with f the steady response per period (the lift-test term's f).
    static func priors(model: FittedModel, channel c: Int, picks: [Int], mass: Double) -> [EffectPriorCalibration] {
        let name = model.structure.channels[c].name
        guard let settings = model.config.model.channels[name] else { return [] }
        let evaluator = model.evaluator
        var out: [EffectPriorCalibration] = []
        if let spec = settings.roiPrior {
            let spend = model.dataset.spend[c].reduce(0, +)
            let draws = picks.map { evaluator.channelContribution(c, model.draw($0)).reduce(0, +) / spend }
            out.append(EffectPriorCalibration(key: "roi_prior", label: "ROAS (roi_prior)",
                                              meaning: "return on ad spend over the training rows, target per currency unit",
                                              prior: PriorSummary(spec, mass: mass), posterior: Interval(draws: draws, mass: mass), draws: draws))
        }
        if let lift = settings.liftROIPrior {
            let draws = picks.map { i -> Double in
                let x = model.draw(i)
                return (evaluator.steadyResponse(channel: c, x, spend: lift.spendDuring) - evaluator.steadyResponse(channel: c, x, spend: lift.spend)) / lift.spendChange
            }
            out.append(EffectPriorCalibration(key: "lift_roi_prior", label: "r (lift_roi_prior)",
                                              meaning: "incremental return of spend \(Self.number(lift.spend)) → \(Self.number(lift.spendDuring)) per period, target per currency unit",
                                              prior: PriorSummary(lift.prior, mass: mass), posterior: Interval(draws: draws, mass: mass), draws: draws))
        }
        return out
    }

    static func number(_ x: Double) -> String { abs(x) >= 100 ? String(format: "%.0f", x) : String(format: "%.4g", x) }
}
