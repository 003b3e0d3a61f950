import Foundation
import MixData
import MixInference

/// Experiments → priors (the prior route of calibration): per channel with lift tests, fit the
/// `SlopeModel` with NUTS, summarise each saturation parameter's posterior by its central
/// interval of mass `mass`, and solve for the prior of the right family whose central mass is on
/// that interval (`ConstrainedPrior`).
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
        /// NUTS settings. More draws than a model fit: the interval ends are tail quantiles.
        public var sampler: SamplerSettings

        public init(seed: UInt64) {
            sampler = SamplerSettings(chains: 4, warmup: 1000, draws: 2000, targetAcceptance: 0.95, seed: seed)
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

    /// The result for one channel.
    public struct Channel: Sendable, Equatable {
        public var channel: String
        public var saturation: MixPlanConfig.SaturationKind
        public var tests: [LiftTest]
        /// S and T of `SlopeModel`.
        public var spendScale: Double
        public var targetScale: Double
        public var parameters: [Parameter]
        public var divergences: Int
        /// Max R̂ ≤ 1.01, min bulk ESS ≥ 400 and no divergences.
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

    /// Samples one channel's slope model and fits a prior to each parameter's posterior.
    public static func elicit(model: SlopeModel, channel: String, tests: [LiftTest], settings: Settings) throws -> Channel {
        let result = try sample(model, settings: settings.sampler)
        let natural = (0..<model.dimension).map { k in result.derived { u in model.constrain(u)[k] } }
        var parameters: [Parameter] = []
        var healthy = result.divergences == 0
        let tail = (1 - settings.mass) / 2
        for (k, name) in model.saturation.parameterNames.enumerated() {
            let chains = natural[k]
            let sorted = chains.flatMap { $0 }.sorted()
            let mean = sorted.reduce(0, +) / Double(sorted.count)
            let lower = Diagnostics.quantile(sorted: sorted, tail), upper = Diagnostics.quantile(sorted: sorted, 1 - tail)
            let rhat = Diagnostics.rhat(chains), ess = Diagnostics.essBulk(chains)
            healthy = healthy && rhat <= 1.01 && ess >= 400
            let base = model.priors[k].spec
            let family = self.family(for: model.priors[k].support, positive: settings.positiveFamily)
            let key = "saturation_" + name
            let solved: ConstrainedPrior.Fit
            do {
                solved = try ConstrainedPrior.solve(family, lower: lower, upper: upper, mass: settings.mass)
            } catch let error as ConstrainedPrior.SolverError {
                throw InputError(InputLocation(file: tests[0].source), "channel \(channel), \(key): \(error.message).",
                                 hint: "The experiments' posterior interval is [\(lower), \(upper)]; try another --family or --mass.")
            }
            parameters.append(Parameter(key: key, basePrior: base, posteriorMean: mean, lower: lower, upper: upper,
                                        rhat: rhat, essBulk: ess, fit: rounded(solved, digits: settings.significantDigits)))
        }
        return Channel(channel: channel, saturation: model.saturation.kind, tests: tests,
                       spendScale: model.spendScale, targetScale: model.targetScale, parameters: parameters,
                       divergences: result.divergences, converged: healthy)
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
