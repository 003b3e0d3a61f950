import Foundation
import MixData
import MixModel
import MixOptimize

// Turns a `CalibrationSummary` into the plain inputs of CalibrationCharts.swift: densities on a
// grid for the prior (exact, from its formula) and the posterior (a kernel density estimate of
// the draws), and lift tests as marks anchored on the posterior-mean curve.

extension ChartPack {
    /// The response chart's mark for one lift test.
    static func liftTestMark(_ check: LiftTestCheck) -> LiftTestMark {
        LiftTestMark(spend: check.test.spend, spendChange: check.test.spendChange, anchor: check.anchor,
                     targetChange: check.test.targetChange, standardError: check.test.standardError)
    }

    /// One row of prior-against-posterior panels per calibrated channel. The grid spans both
    /// intervals plus 15 % on each side, cut at the prior's support; the posterior density is a
    /// Gaussian kernel estimate with Silverman's rule-of-thumb bandwidth (at most `maxDraws`
    /// draws, spread evenly).
    public static func calibrationRows(_ r: PlanningResults, calibration: CalibrationSummary? = nil,
                                       points: Int = 121, maxDraws: Int = 1000) -> [[PriorPosteriorPanel]] {
        let calibration = calibration ?? r.calibration
        let m = r.model, s = m.structure, picks = drawPicks(m, limit: maxDraws)
        return calibration.channels.map { ch in
            let parameters = ch.parameters.map { p in
                var row = panel(ch, label: p.label, prior: s.parameters[p.parameterIndex].prior, summary: p.prior, posterior: p.posterior,
                                draws: picks.map { m.draws[$0 * s.dimension + p.parameterIndex] }, fromConfig: p.setInConfig,
                                points: points, priorUsed: p.replacedBy == nil)
                // β under an roi_prior / lift_roi_prior: its own prior is an unused default.
                if let key = p.replacedBy { row.priorReplacedBy = ch.effectPriors.first { $0.key == key }?.label ?? key }
                return row
            }
            // roi_prior / lift_roi_prior: the quantity's prior (exact) against its posterior draws
            // (the label names the config key, so no "prior from config" on top).
            let effects = ch.effectPriors.compactMap { e in
                (try? Prior(e.prior.spec)).map { panel(ch, label: e.label, prior: $0, summary: e.prior, posterior: e.posterior,
                                                       draws: e.draws, fromConfig: false, points: points) }
            }
            return parameters + effects
        }
    }

    /// One panel: the grid spans both intervals plus 15 % each side (only the posterior's when
    /// the prior is not used), cut at the prior's support.
    static func panel(_ ch: CalibratedChannel, label: String, prior: Prior, summary: PriorSummary, posterior: Interval,
                      draws: [Double], fromConfig: Bool, points: Int, priorUsed: Bool = true) -> PriorPosteriorPanel {
        var lo = priorUsed ? min(summary.lower, posterior.lower) : posterior.lower
        var hi = priorUsed ? max(summary.upper, posterior.upper) : posterior.upper
        let pad = 0.15 * max(hi - lo, 1e-12)
        lo -= pad; hi += pad
        switch prior.support {
        case .real: break
        case .lowerBounded(let a): lo = max(lo, a)
        case .interval(let a, let b): lo = max(lo, a); hi = min(hi, b)
        }
        // Stay a hair inside the support, where every density is finite and defined.
        let inset = 1e-6 * (hi - lo)
        let grid = (0..<points).map { lo + inset + (hi - lo - 2 * inset) * Double($0) / Double(points - 1) }
        return PriorPosteriorPanel(channel: ch.name, channelIndex: ch.index, parameter: label, grid: grid,
                                   priorDensity: grid.map { exp(prior.logDensity($0).value) },
                                   posteriorDensity: kernelDensity(draws, at: grid),
                                   priorMean: summary.mean, priorLower: summary.lower, priorUpper: summary.upper,
                                   posteriorMean: posterior.mean, posteriorLower: posterior.lower,
                                   posteriorUpper: posterior.upper, priorFromConfig: fromConfig)
    }

    /// Gaussian kernel density of `draws` at `xs`, bandwidth 0.9 · min(sd, IQR/1.34) · n^(−1/5)
    /// (Silverman 1986, eq. 3.31); a spike at the mean when every draw is equal.
    static func kernelDensity(_ draws: [Double], at xs: [Double]) -> [Double] {
        let n = Double(draws.count)
        guard n >= 2 else { return xs.map { _ in 0 } }
        let mean = draws.reduce(0, +) / n
        let sd = (draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot()
        let sorted = draws.sorted()
        func q(_ p: Double) -> Double {
            let h = (n - 1) * p, i = Int(h)
            return sorted[i] + (h - Double(i)) * (sorted[min(i + 1, sorted.count - 1)] - sorted[i])
        }
        let spread = min(sd, (q(0.75) - q(0.25)) / 1.34)
        let h = 0.9 * (spread > 0 ? spread : sd) * pow(n, -0.2)
        guard h > 0 else {
            let step = xs.count > 1 ? xs[1] - xs[0] : 1
            return xs.map { abs($0 - mean) <= step / 2 ? 1 : 0 }
        }
        let norm = 1 / (n * h * (2 * Double.pi).squareRoot())
        return xs.map { x in draws.reduce(0) { acc, d in let z = (x - d) / h; return acc + exp(-0.5 * z * z) } * norm }
    }
}
