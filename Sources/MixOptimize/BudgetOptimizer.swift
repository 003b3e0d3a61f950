import Foundation

/// One solved allocation: spend per period per channel, the objective it reaches, and the
/// certificate saying why it is optimal.
public struct Solution: Codable, Sendable {
    public var allocation: [Double]
    public var objectiveValue: Double
    public var certificate: OptimalityCertificate
}

/// Splits a budget across channels to maximise an objective of the posterior horizon response.
///
/// - mean, every curve concave: exact KKT solution — the common marginal response λ is found by
///   safeguarded regula falsi on Σ s_c(λ) = budget, each s_c(λ) by monotone root finding.
/// - mean, some curve S-shaped: dynamic programming over a grid of the free budget (the mean is
///   separable), then projected-gradient refinement.
/// - risk objectives: multi-start pairwise exchange on a shrinking step (starts: equal split,
///   current split, mean optimum, corners or random splits), then refinement on all draws.
public final class BudgetOptimizer {
    public let problem: BudgetProblem
    public let horizon: HorizonResponse
    public let options: SolverOptions
    let draws: any ResponseDraws
    /// The global-stage draw subsample, built on first use (see `subsampleHorizon`).
    var subsampleCache: HorizonResponse?

    public init(draws: any ResponseDraws, problem: BudgetProblem, options: SolverOptions = SolverOptions()) throws {
        guard draws.channelNames == problem.channelNames else {
            throw OptimizationError("The problem's channels (\(problem.channelNames.joined(separator: ", "))) differ from the model's (\(draws.channelNames.joined(separator: ", "))).")
        }
        guard draws.drawCount > 0 else { throw OptimizationError("The posterior has no draws.") }
        _ = try problem.resolvedBounds()
        self.draws = draws
        self.problem = problem
        self.options = options
        horizon = HorizonResponse(draws: draws, settings: problem.horizon, history: problem.currentSpend)
    }

    /// The feasible set for a total budget over the horizon (defaults to the problem's).
    func feasibleSet(budget: Double? = nil) throws -> FeasibleSet {
        var p = problem
        if let budget { p.budget = budget }
        let (lower, upper) = try p.resolvedBounds()
        return FeasibleSet(lower: lower, upper: upper, total: p.budgetPerPeriod)
    }

    /// The best allocation for `objective` at `budget` (currency over the horizon; the problem's
    /// budget when nil).
    public func solve(_ objective: Objective, budget: Double? = nil) throws -> Solution {
        try solve(objective, budget: budget, warmStart: nil)
    }

    /// As `solve`, with a start near the answer (the previous frontier point) for the concave
    /// mean's Newton stage; other solvers ignore it.
    func solve(_ objective: Objective, budget: Double?, warmStart: [Double]?) throws -> Solution {
        let set = try feasibleSet(budget: budget)
        if objective == .mean {
            let concave = (0..<horizon.channelCount).allSatisfy { draws.isConcave(channel: $0) }
            return concave ? solveConcaveMeanFast(set, warmStart: warmStart) : solveGridMean(set)
        }
        return solveRisk(objective, set: set)
    }

    /// A single projected-gradient ascent from `start` (spend per period) — the local method
    /// the peers use, exposed so its failure on S-shaped curves can be shown and compared.
    public func localAscent(_ objective: Objective, from start: [Double], budget: Double? = nil) throws -> Solution {
        let set = try feasibleSet(budget: budget)
        let evaluator = JointEvaluator(horizon: horizon, objective: objective)
        let r = projectedAscent(evaluator, set: set, start: start, maxIterations: options.maxGradientIterations)
        let certificate = OptimalityCertificate(method: "local-projected-gradient", refinedValue: r.value,
                                                startValues: [], iterations: r.iterations, converged: r.converged)
        return Solution(allocation: r.allocation, objectiveValue: r.value, certificate: certificate)
    }

    // MARK: mean, concave — exact KKT

    func solveConcaveMean(_ set: FeasibleSet, on response: HorizonResponse? = nil) -> Solution {
        let hz = response ?? horizon
        let free = set.free
        let n = hz.channelCount
        var s = set.lower
        var iterations = 0
        var converged = true
        var lambda: Double?
        if free.count > 0 && set.freeBudget > 0 {
            func marginal(_ c: Int, _ x: Double) -> Double { hz.mean(channel: c, spend: x).slope }
            // Bracket state per channel: spend and marginal at the high-λ and low-λ ends.
            var leftS = set.lower, rightS = set.upper
            var leftM = [Double](repeating: 0, count: n), rightM = leftM
            for c in free {
                leftM[c] = marginal(c, set.lower[c])
                if !leftM[c].isFinite { leftM[c] = marginal(c, set.lower[c] + 1e-9 * set.freeBudget) }
                rightM[c] = marginal(c, set.upper[c])
            }
            var lamHigh = free.map { leftM[$0] }.max()!, lamLow = free.map { rightM[$0] }.min()!
            // s_c(λ): bound when the marginal there is already past λ, else the root of m_c(s) = λ.
            func spends(_ lam: Double) -> [Double] {
                var out = set.lower
                for c in free {
                    if leftM[c] <= lam { out[c] = set.lower[c]; continue }
                    if rightM[c] >= lam { out[c] = set.upper[c]; continue }
                    var a = leftS[c], b = rightS[c], fa = leftM[c] - lam, fb = rightM[c] - lam
                    var side = 0
                    var x = a
                    for _ in 0..<200 {
                        x = (a * fb - b * fa) / (fb - fa)
                        if !(x > a && x < b) { x = 0.5 * (a + b) }
                        let fx = marginal(c, x) - lam
                        if fx == 0 || b - a <= 1e-15 * max(abs(b), set.freeBudget) { break }
                        if fx > 0 {
                            a = x; fa = fx
                            if side == 1 { fb *= 0.5 }
                            side = 1
                        } else {
                            b = x; fb = fx
                            if side == -1 { fa *= 0.5 }
                            side = -1
                        }
                        if abs(fx) <= 1e-12 * lam { break }
                    }
                    out[c] = x
                }
                return out
            }
            let target = set.total
            var gHigh = set.lower.reduce(0, +) - target, gLow = set.upper.reduce(0, +) - target
            var side = 0
            converged = false
            for _ in 0..<200 {
                iterations += 1
                var lam = (lamHigh * gLow - lamLow * gHigh) / (gLow - gHigh)
                if !(lam > lamLow && lam < lamHigh) { lam = 0.5 * (lamLow + lamHigh) }
                let x = spends(lam)
                let g = x.reduce(0, +) - target
                s = x
                lambda = lam
                if abs(g) <= options.tolerance * max(target, 1e-300) || lamHigh - lamLow <= 1e-15 * lamHigh {
                    converged = true
                    break
                }
                // Each bracket end keeps, per channel, a spend whose marginal is on the right
                // side of every λ still to be tried (interior spends have marginal λ there).
                if g < 0 {
                    // Spending too little: λ too high; it becomes the high end.
                    lamHigh = lam; gHigh = g
                    for c in free where leftM[c] > lam { leftS[c] = x[c]; leftM[c] = lam }
                    if side == -1 { gLow *= 0.5 }
                    side = -1
                } else {
                    lamLow = lam; gLow = g
                    for c in free where rightM[c] < lam { rightS[c] = x[c]; rightM[c] = lam }
                    if side == 1 { gHigh *= 0.5 }
                    side = 1
                }
            }
            s = set.settle(s)
        }
        let evaluator = JointEvaluator(horizon: hz, objective: .mean)
        let value = evaluator.value(at: s)
        var certificate = kktCertificate(s, set: set, method: "kkt-multiplier", value: value, on: hz)
        certificate.iterations = iterations
        certificate.converged = converged
        if certificate.multiplier == nil { certificate.multiplier = lambda }
        return Solution(allocation: s, objectiveValue: value, certificate: certificate)
    }
}
