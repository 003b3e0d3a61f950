import Foundation
import MixData

/// The experiments and experiment-based priors the model is calibrated with, on the model's
/// scales: lift tests (issue 9, point 1) and ROI priors (point 3). Built with the structure;
/// `CalibrationTerms` adds them to the log density.
public struct CalibrationLayout: Sendable, Equatable {
    /// One lift test in scaled units: spend levels as adstocked scaled spend (a steady spend s per
    /// period adstocks to s / max x because the adstock weights sum to 1) and the target change
    /// and its standard error divided by max y.
    public struct ScaledLiftTest: Sendable, Equatable {
        /// Index of the tested channel.
        public var channel: Int
        /// x / max x: the steady level before the test.
        public var level: Double
        /// (x + Δx) / max x: the level during the test.
        public var levelDuring: Double
        /// Δy / max y.
        public var change: Double
        /// σ / max y.
        public var standardError: Double
    }

    /// A prior on one channel's return on ad spend over the training window (Google Meridian's
    /// calibration route): ROAS = Σ_t contribution[t] / Σ_t spend[t], in original units.
    public struct ROIPrior: Sendable, Equatable {
        /// Index of the channel.
        public var channel: Int
        /// The prior on ROAS (support (0, ∞)).
        public var prior: Prior
        /// max y / Σ_t x[t]: ROAS = `unitsPerScaledEffect` · Σ_t sat(a[t]) with sat on the scaled target.
        public var unitsPerScaledEffect: Double
        /// True for the default ROAS prior of `model.default_priors: roas` (not an experiment's).
        public var isDefault = false
    }

    /// A prior on one experiment's incremental return (`lift_roi_prior`): r = (f(x + Δx) − f(x))/Δx
    /// in original units, with f = max y · sat(s / max x) as in the lift-test likelihood, so
    /// r = `unitsPerScaledChange` · (sat(a₁) − sat(a₀)).
    public struct LiftROIPrior: Sendable, Equatable {
        public var channel: Int
        /// x / max x.
        public var level: Double
        /// (x + Δx) / max x.
        public var levelDuring: Double
        /// The prior on r (support (0, ∞)).
        public var prior: Prior
        /// max y / Δx (negative for a cut, as is sat(a₁) − sat(a₀)).
        public var unitsPerScaledChange: Double
    }

    /// The largest β a channel whose β prior is replaced by a `roi_prior` or `lift_roi_prior` can
    /// take, on the model's scale (the curve's ceiling as a multiple of the largest target per
    /// period): 100. The replaced prior alone does not bound β — along a logistic curve's linear
    /// limit (λ → 0, β·λ fixed) the priced quantity stays put while β grows without end — so the
    /// effect prior's density is tapered to 0 at this bound (`CalibrationTerms`); a ceiling a
    /// hundred times the largest target is a straight line over any spend the data show.
    public static let betaBound = 100.0

    public var liftTests: [ScaledLiftTest] = []
    public var roiPriors: [ROIPrior] = []
    public var liftROIPriors: [LiftROIPrior] = []

    /// No experiments.
    public init() {}

    public var isEmpty: Bool { liftTests.isEmpty && roiPriors.isEmpty && liftROIPriors.isEmpty }

    /// The scaled spend interval (low, high) that pins channel `c`'s curve best: its
    /// `lift_roi_prior`'s, else its most precise lift test's (smallest σ/|Δy|); nil without either.
    public func testedInterval(channel c: Int) -> (Double, Double)? {
        if let p = liftROIPriors.first(where: { $0.channel == c }) {
            return (min(p.level, p.levelDuring), max(p.level, p.levelDuring))
        }
        let best = liftTests.filter { $0.channel == c }.min { $0.standardError / abs($0.change) < $1.standardError / abs($1.change) }
        return best.map { (min($0.level, $0.levelDuring), max($0.level, $0.levelDuring)) }
    }

    /// Scales `tests` and reads each channel's `roi_prior` and `lift_roi_prior` from `model`.
    ///
    /// Errors (naming `configPath` and the key): a test for a channel not in the data, a test whose
    /// numbers are inconsistent (`LiftTest.problem`), an ROI or incremental-ROI prior whose support
    /// is not (0, ∞), and a channel with such a prior and a `saturation_beta` prior (they *are*
    /// the prior on β, see `CalibrationTerms`). Both on one channel is a config-loading error.
    init(tests: [LiftTest], model: MixPlanConfig.ModelSection, channelNames: [String], spend: [[Double]],
         scaling: ModelStructure.Scaling, configPath: String) throws {
        for test in tests {
            let location = InputLocation(file: configPath, key: "calibration.lift_tests")
            let at = test.source.isEmpty ? "" : " (\(test.source))"
            guard let c = channelNames.firstIndex(of: test.channel) else {
                throw InputError(location, "lift test\(at) is for \"\(test.channel)\", which is not a channel of the data.",
                                 hint: "Channels: \(channelNames.joined(separator: ", ")).")
            }
            if let problem = test.problem { throw InputError(location, "lift test\(at): \(problem).") }
            let xmax = scaling.spendScale[c]
            liftTests.append(ScaledLiftTest(channel: c, level: test.spend / xmax, levelDuring: test.spendDuring / xmax,
                                            change: test.targetChange / scaling.targetScale,
                                            standardError: test.standardError / scaling.targetScale))
        }
        for (c, name) in channelNames.enumerated() {
            if let spec = model.channels[name]?.roiPrior {
                let prior = try Self.effectPrior(spec, channel: name, key: "roi_prior", what: "a return on ad spend", model: model, configPath: configPath)
                let total = spend[c].reduce(0, +)
                roiPriors.append(ROIPrior(channel: c, prior: prior, unitsPerScaledEffect: scaling.targetScale / total))
            }
            if let lift = model.channels[name]?.liftROIPrior {
                let prior = try Self.effectPrior(lift.prior, channel: name, key: "lift_roi_prior", what: "an incremental return", model: model, configPath: configPath)
                let xmax = scaling.spendScale[c]
                liftROIPriors.append(LiftROIPrior(channel: c, level: lift.spend / xmax, levelDuring: lift.spendDuring / xmax,
                                                  prior: prior, unitsPerScaledChange: scaling.targetScale / lift.spendChange))
            }
        }
    }

    /// The prior of an `roi_prior` or `lift_roi_prior` (`key`) on channel `name`: a prior on
    /// (0, ∞), on a channel without a `saturation_beta` prior (these priors *are* the prior on
    /// the channel's effect size β, see `CalibrationTerms`).
    private static func effectPrior(_ spec: PriorSpec, channel name: String, key: String, what: String,
                                    model: MixPlanConfig.ModelSection, configPath: String) throws -> Prior {
        let location = InputLocation(file: configPath, key: "model.channels.\(name).\(key)")
        if model.prior("saturation_beta", channel: name) != nil {
            throw InputError(location, "\(name) has both \(key == "roi_prior" ? "an" : "a") \(key) and a saturation_beta prior; the \(key) is the prior on the channel's effect size β.",
                             hint: "Remove one of them (saturation_beta under model.priors applies to every channel).")
        }
        let prior: Prior
        do { prior = try Prior(spec) } catch let e as PriorError {
            throw InputError(location, e.description)
        }
        guard case .lowerBounded(0) = prior.support else {
            throw InputError(location, "\(spec) is not a prior on (0, ∞); \(what) is positive.",
                             hint: "Use e.g. LogNormal(0.5, 0.5), Gamma(mu=2, sigma=1) or HalfNormal(3).")
        }
        return prior
    }

    /// How many lift tests each channel has, in channel order.
    public func liftTestCounts(channelCount: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: channelCount)
        for t in liftTests { counts[t.channel] += 1 }
        return counts
    }

    /// One line for `mixplan fit`: the lift tests used per channel and the ROI priors, e.g.
    /// "Calibration: 2 lift tests (social 1, tv 1); ROI prior on search: LogNormal(0.5, 0.3)".
    /// Nil when the model is not calibrated.
    public func summary(channelNames: [String]) -> String? {
        guard !isEmpty else { return nil }
        var parts: [String] = []
        if !liftTests.isEmpty {
            let counts = liftTestCounts(channelCount: channelNames.count)
            let per = channelNames.indices.filter { counts[$0] > 0 }.map { "\(channelNames[$0]) \(counts[$0])" }
            parts.append("\(liftTests.count) lift test\(liftTests.count == 1 ? "" : "s") (\(per.joined(separator: ", ")))")
        }
        for roi in roiPriors where !roi.isDefault { parts.append("ROI prior on \(channelNames[roi.channel]): \(roi.prior)") }
        for lift in liftROIPriors { parts.append("incremental-ROI prior on \(channelNames[lift.channel]): \(lift.prior)") }
        guard !parts.isEmpty else { return nil }
        return "Calibration: " + parts.joined(separator: "; ")
    }
}
