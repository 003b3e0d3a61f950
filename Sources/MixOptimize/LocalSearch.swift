import Foundation

/// Local improvement steps shared by the solvers: pairwise budget exchange on a shrinking step
/// (derivative-free, robust for quantile objectives) and projected gradient ascent with Armijo
/// backtracking. Both keep the allocation feasible at every step.
extension BudgetOptimizer {
    /// Moves `step` of spend from one channel to another while the best such move improves the
    /// objective; halves the step when none does, down to `finest`. Returns the sweeps used and
    /// whether the finest step was reached within `maxSweeps` (the stage's convergence).
    func exchange(_ evaluator: JointEvaluator, set: FeasibleSet, start: [Double], step: Double, finest: Double,
                  maxSweeps: Int = 400) -> (allocation: [Double], value: Double, sweeps: Int, reachedFinest: Bool) {
        var s = start
        let free = set.free
        var current = evaluator.value(at: s)
        guard free.count > 1, step > 0 else { return (s, current, 0, true) }
        let n = evaluator.draws
        let response = evaluator.horizon
        var minus = Array(repeating: [Double](repeating: 0, count: n), count: evaluator.channels)
        var plus = minus
        // Which channels' one-step-down/up draws are stale (after a move or a step change).
        var stale = [Bool](repeating: true, count: evaluator.channels)
        var candidate = [Double](repeating: 0, count: n)
        var delta = step
        var sweeps = 0
        while delta >= finest, sweeps < maxSweeps {
            sweeps += 1
            for c in free where stale[c] {
                let down = min(delta, s[c] - set.lower[c]), up = min(delta, set.upper[c] - s[c])
                minus[c] = down > 0 ? response.channelDraws(c, spend: s[c] - down) : evaluator.values[c]
                plus[c] = up > 0 ? response.channelDraws(c, spend: s[c] + up) : evaluator.values[c]
                stale[c] = false
            }
            var best = current, bestMove: (i: Int, j: Int, moved: Double, from: [Double], to: [Double])?
            for i in free where s[i] - set.lower[i] > 0 {
                for j in free where j != i && set.upper[j] - s[j] > 0 {
                    let moved = min(delta, s[i] - set.lower[i], set.upper[j] - s[j])
                    // Room shorter than the step on either side: evaluate the exact move.
                    let fromI = moved == min(delta, s[i] - set.lower[i]) ? minus[i] : response.channelDraws(i, spend: s[i] - moved)
                    let toJ = moved == min(delta, set.upper[j] - s[j]) ? plus[j] : response.channelDraws(j, spend: s[j] + moved)
                    for d in 0..<n {
                        candidate[d] = evaluator.totals[d] - evaluator.values[i][d] + fromI[d] - evaluator.values[j][d] + toJ[d]
                    }
                    let v = evaluator.objective.evaluate(candidate, weights: nil, scratch: &evaluator.scratch, order: &evaluator.order)
                    if v > best + 1e-13 * abs(best) { best = v; bestMove = (i, j, moved, fromI, toJ) }
                }
            }
            if let move = bestMove {
                s[move.i] -= move.moved
                s[move.j] += move.moved
                for d in 0..<n {
                    evaluator.totals[d] += move.from[d] - evaluator.values[move.i][d] + move.to[d] - evaluator.values[move.j][d]
                }
                evaluator.values[move.i] = move.from
                evaluator.values[move.j] = move.to
                evaluator.invalidate(move.i)
                evaluator.invalidate(move.j)
                current = best
                stale[move.i] = true
                stale[move.j] = true
            } else {
                delta *= 0.5
                for c in free { stale[c] = true }
            }
        }
        s = set.settle(s)
        return (s, evaluator.value(at: s), sweeps, delta < finest)
    }

    /// Projected gradient ascent from `start`: y = s + α∇f, s' = Π(y), α halved until Armijo's
    /// sufficient increase holds and doubled after each success. Stops when the projected step
    /// is below `tolerance`·budget (converged) or no increase is found.
    func projectedAscent(_ evaluator: JointEvaluator, set: some AllocationSet, start: [Double], maxIterations: Int,
                         maxHalvings: Int = 30) -> (allocation: [Double], value: Double, iterations: Int, converged: Bool) {
        var s = set.project(start)
        var (f, g) = evaluator.valueAndGradient(at: s)
        let scale = max(set.freeBudget, 1e-300)
        let gmax = set.free.map { abs(g[$0]) }.max() ?? 0
        guard set.free.count > 1, gmax > 0 else { return (s, f, 0, true) }
        var alpha = 0.05 * scale / gmax
        var iterations = 0
        var converged = false
        var stalled = 0
        while iterations < maxIterations {
            iterations += 1
            var accepted = false
            for _ in 0..<maxHalvings {
                let y = s.indices.map { s[$0] + alpha * g[$0] }
                let trial = set.project(y)
                var predicted = 0.0, stepSize = 0.0
                for c in s.indices {
                    predicted += g[c] * (trial[c] - s[c])
                    stepSize = max(stepSize, abs(trial[c] - s[c]))
                }
                if stepSize <= 1e-13 * scale {
                    converged = true
                    break
                }
                let ft = evaluator.value(at: trial)
                if ft >= f + 1e-4 * predicted, ft > f {
                    // Three steps in a row gaining under 1e-12 relative: stationary for all purposes.
                    stalled = ft - f <= 1e-12 * abs(f) ? stalled + 1 : 0
                    if stalled >= 3 { converged = true }
                    s = trial
                    (f, g) = evaluator.valueAndGradient(at: s)
                    alpha *= 2
                    accepted = true
                    if stepSize <= options.tolerance * 1e2 * scale { converged = true }
                    break
                }
                alpha *= 0.5
            }
            if converged || !accepted { break }
        }
        // A failed line search counts as converged only when the projected step had shrunk to
        // nothing (stationarity); otherwise the caller's global stage still stands.
        return (s, evaluator.value(at: s), iterations, converged)
    }
}
