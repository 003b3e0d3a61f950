import Foundation
import MixData
import MixInference

/// Experiments → priors (the prior route of calibration): per channel with lift tests, fit the
/// `SlopeModel` with NUTS, summarise posteriors by central intervals of mass `mass`, and solve
/// for the prior of the right family whose central mass is on each interval (`ConstrainedPrior`).
///
/// What is summarised: each *shape* parameter (λ; Hill's slope and κ) by its marginal, and —
/// instead of β's marginal — the incremental return r = (f(x + Δx) − f(x))/Δx of one tested spend
/// change (`IncrementalReturn`, written as the channel's `lift_roi_prior`). A test measures the
/// curve's slope at one spend level, which pins a ridge in (β, shape), not β and the shape
/// separately; independent marginals on β and λ lose that ridge, while a prior on r (which
/// replaces β's prior, see `CalibrationTerms`) keeps it whatever the shape is.
///
/// The shape marginals are written only when the tests cover at least two different spend
/// intervals [x, x + Δx]: each interval pins one ridge, and only where two ridges cross is the
/// shape pinned by the experiments. With a single interval the shape's elicited marginal is its
/// prior times β's prior carried along the ridge — no experiment information beyond r's, and
/// exactly the β prior that the prior on r replaces — so the shape keeps its current prior (on
/// lift-cut-2ch, writing it anyway moved λ's 95 % interval to [0.06, 2.3], truth 2.5). r comes
/// from the most informative test: the one whose elicited r has the narrowest interval relative
/// to its mean.
///
/// The family follows the parameter's support under its current prior: Beta on (0, 1), Gamma
/// (or LogNormal, by choice) on (0, ∞), Normal on ℝ. Fitted parameters are rounded to
/// `significantDigits` so the written config reads well; the achieved mass is that of the
/// rounded prior, the one written.
public enum PriorElicitation {
    /// How to elicit.
    public struct Settings: Sendable {
        /// Central mass of the posterior interval and of the fitted prior on it.
        public var mass: Double = 0.95
        /// Family for parameters on (0, ∞): `.gamma` or `.logNormal`.
        public var positiveFamily: PriorSpec.Family = .gamma
        /// Significant digits kept in the written prior's parameters.
        public var significantDigits: Int = 6
        /// NUTS settings. More draws than a model fit: the interval ends are tail quantiles. Target
        /// acceptance 0.99: the slope model has two or three dimensions, so smaller steps cost
        /// little, and one test's ridge ends where β's prior takes over (3–14 divergences over
        /// always-on-lift-2ch's seeds at 0.95).
        public var sampler: SamplerSettings

        public init(seed: UInt64) {
            sampler = SamplerSettings(chains: 4, warmup: 1000, draws: 2000, targetAcceptance: 0.99, seed: seed)
        }
    }

    /// One saturation parameter's elicited posterior and the prior fitted to it.
    public struct Parameter: Sendable, Equatable {
        /// The config key, e.g. `saturation_lambda`.
        public var key: String
        /// The prior the slope model used (the model default or the config's override).
        public var basePrior: PriorSpec
        public var posteriorMean: Double
        /// Ends of the posterior's central interval of mass `fit.requestedMass`.
        public var lower: Double
        public var upper: Double
        public var rhat: Double
        public var essBulk: Double
        /// The fitted prior (rounded) and the mass it puts on [lower, upper].
        public var fit: ConstrainedPrior.Fit
    }

    /// The elicited incremental return of one test's spend change and the prior fitted to it.
    public struct IncrementalReturn: Sendable, Equatable {
        /// The test whose spend change r is about (x = its spend, Δx = its spend change).
        public var test: LiftTest
        /// Posterior mean of r = (f(x + Δx) − f(x))/Δx, target units per currency unit.
        public var posteriorMean: Double
        public var lower: Double
        public var upper: Double
        public var rhat: Double
        public var essBulk: Double
        /// The fitted prior (rounded) and the mass it puts on [lower, upper].
        public var fit: ConstrainedPrior.Fit

        /// The config setting that carries it (`model.channels.<name>.lift_roi_prior`).
        public var setting: MixPlanConfig.LiftROIPrior {
            MixPlanConfig.LiftROIPrior(spend: test.spend, spendChange: test.spendChange, prior: fit.spec)
        }
    }

    /// The result for one channel.
    public struct Channel: Sendable, Equatable {
        public var channel: String
        public var saturation: MixPlanConfig.SaturationKind
        public var tests: [LiftTest]
        /// S and T of `SlopeModel`.
        public var spendScale: Double
        public var targetScale: Double
        /// The shape parameters (all saturation parameters but β), in model order, when the tests
        /// cover two or more spend intervals (`shapeIdentified`); empty otherwise.
        public var parameters: [Parameter]
        /// True when the tests cover two or more different spend intervals, so they pin the shape.
        public var shapeIdentified: Bool
        /// The prior that replaces β's: on the incremental return of the most informative test.
        public var incrementalReturn: IncrementalReturn
        public var divergences: Int
        /// Max R̂ ≤ 1.01, min bulk ESS ≥ 400 (shape parameters and r) and no divergences.
        public var converged: Bool
    }

    /// Elicits priors for every channel of `structure` that has tests, in the structure's channel
    /// order. Tests must name channels of the structure (check with `LiftTestLoader.check`).
    public static func elicit(tests: [LiftTest], structure: ModelStructure, settings: Settings) throws -> [Channel] {
        for test in tests where !structure.channels.contains(where: { $0.name == test.channel }) {
            throw InputError(InputLocation(file: test.source), "the lift test is for \"\(test.channel)\", which is not a channel of the model.")
        }
        var results: [Channel] = []
        for (c, layout) in structure.channels.enumerated() {
            let mine = tests.filter { $0.channel == layout.name }
            guard !mine.isEmpty else { continue }
            let priors = (0..<layout.saturation.parameterCount).map { structure.parameters[layout.saturationOffset + $0].prior }
            let model = SlopeModel(saturation: layout.saturation, priors: priors, tests: mine,
                                   spendScale: structure.scaling.spendScale[c], targetScale: structure.scaling.targetScale)
            results.append(try elicit(model: model, channel: layout.name, tests: mine, settings: settings))
        }
        return results
    }

    /// Samples one channel's slope model and fits a prior to each shape parameter's posterior
    /// and to the most informative test's incremental return.
    public static func elicit(model: SlopeModel, channel: String, tests: [LiftTest], settings: Settings) throws -> Channel {
        let result = try sample(model, settings: settings.sampler)
        var healthy = result.divergences == 0
        let tail = (1 - settings.mass) / 2
        func summary(_ chains: [[Double]]) -> (mean: Double, lower: Double, upper: Double, rhat: Double, ess: Double) {
            let sorted = chains.flatMap { $0 }.sorted()
            let mean = sorted.reduce(0, +) / Double(sorted.count)
            let rhat = Diagnostics.rhat(chains), ess = Diagnostics.essBulk(chains)
            healthy = healthy && rhat <= 1.01 && ess >= 400
            return (mean, Diagnostics.quantile(sorted: sorted, tail), Diagnostics.quantile(sorted: sorted, 1 - tail), rhat, ess)
        }
        func solve(_ family: PriorSpec.Family, _ lower: Double, _ upper: Double, _ what: String) throws -> ConstrainedPrior.Fit {
            do {
                return rounded(try ConstrainedPrior.solve(family, lower: lower, upper: upper, mass: settings.mass), digits: settings.significantDigits)
            } catch let error as ConstrainedPrior.SolverError {
                throw InputError(InputLocation(file: tests[0].source), "channel \(channel), \(what): \(error.message).",
                                 hint: "The experiments' posterior interval is [\(lower), \(upper)]; try another --family or --mass.")
            }
        }
        var parameters: [Parameter] = []
        let shapeIdentified = identifiesShape(tests)
        for (k, name) in model.saturation.parameterNames.enumerated().dropLast() where shapeIdentified {
            let s = summary(result.derived { u in model.constrain(u)[k] })
            let key = "saturation_" + name
            let family = self.family(for: model.priors[k].support, positive: settings.positiveFamily)
            parameters.append(Parameter(key: key, basePrior: model.priors[k].spec, posteriorMean: s.mean, lower: s.lower, upper: s.upper,
                                        rhat: s.rhat, essBulk: s.ess, fit: try solve(family, s.lower, s.upper, key)))
        }
        // r of every test over the draws; the narrowest relative interval wins.
        let returns = tests.map { test in summary(result.derived { u in incrementalReturn(test, model: model, parameters: model.constrain(u)) }) }
        let best = returns.indices.min { (returns[$0].upper - returns[$0].lower) / returns[$0].mean
            < (returns[$1].upper - returns[$1].lower) / returns[$1].mean }!
        let r = returns[best]
        let fit = try solve(settings.positiveFamily, r.lower, r.upper, "lift_roi_prior")
        let incremental = IncrementalReturn(test: tests[best], posteriorMean: r.mean, lower: r.lower, upper: r.upper,
                                            rhat: r.rhat, essBulk: r.ess, fit: fit)
        return Channel(channel: channel, saturation: model.saturation.kind, tests: tests,
                       spendScale: model.spendScale, targetScale: model.targetScale, parameters: parameters,
                       shapeIdentified: shapeIdentified, incrementalReturn: incremental, divergences: result.divergences, converged: healthy)
    }

    /// True when `tests` cover at least two different spend intervals [x, x + Δx] (whichever way
    /// round), which is what it takes to pin the curve's shape and not just one ridge.
    public static func identifiesShape(_ tests: [LiftTest]) -> Bool {
        Set(tests.map { [min($0.spend, $0.spendDuring), max($0.spend, $0.spendDuring)] }).count >= 2
    }

    /// r = (f(x + Δx) − f(x))/Δx for `test` with f(s) = T · sat(s/S; θ), the lift-test term's f.
    public static func incrementalReturn(_ test: LiftTest, model: SlopeModel, parameters θ: [Double]) -> Double {
        let h = model.saturation
        let change = h.value(test.spendDuring / model.spendScale, parameters: θ) - h.value(test.spend / model.spendScale, parameters: θ)
        return model.targetScale * change / test.spendChange
    }

    /// The family fitted to a parameter living on `support`.
    public static func family(for support: Prior.Support, positive: PriorSpec.Family) -> PriorSpec.Family {
        switch support {
        case .interval(0, 1): return .beta
        case .lowerBounded(0): return positive
        default: return .normal
        }
    }

    /// The fit with its parameters rounded to `digits` significant digits, its mass recomputed.
    static func rounded(_ fit: ConstrainedPrior.Fit, digits: Int) -> ConstrainedPrior.Fit {
        var out = fit
        out.spec.parameters = fit.spec.parameters.mapValues { Double(String(format: "%.\(digits)g", $0)) ?? $0 }
        out.achievedMass = out.spec.mass(lower: fit.lower, upper: fit.upper)
        return out
    }
}
