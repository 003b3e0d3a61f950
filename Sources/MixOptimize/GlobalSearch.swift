import Foundation

/// The global stages: DP over a budget grid for the separable mean with S-shaped curves, and
/// multi-start exchange for the risk objectives; plus the KKT certificate of any mean answer.
extension BudgetOptimizer {
    /// KKT check of a mean allocation: λ is the mean marginal of interior channels, the residual
    /// their relative spread, and the bound multipliers (λ − m_c at a lower bound, m_c − λ at an
    /// upper bound) must be non-negative up to that residual.
    func kktCertificate(_ s: [Double], set: FeasibleSet, method: String, value: Double,
                        on response: HorizonResponse? = nil) -> OptimalityCertificate {
        var marginals = [Double](repeating: 0, count: s.count)
        for c in set.free { marginals[c] = (response ?? horizon).mean(channel: c, spend: s[c]).slope }
        return kktCertificate(s, marginals: marginals, set: set, method: method, value: value)
    }

    /// The same check from marginals already evaluated at `s` (on all draws).
    func kktCertificate(_ s: [Double], marginals: [Double], set: FeasibleSet, method: String, value: Double) -> OptimalityCertificate {
        var interior: [Double] = [], atLower: [Double] = [], atUpper: [Double] = []
        // Names for the explanation. A channel whose upper limit is the whole per-period budget
        // takes what the others leave: the budget holds it there, not a bound of its own.
        var lowerNames: [String] = [], upperNames: [String] = [], betweenNames: [String] = []
        for c in set.free {
            let m = marginals[c]
            let position = BoundPosition(spend: s[c], lower: set.lower[c], upper: set.upper[c], budget: set.total)
            if position == .lower {
                atLower.append(m); lowerNames.append(problem.channelNames[c])
            } else if position == .upper {
                atUpper.append(m)
                if set.upper[c] < set.total { upperNames.append(problem.channelNames[c]) } else { betweenNames.append(problem.channelNames[c]) }
            } else {
                interior.append(m); betweenNames.append(problem.channelNames[c])
            }
        }
        var lambda: Double?
        var residual = 0.0
        if let hi = interior.max(), let lo = interior.min() {
            let mean = interior.reduce(0, +) / Double(interior.count)
            lambda = mean
            residual = mean > 0 ? (hi - lo) / mean : hi - lo
        }
        var valid = true
        if let lam = lambda {
            let slack = max(residual, 1e-9) * abs(lam)
            valid = atLower.allSatisfy { $0 <= lam + slack } && atUpper.allSatisfy { $0 >= lam - slack }
        } else {
            valid = (atLower.max() ?? -.infinity) <= (atUpper.min() ?? .infinity)
        }
        return OptimalityCertificate(method: method, multiplier: lambda, kktResidual: residual,
                                     boundMultipliersValid: valid, globalValue: nil, refinedValue: value,
                                     gap: nil, startValues: [], iterations: 0, converged: true,
                                     channelsAtUpperBound: upperNames, channelsAtLowerBound: lowerNames,
                                     channelsBetweenBounds: betweenNames)
    }

    /// Global optimum of Σ_c mean_c(s_c) on the grid lower + k·Δ, Δ = free budget / N, by dynamic
    /// programming over channels (exact on the grid, any curve shape), then gradient refinement.
    func solveGridMean(_ set: FeasibleSet) -> Solution {
        let evaluator = JointEvaluator(horizon: horizon, objective: .mean)
        let grid = dpGrid(set, on: horizon)
        let global = evaluator.value(at: grid)
        let refined = projectedAscent(evaluator, set: set, start: grid, maxIterations: options.maxGradientIterations)
        let best = refined.value >= global ? refined.allocation : grid
        let value = max(refined.value, global)
        var certificate = kktCertificate(best, set: set, method: "dp-grid+projected-gradient", value: value)
        certificate.globalValue = global
        certificate.gap = value - global
        certificate.iterations = options.gridSteps + refined.iterations
        certificate.converged = refined.converged
        return Solution(allocation: best, objectiveValue: value, certificate: certificate)
    }

    /// The DP grid optimum of the mean on `response` (all draws or a subsample).
    func dpGrid(_ set: FeasibleSet, on response: HorizonResponse) -> [Double] {
        let steps = max(options.gridSteps, 1)
        let delta = set.freeBudget / Double(steps)
        var s = set.lower
        guard delta > 0, set.free.count > 0 else { return set.project(s) }
        let free = set.free
        var best = [Double](repeating: -.infinity, count: steps + 1)
        best[0] = 0
        var choice = Array(repeating: [Int](repeating: 0, count: steps + 1), count: free.count)
        for (i, c) in free.enumerated() {
            let kmax = min(steps, Int(((set.upper[c] - set.lower[c]) / delta + 1e-9).rounded(.down)))
            let values = (0...kmax).map { response.mean(channel: c, spend: set.lower[c] + Double($0) * delta).value }
            var next = [Double](repeating: -.infinity, count: steps + 1)
            for j in 0...steps {
                for k in 0...min(kmax, j) where best[j - k] > -.infinity {
                    let v = best[j - k] + values[k]
                    if v > next[j] { next[j] = v; choice[i][j] = k }
                }
            }
            best = next
        }
        var j = best[steps] > -.infinity ? steps : best.indices.max { best[$0] < best[$1] }!
        for (i, c) in free.enumerated().reversed() {
            let k = choice[i][j]
            s[c] = set.lower[c] + Double(k) * delta
            j -= k
        }
        return set.project(s)
    }

    /// Risk objectives: multi-start exchange on a draw subsample, then exchange and gradient
    /// refinement on all draws. The certificate reports each start's value and the gap.
    func solveRisk(_ objective: Objective, set: FeasibleSet) -> Solution {
        let full = JointEvaluator(horizon: horizon, objective: objective)
        var rng = SeededRandom(seed: options.seed ^ 0x5EED)
        let useSubsample = horizon.drawCount > options.globalStageDraws
        let stage = subsampleHorizon().map { JointEvaluator(horizon: $0, objective: objective) } ?? full
        let free = set.free
        let extra = set.freeBudget
        var starts: [[Double]] = []
        var equal = set.lower
        for c in free { equal[c] += extra / Double(free.count) }
        starts.append(set.project(equal))
        starts.append(set.project(problem.currentSpend))
        let concave = (0..<horizon.channelCount).allSatisfy { draws.isConcave(channel: $0) }
        if concave {
            starts.append(newtonMean(set, start: equal, on: stage.horizon, tolerance: 1e-8)?.allocation
                          ?? solveConcaveMean(set, on: stage.horizon).allocation)
        } else {
            starts.append(dpGrid(set, on: stage.horizon))
        }
        if free.count <= 4 {
            for c in free {
                var corner = set.lower
                corner[c] = set.upper[c]
                starts.append(set.project(corner))
            }
        }
        for _ in 0..<options.randomStarts {
            var split = set.lower
            let weights = free.map { _ in -log(max(rng.uniform(), 1e-300)) }
            let total = weights.reduce(0, +)
            for (i, c) in free.enumerated() { split[c] += extra * weights[i] / total }
            starts.append(set.project(split))
        }
        let coarsest = extra / 4
        let stageFinest = extra * (useSubsample ? 1e-3 : options.finestStep)
        var startValues: [Double] = []
        var bestAllocation = starts[0], bestValue = -Double.infinity
        var iterations = 0
        var reachedFinest = true
        for start in starts {
            let r = exchange(stage, set: set, start: start, step: coarsest, finest: stageFinest)
            iterations += r.sweeps
            reachedFinest = reachedFinest && r.reachedFinest
            let v = full.value(at: r.allocation)
            startValues.append(v)
            if v > bestValue { bestValue = v; bestAllocation = r.allocation }
        }
        var s = bestAllocation
        if useSubsample {
            let r = exchange(full, set: set, start: s, step: 4 * stageFinest, finest: extra * options.finalStep)
            iterations += r.sweeps
            reachedFinest = reachedFinest && r.reachedFinest
            s = r.allocation
        }
        // The exchange already reached its finest step; the polish keeps its step length from one
        // iteration to the next, so a step that needs more than 6 halvings (a 64th of the last
        // one that worked) ends it rather than spend ten all-channel evaluations per iteration.
        let refined = projectedAscent(full, set: set, start: s, maxIterations: options.riskRefinementIterations, maxHalvings: 6)
        iterations += refined.iterations
        let exchanged = full.value(at: s)
        if refined.value > exchanged { s = refined.allocation }
        let value = max(refined.value, exchanged)
        let certificate = OptimalityCertificate(method: "multistart-exchange+projected-gradient", multiplier: nil,
                                                kktResidual: nil, boundMultipliersValid: nil, globalValue: bestValue,
                                                refinedValue: value, gap: value - bestValue, startValues: startValues,
                                                iterations: iterations, converged: reachedFinest && value >= bestValue)
        return Solution(allocation: s, objectiveValue: value, certificate: certificate)
    }
}
