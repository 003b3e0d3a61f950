import Foundation
import MixData
import MixModel
import MixOptimize

/// What calibration did to each calibrated channel, for the charts, workbook and report: every
/// adstock and saturation parameter's prior next to its posterior, and every lift test next to
/// the change the fitted curve predicts for it.
///
/// A channel is *calibrated* when the fitted config carries at least one lift test for it
/// (`calibration.lift_tests`, resolved inline in the saved config), sets per-channel priors
/// (`model.channels.<name>.priors`, where `mixplan elicit` writes shape priors) or a prior on
/// a quantity of the effect size (`roi_prior`, or `lift_roi_prior`, which `mixplan elicit`
/// writes; see `EffectPriorCalibration`).
/// An uncalibrated model gives an empty summary and every output stays as it was.
public struct CalibrationSummary: Sendable {
    /// Calibrated channels in model order.
    public var channels: [CalibratedChannel]
    /// Mass of every interval here (the config's `report.interval_mass`, 0.94 by default).
    public var mass: Double

    public var isEmpty: Bool { channels.isEmpty }
    /// True when some channel has lift tests (the experiments table and chart marks).
    public var hasLiftTests: Bool { channels.contains { !$0.liftTests.isEmpty } }

    /// Summarises `model`; the lift tests' predicted changes use at most `maxDraws` draws,
    /// spread evenly, the parameter posteriors all of them.
    public init(model: FittedModel, mass: Double = Interval.defaultMass, maxDraws: Int = 1000) {
        self.mass = mass
        let s = model.structure
        let config = model.config
        let total = model.drawCount
        let picks = total > maxDraws ? (0..<maxDraws).map { $0 * total / maxDraws } : Array(0..<total)
        let evaluator = model.evaluator
        channels = s.channels.enumerated().compactMap { c, layout in
            let tests = config.calibration.liftTests.filter { $0.channel == layout.name }
            let overrides = (config.model.channels[layout.name]?.priors ?? [:]).keys.sorted()
            let effectPriors = EffectPriorCalibration.priors(model: model, channel: c, picks: picks, mass: mass)
            guard !tests.isEmpty || !overrides.isEmpty || !effectPriors.isEmpty else { return nil }
            var parameters: [ParameterCalibration] = []
            let groups = [("adstock", layout.adstock.parameterNames, layout.adstock.kind.parameterSymbols, layout.adstockOffset),
                          ("saturation", layout.saturation.parameterNames, layout.saturation.parameterSymbols, layout.saturationOffset)]
            for (stage, names, symbols, offset) in groups {
                for (k, name) in names.enumerated() {
                    let p = offset + k, key = stage + "_" + name
                    let draws = (0..<total).map { model.draws[$0 * s.dimension + p] }
                    var row = ParameterCalibration(
                        key: key, parameterName: s.parameters[p].name, parameterIndex: p, prior: PriorSummary(s.parameters[p].prior.spec, mass: mass),
                        posterior: Interval(draws: draws, mass: mass), setInConfig: overrides.contains(key),
                        label: "\(symbols[k]) (\(stage))")
                    if key == "saturation_beta" { row.replacedBy = effectPriors.first?.key }
                    parameters.append(row)
                }
            }
            let checks = tests.map { test -> LiftTestCheck in
                var before = [Double](), change = [Double]()
                before.reserveCapacity(picks.count); change.reserveCapacity(picks.count)
                for i in picks {
                    let x = model.draw(i)
                    let f0 = evaluator.steadyResponse(channel: c, x, spend: test.spend)
                    before.append(f0)
                    change.append(evaluator.steadyResponse(channel: c, x, spend: test.spendDuring) - f0)
                }
                return LiftTestCheck(test: test, anchor: before.reduce(0, +) / Double(max(1, before.count)),
                                     modelChange: Interval(draws: change, mass: mass))
            }
            return CalibratedChannel(name: layout.name, index: c, liftTests: checks, priorOverrides: overrides, parameters: parameters,
                                     effectPriors: effectPriors)
        }
    }
}

/// One calibrated channel: why it counts as calibrated, its parameters and its experiments.
public struct CalibratedChannel: Sendable {
    public var name: String
    /// Position in the model's channels (picks the channel's colour).
    public var index: Int
    public var liftTests: [LiftTestCheck]
    /// Config keys of the priors set for this channel (e.g. "saturation_lambda"), sorted.
    public var priorOverrides: [String]
    /// Adstock parameters, then saturation parameters (β, the ceiling, last), in model order.
    public var parameters: [ParameterCalibration]
    /// The channel's `roi_prior` / `lift_roi_prior` against its posterior (at most one of each).
    public var effectPriors: [EffectPriorCalibration] = []

    /// "2 lift tests; priors set in the config for saturation_beta, saturation_lambda".
    public var reason: String {
        var parts: [String] = []
        if !liftTests.isEmpty { parts.append(liftTests.count == 1 ? "1 lift test" : "\(liftTests.count) lift tests") }
        if !priorOverrides.isEmpty { parts.append("priors set in the config for " + priorOverrides.joined(separator: ", ")) }
        for e in effectPriors { parts.append(e.key + " set in the config") }
        return parts.joined(separator: "; ")
    }
}

/// A parameter's prior against its posterior (natural scale: saturation parameters act on
/// spend ÷ the channel's largest spend, and β is a share of the target's largest value).
public struct ParameterCalibration: Sendable {
    /// The config key, e.g. "saturation_lambda".
    public var key: String
    /// The model's name, e.g. "tv.saturation_lambda".
    public var parameterName: String
    /// Index in the model's parameter vector.
    public var parameterIndex: Int
    public var prior: PriorSummary
    public var posterior: Interval
    /// True when this channel's config sets this prior (elicited or written by hand).
    public var setInConfig: Bool
    /// For β: the config key of the prior that replaces its own ("roi_prior", "lift_roi_prior"),
    /// in which case `prior` is the default the model no longer uses on its own.
    public var replacedBy: String?

    /// Posterior interval width ÷ prior interval width: below 1 the data and experiments
    /// narrowed what the prior allowed (0.2 = five times narrower). NaN when the prior was
    /// replaced (`replacedBy`): the unused default's width says nothing about the fit.
    public var narrowing: Double {
        replacedBy == nil ? (posterior.upper - posterior.lower) / (prior.upper - prior.lower) : .nan
    }

    /// "λ (saturation)"-style label: the parameter's symbol (`AdstockKind.parameterSymbols`,
    /// `SaturationKind.parameterSymbols`) and the stage.
    public var label: String
}

/// A lift test against the fitted model. The measured change is anchored at the posterior-mean
/// curve: on a response chart it runs from (x, f̂(x)) to (x + Δx, f̂(x) + Δy) with ±σ, so it
/// agrees with the model when its end sits on the curve f̂(x + Δx).
public struct LiftTestCheck: Sendable {
    public var test: LiftTest
    /// Posterior mean of the steady response per period at the spend before the test, f̂(x).
    public var anchor: Double
    /// The change the model predicts for the test, f(x + Δx) − f(x) over the posterior draws.
    public var modelChange: Interval

    /// (Δy − predicted mean change) / σ: how many standard errors the experiment sits from the
    /// model; beyond about ±2 the two disagree.
    public var standardisedGap: Double { (test.targetChange - modelChange.mean) / test.standardError }
}

extension PlanningResults {
    /// The calibration summary at the config's interval mass (empty for an uncalibrated model).
    public var calibration: CalibrationSummary {
        CalibrationSummary(model: model, mass: model.config.report.intervalMass)
    }
}
