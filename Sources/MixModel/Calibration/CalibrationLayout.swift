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
    }

    public var liftTests: [ScaledLiftTest] = []
    public var roiPriors: [ROIPrior] = []

    /// No experiments.
    public init() {}

    public var isEmpty: Bool { liftTests.isEmpty && roiPriors.isEmpty }

    /// Scales `tests` and reads each channel's `roi_prior` from `model`.
    ///
    /// Errors (naming `configPath` and the key): a test for a channel not in the data, a test whose
    /// numbers are inconsistent (`LiftTest.problem`), an ROI prior whose support is not (0, ∞), and
    /// a channel with both an ROI prior and a `saturation_beta` prior (the ROI prior *is* the
    /// prior on β, see `CalibrationTerms`).
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
            guard let spec = model.channels[name]?.roiPrior else { continue }
            let key = "model.channels.\(name).roi_prior"
            if model.prior("saturation_beta", channel: name) != nil {
                throw InputError(InputLocation(file: configPath, key: key),
                                 "\(name) has both an roi_prior and a saturation_beta prior; the ROI prior is the prior on the channel's effect size β.",
                                 hint: "Remove one of them (saturation_beta under model.priors applies to every channel).")
            }
            let prior: Prior
            do { prior = try Prior(spec) } catch let e as PriorError {
                throw InputError(InputLocation(file: configPath, key: key), e.description)
            }
            guard case .lowerBounded(0) = prior.support else {
                throw InputError(InputLocation(file: configPath, key: key),
                                 "\(spec) is not a prior on (0, ∞); a return on ad spend is positive.",
                                 hint: "Use e.g. LogNormal(0.5, 0.5), Gamma(mu=2, sigma=1) or HalfNormal(3).")
            }
            let total = spend[c].reduce(0, +)
            roiPriors.append(ROIPrior(channel: c, prior: prior, unitsPerScaledEffect: scaling.targetScale / total))
        }
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
        for roi in roiPriors { parts.append("ROI prior on \(channelNames[roi.channel]): \(roi.prior)") }
        return "Calibration: " + parts.joined(separator: "; ")
    }
}
