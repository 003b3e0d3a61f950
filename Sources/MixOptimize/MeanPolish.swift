import Foundation

/// Fast path of the exact mean solver for many draws: Newton steps on the KKT system with each
/// channel's exact curvature, first on a draw subsample (from an equal split, or from a warm
/// start such as the previous frontier point), then on all draws from there. Every answer is
/// certified on all draws; if Newton does not reach the tolerance the full solver runs.
extension BudgetOptimizer {
    /// Mean value, marginal and curvature of each listed channel at `s`, on `response` (each
    /// evaluation already splits its draws over the cores).
    func meanStates(_ s: [Double], channels: [Int], on response: HorizonResponse) -> [(value: Double, slope: Double, curvature: Double)] {
        var out = [(value: Double, slope: Double, curvature: Double)](repeating: (0, 0, 0), count: s.count)
        for c in channels { out[c] = response.meanWithCurvature(channel: c, spend: s[c]) }
        return out
    }

    /// Safeguarded Newton–KKT from `start` on `response`. With marginals m_c and curvatures
    /// h_c < 0, the Newton point is y_c = clamp(s_c + (λ − m_c)/h_c) with λ chosen (bisection)
    /// so Σ y = budget — the maximiser of the separable quadratic model over the feasible set.
    /// The step s → s + t(y − s) is a feasible ascent direction; t is halved until the mean
    /// rises by Armijo's rule (or, within rounding, holds). Stops when interior marginals agree
    /// to `tolerance` relative and bound channels have the right sign. Returns the marginals at
    /// the answer for the certificate, or nil when curvature is unavailable or it stalls.
    func newtonMean(_ set: FeasibleSet, start: [Double], on response: HorizonResponse, maxIterations: Int = 40,
                    tolerance: Double = 1e-10) -> (allocation: [Double], value: Double, marginals: [Double], iterations: Int)? {
        let free = set.free
        guard response.hasCurvature, free.count > 1, set.freeBudget > 0 else { return nil }
        let fixedChannels = (0..<set.lower.count).filter { set.upper[$0] <= set.lower[$0] }
        let fixedValue = meanStates(set.lower, channels: fixedChannels, on: response).reduce(0) { $0 + $1.value }
        var s = set.project(start)
        var state = meanStates(s, channels: free, on: response)
        func total(_ st: [(value: Double, slope: Double, curvature: Double)]) -> Double { free.reduce(fixedValue) { $0 + st[$1].value } }
        var f = total(state)
        for iteration in 0...maxIterations {
            let m = state.map(\.slope)
            guard free.allSatisfy({ m[$0].isFinite && state[$0].curvature.isFinite }) else { return nil }
            let interior = free.filter { s[$0] > set.lower[$0] && s[$0] < set.upper[$0] }
            if interior.isEmpty,
               (free.filter { s[$0] <= set.lower[$0] }.map { m[$0] }.max() ?? -.infinity) <= (free.filter { s[$0] >= set.upper[$0] }.map { m[$0] }.min() ?? .infinity) {
                return (s, f, m, iteration)
            }
            if let hi = interior.map({ m[$0] }).max(), let lo = interior.map({ m[$0] }).min(), hi - lo <= tolerance * abs(hi) {
                let ok = free.allSatisfy { c in
                    s[c] <= set.lower[c] ? m[c] <= hi * (1 + 1e-12) : (s[c] >= set.upper[c] ? m[c] >= lo * (1 - 1e-12) : true)
                }
                if ok { return (s, f, m, iteration) }
            }
            if iteration == maxIterations { break }
            // A curvature that vanished numerically (a saturated channel) still needs a finite
            // Newton step: floor |h| at a millionth of the marginal per unit of free budget.
            var h = [Double](repeating: -1, count: s.count)
            for c in free { h[c] = min(state[c].curvature, -1e-6 * max(abs(m[c]), 1e-300) / set.freeBudget) }
            func target(_ lam: Double) -> [Double] {
                var out = s
                for c in free { out[c] = min(max(s[c] + (lam - m[c]) / h[c], set.lower[c]), set.upper[c]) }
                return out
            }
            var lo = free.map { m[$0] + h[$0] * (set.upper[$0] - s[$0]) }.min()! - 1
            var hi = free.map { m[$0] + h[$0] * (set.lower[$0] - s[$0]) }.max()! + 1
            for _ in 0..<200 {
                let mid = 0.5 * (lo + hi)
                if mid == lo || mid == hi { break }
                if target(mid).reduce(0, +) > set.total { lo = mid } else { hi = mid }
            }
            let y = set.settle(target(0.5 * (lo + hi)))
            var rise = 0.0
            for c in free { rise += m[c] * (y[c] - s[c]) }
            var step = 1.0
            var accepted = false
            for _ in 0..<40 {
                let trial = step == 1 ? y : set.settle(free.reduce(into: s) { $0[$1] += step * (y[$1] - s[$1]) })
                let next = meanStates(trial, channels: free, on: response)
                let ft = total(next)
                // Armijo, or a step whose predicted rise is at rounding level and that loses nothing beyond it.
                let noise = 1e-13 * abs(f)
                if ft >= f + 1e-4 * step * rise || (step * abs(rise) <= noise && ft >= f - noise) {
                    s = trial
                    state = next
                    f = ft
                    accepted = true
                    break
                }
                step *= 0.5
            }
            if !accepted { return nil }
        }
        return nil
    }

    /// The concave mean on many draws: Newton on a subsample (or from `warmStart`), then on all
    /// draws; the regula-falsi solver on all draws as fallback.
    func solveConcaveMeanFast(_ set: FeasibleSet, warmStart: [Double]? = nil) -> Solution {
        guard horizon.drawCount > options.globalStageDraws, let sub = subsampleHorizon() else {
            return solveConcaveMean(set)
        }
        var start: [Double]
        var roughIterations = 0
        if let warmStart {
            start = warmStart
        } else {
            var equal = set.lower
            for c in set.free { equal[c] += set.freeBudget / Double(set.free.count) }
            if let rough = newtonMean(set, start: equal, on: sub, tolerance: 1e-5) {
                start = rough.allocation
                roughIterations = rough.iterations
            } else {
                let rough = solveConcaveMean(set, on: sub)
                start = rough.allocation
                roughIterations = rough.certificate.iterations
            }
        }
        guard let polished = newtonMean(set, start: start, on: horizon) else { return solveConcaveMean(set) }
        var certificate = kktCertificate(polished.allocation, marginals: polished.marginals, set: set,
                                         method: "kkt-multiplier+newton-polish", value: polished.value)
        guard (certificate.kktResidual ?? 1) < 1e-9, certificate.boundMultipliersValid == true else { return solveConcaveMean(set) }
        certificate.iterations = roughIterations + polished.iterations
        certificate.converged = true
        return Solution(allocation: polished.allocation, objectiveValue: polished.value, certificate: certificate)
    }

    /// The global-stage subsample of draws (deterministic in the seed).
    func subsampleHorizon() -> HorizonResponse? {
        guard horizon.drawCount > options.globalStageDraws else { return nil }
        if let cached = subsampleCache { return cached }
        var rng = SeededRandom(seed: options.seed)
        var indices = Array(0..<horizon.drawCount)
        for i in 0..<options.globalStageDraws {
            let j = i + Int(rng.nextUInt64() % UInt64(indices.count - i))
            indices.swapAt(i, j)
        }
        let chosen = Array(indices[0..<options.globalStageDraws]).sorted()
        let sub: any ResponseDraws = (draws as? ParametricResponseDraws)?.subset(chosen) ?? SubsampledDraws(base: draws, indices: chosen)
        let response = HorizonResponse(draws: sub, settings: problem.horizon, history: problem.currentSpend)
        subsampleCache = response
        return response
    }
}
