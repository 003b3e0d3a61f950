import Foundation

/// Whether a fit may advise (DESIGN.md §8): the conjunction of every check below, each failure
/// carried as a typed reason with what to try next. The one definition of "converged": the CLI,
/// report, workbook and run summary all read this value and never match text.
public struct ConvergenceVerdict: Sendable, Codable, Equatable {
    /// The thresholds of the verdict, in one place.
    public enum Threshold {
        /// Largest rank-normalised split R̂ allowed over parameters (Vehtari et al. 2021).
        public static let maxRhat = 1.01
        /// Smallest bulk and tail ESS allowed over parameters (Vehtari et al. 2021: 100 per chain, 4 chains).
        public static let minESS = 400.0
        /// Divergent kept transitions allowed.
        public static let maxDivergences = 0
        /// Largest share of kept draws whose trajectory hit the maximum tree depth.
        public static let maxTreeDepthShare = 0.01
        /// Smallest E-BFMI allowed in any chain (Betancourt 2016: below 0.3 the momentum
        /// resampling cannot move the energy enough to explore the posterior).
        public static let minEBFMI = 0.3
        /// How much larger the model's in-sample RMSE may be than the least-squares baseline's
        /// before the fit counts as worse. The baseline is the best in-sample fit its columns
        /// allow; the model's priors shrink the same coefficients towards zero, so a correct
        /// model can lose a little to it. 5 % allows that shrinkage but not a fit that misses
        /// the target's level or season.
        public static let baselineRMSERatio = 1.05
    }

    /// Which check failed.
    public enum Check: String, Sendable, Codable, CaseIterable {
        case rhat, essBulk = "ess_bulk", essTail = "ess_tail", divergences, treeDepth = "tree_depth", ebfmi, stepSize = "step_size", degenerateCorner = "degenerate_corner", baseline
    }

    /// One failed check: what was seen, and what to try next.
    public struct Reason: Sendable, Codable, Equatable {
        public var check: Check
        /// What was measured against which threshold, e.g. "max R-hat 1.043 > 1.01".
        public var message: String
        /// The next thing to try, naming config keys where one applies.
        public var nextStep: String

        public init(check: Check, message: String, nextStep: String) {
            self.check = check
            self.message = message
            self.nextStep = nextStep
        }
    }

    /// The fit's in-sample error against a baseline's, both on the training rows.
    public struct BaselineFit: Sendable, Codable, Equatable {
        /// What the baseline is, e.g. "intercept and 2 Fourier pairs, least squares".
        public var description: String
        public var modelRMSE: Double
        public var baselineRMSE: Double
        public var modelR2: Double
        public var baselineR2: Double

        public init(description: String, modelRMSE: Double, baselineRMSE: Double, modelR2: Double, baselineR2: Double) {
            self.description = description
            self.modelRMSE = modelRMSE
            self.baselineRMSE = baselineRMSE
            self.modelR2 = modelR2
            self.baselineR2 = baselineR2
        }
    }

    /// Failed checks, in the order of `Check`; empty when the fit passes.
    public var reasons: [Reason]
    /// The baseline comparison the verdict used (nil when none was given).
    public var baseline: BaselineFit?

    /// True when every check passed.
    public var passed: Bool { reasons.isEmpty }
    /// "Converged" or "Not converged": the one label every output uses.
    public var label: String { passed ? "Converged" : "Not converged" }
    /// The reasons' messages joined by "; " ("" when passed).
    public var summary: String { reasons.map(\.message).joined(separator: "; ") }

    public init(reasons: [Reason], baseline: BaselineFit? = nil) {
        self.reasons = reasons
        self.baseline = baseline
    }

    /// Judges a run from its health figures, the model's own findings (`modelReasons`, e.g. a chain
    /// stuck in a degenerate corner of the parameter space) and, when the model has one, its
    /// baseline comparison.
    public init(health h: SamplerHealth, modelReasons: [Reason] = [], baseline: BaselineFit? = nil) {
        typealias T = Threshold
        var out: [Reason] = []
        func fmt(_ x: Double, _ digits: Int) -> String { x.isFinite ? String(format: "%.\(digits)f", x) : "nan" }
        if !(h.maxRhat <= T.maxRhat) {
            out.append(Reason(check: .rhat, message: "max R-hat \(fmt(h.maxRhat, 3)) > \(T.maxRhat)",
                              nextStep: "the chains disagree: run longer (sampler.warmup and sampler.draws, e.g. 2000 each); if it persists the posterior has several modes — simplify the model or add an informative prior (roi_prior) for the channels whose parameters have the largest R-hat in summary.csv"))
        }
        if !(h.minEssBulk >= T.minESS) {
            out.append(Reason(check: .essBulk, message: "min bulk ESS \(fmt(h.minEssBulk, 0)) < \(Int(T.minESS))",
                              nextStep: "raise sampler.draws (ESS grows in proportion to draws), or sampler.chains"))
        }
        if !(h.minEssTail >= T.minESS) {
            out.append(Reason(check: .essTail, message: "min tail ESS \(fmt(h.minEssTail, 0)) < \(Int(T.minESS))",
                              nextStep: "raise sampler.draws so the 5 % and 95 % quantiles (the interval ends) are estimated reliably"))
        }
        if h.divergences > T.maxDivergences {
            out.append(Reason(check: .divergences, message: h.divergences == 1 ? "1 divergent transition after warm-up" : "\(h.divergences) divergent transitions after warm-up",
                              nextStep: "raise sampler.target_accept to 0.95 (then 0.99); if divergences remain, the posterior has a funnel — tighten weak priors (saturation, adstock) or give channels roi_prior priors"))
        }
        let share = h.draws > 0 ? Double(h.maxTreeDepthHits) / Double(h.draws) : 0
        if share > T.maxTreeDepthShare {
            out.append(Reason(check: .treeDepth, message: String(format: "%.1f %% of draws hit the maximum tree depth %d (%d of %d) > %.0f %%", 100 * share, h.maxTreeDepth, h.maxTreeDepthHits, h.draws, 100 * T.maxTreeDepthShare),
                              nextStep: "the sampler needs very long trajectories: rescale controls measured in large units, tighten priors that leave parameters nearly unidentified, or try sampler.metric: dense; raising sampler.max_tree_depth only hides it at more cost"))
        }
        let low = h.ebfmi.enumerated().filter { !($0.element >= T.minEBFMI) }
        if !low.isEmpty {
            let list = low.map { "chain \($0.offset + 1): \(fmt($0.element, 2))" }.joined(separator: ", ")
            out.append(Reason(check: .ebfmi, message: "E-BFMI < \(T.minEBFMI) (\(list))",
                              nextStep: "the sampler explores the posterior's energy poorly (heavy tails or a funnel): tighten the priors of scale parameters (sigma, saturation_beta) or give channels roi_prior priors"))
        }
        for c in h.collapsedStepSizeChains {
            let size = c < h.stepSizes.count ? String(format: "%.2g", h.stepSizes[c]) : "below 1e-8"
            out.append(Reason(check: .stepSize, message: "chain \(c + 1)'s step size collapsed to \(size) during warm-up, so its draws barely move",
                              nextStep: "the posterior has a funnel or a region of extreme curvature: reparameterise, tighten weak priors (saturation, adstock) or give the chain better initial values"))
        }
        out += modelReasons
        if let b = baseline, !(b.modelRMSE <= T.baselineRMSERatio * b.baselineRMSE) {
            out.append(Reason(check: .baseline,
                              message: "the fit (R² \(fmt(b.modelR2, 3))) is worse than a baseline of \(b.description) (R² \(fmt(b.baselineR2, 3)))",
                              nextStep: "a prior holds the fit away from the data: check model.priors (intercept, controls, sigma) against the target's level, and that the target column is the one you mean"))
        }
        self.init(reasons: out, baseline: baseline)
    }
}
