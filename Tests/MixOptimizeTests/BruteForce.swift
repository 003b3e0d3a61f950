import Foundation
import MixOptimize

/// Exhaustive search over the simplex {Σ s = total, lower ≤ s ≤ upper} on a grid of `steps`
/// steps of the per-period budget: the independent truth the solver is checked against.
func bruteForce(_ draws: ParametricResponseDraws, objective: Objective, horizon: HorizonSettings, history: [Double],
                total: Double, lower: [Double], upper: [Double], steps: Int) -> (value: Double, allocation: [Double]) {
    let response = HorizonResponse(draws: draws, settings: horizon, history: history)
    let n = draws.channelNames.count
    let delta = total / Double(steps)
    // Per-channel per-draw tables at k·Δ.
    let tables = (0..<n).map { c in (0...steps).map { k in response.channelDraws(c, spend: Double(k) * delta) } }
    var best = -Double.infinity, bestAllocation: [Double] = []
    var totals = [Double](repeating: 0, count: draws.drawCount)
    func visit(_ c: Int, _ left: Int, _ ks: [Int]) {
        if c == n - 1 {
            let ks = ks + [left]
            let s = ks.map { Double($0) * delta }
            for i in 0..<n where s[i] < lower[i] - 1e-9 || s[i] > upper[i] + 1e-9 { return }
            for d in 0..<totals.count { totals[d] = 0; for i in 0..<n { totals[d] += tables[i][ks[i]][d] } }
            let v = objective.value(totals)
            if v > best { best = v; bestAllocation = s }
            return
        }
        for k in 0...left { visit(c + 1, left - k, ks + [k]) }
    }
    visit(0, steps, [])
    return (best, bestAllocation)
}
