import Foundation

/// Fast path of the exact mean solver for many draws: solve the KKT conditions on a draw
/// subsample, then polish on all draws by Newton steps on the KKT system, each channel's
/// curvature taken from a finite difference first and secants after. Every polished answer is
/// re-certified on all draws; if the polish does not reach the tolerance the full solver runs.
extension BudgetOptimizer {
    /// Newton–KKT polish from `start`: with marginals m_c and curvatures h_c < 0, the step is
    /// s_c ← clamp(s_c + (λ − m_c)/h_c) with λ chosen (bisection) so the budget holds.
    func polishMean(_ set: FeasibleSet, start: [Double], maxIterations: Int = 8, tolerance: Double = 1e-10)
        -> (allocation: [Double], iterations: Int, converged: Bool)? {
        let free = set.free
        guard free.count > 1 else { return nil }
        var s = start
        var m = [Double](repeating: 0, count: s.count), h = m
        for c in free {
            m[c] = horizon.mean(channel: c, spend: s[c]).slope
            let delta = 1e-4 * max(s[c], set.freeBudget / Double(free.count))
            let probe = s[c] + delta <= set.upper[c] ? delta : -delta
            h[c] = (horizon.mean(channel: c, spend: s[c] + probe).slope - m[c]) / probe
        }
        for iteration in 1...maxIterations {
            guard free.allSatisfy({ h[$0] < 0 && h[$0].isFinite && m[$0].isFinite }) else { return nil }
            // Converged when interior marginals agree and bound channels have the right sign.
            let interior = free.filter { s[$0] > set.lower[$0] && s[$0] < set.upper[$0] }
            if let hi = interior.map({ m[$0] }).max(), let lo = interior.map({ m[$0] }).min(), iteration > 1,
               (hi - lo) <= tolerance * abs(hi) {
                let ok = free.allSatisfy { c in
                    s[c] <= set.lower[c] ? m[c] <= hi * (1 + 1e-9) : (s[c] >= set.upper[c] ? m[c] >= lo * (1 - 1e-9) : true)
                }
                if ok { return (s, iteration - 1, true) }
            }
            func stepped(_ lam: Double) -> [Double] {
                var out = s
                for c in free { out[c] = min(max(s[c] + (lam - m[c]) / h[c], set.lower[c]), set.upper[c]) }
                return out
            }
            var lo = free.map { m[$0] + h[$0] * (set.upper[$0] - s[$0]) }.min()! - 1
            var hi = free.map { m[$0] + h[$0] * (set.lower[$0] - s[$0]) }.max()! + 1
            lo = min(lo, free.map { m[$0] }.min()!)
            hi = max(hi, free.map { m[$0] }.max()!)
            for _ in 0..<200 {
                let mid = 0.5 * (lo + hi)
                if mid == lo || mid == hi { break }
                if stepped(mid).reduce(0, +) > set.total { lo = mid } else { hi = mid }
            }
            let next = set.settle(stepped(0.5 * (lo + hi)))
            for c in free {
                let mNext = horizon.mean(channel: c, spend: next[c]).slope
                let ds = next[c] - s[c]
                if abs(ds) > 1e-12 * max(abs(s[c]), 1) {
                    let secant = (mNext - m[c]) / ds
                    if secant < 0 { h[c] = secant }
                }
                m[c] = mNext
            }
            s = next
        }
        return nil
    }

    /// The concave mean on many draws: subsample KKT, all-draw polish, full solver as fallback.
    func solveConcaveMeanFast(_ set: FeasibleSet) -> Solution {
        guard horizon.drawCount > options.globalStageDraws, let sub = subsampleHorizon() else {
            return solveConcaveMean(set)
        }
        let rough = solveConcaveMean(set, on: sub)
        guard let polished = polishMean(set, start: rough.allocation) else { return solveConcaveMean(set) }
        let evaluator = JointEvaluator(horizon: horizon, objective: .mean)
        let value = evaluator.value(at: polished.allocation)
        var certificate = kktCertificate(polished.allocation, set: set, method: "kkt-multiplier", value: value)
        guard (certificate.kktResidual ?? 1) < 1e-9, certificate.boundMultipliersValid == true else { return solveConcaveMean(set) }
        certificate.method = "kkt-multiplier+newton-polish"
        certificate.iterations = rough.certificate.iterations + polished.iterations
        certificate.converged = true
        return Solution(allocation: polished.allocation, objectiveValue: value, certificate: certificate)
    }

    /// The global-stage subsample of draws (deterministic in the seed).
    func subsampleHorizon() -> HorizonResponse? {
        guard horizon.drawCount > options.globalStageDraws else { return nil }
        var rng = SeededRandom(seed: options.seed)
        var indices = Array(0..<horizon.drawCount)
        for i in 0..<options.globalStageDraws {
            let j = i + Int(rng.nextUInt64() % UInt64(indices.count - i))
            indices.swapAt(i, j)
        }
        let chosen = Array(indices[0..<options.globalStageDraws]).sorted()
        let sub: any ResponseDraws = (draws as? ParametricResponseDraws)?.subset(chosen) ?? SubsampledDraws(base: draws, indices: chosen)
        return HorizonResponse(draws: sub, settings: problem.horizon, history: problem.currentSpend)
    }
}
