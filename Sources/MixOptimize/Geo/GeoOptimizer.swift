import Foundation
import MixModel

/// Splits one budget over a geo model's cells (DESIGN.md §9) by reusing the national optimiser:
///
/// - cells only bounded one by one (and fixed): the cells are the channels of one national
///   `BudgetProblem`, so every objective, the exact KKT solution of the mean, the certificate and
///   the frontier are the national ones;
/// - channel or geo totals bounded as well: the feasible set gains those group limits
///   (`GroupedFeasibleSet`), and the answer is the best of several projected-gradient ascents on
///   the joint draws — from the answer without group limits, current spend, an equal split and
///   random splits, each projected onto the set — refined further; the certificate reports every
///   start's value and the projected-gradient residual at the answer (zero exactly at a KKT point);
/// - historical geo split: the national optimiser on each channel's curve summed over its geos at
///   their current shares (`SplitChannelDraws`); cells get share × the channel's total.
public final class GeoOptimizer {
    public let model: GeoResponseDraws
    public let problem: GeoBudgetProblem
    public let options: SolverOptions
    /// The national optimiser over the cells (named `geo/channel`), with the cell bounds and fixed
    /// cells; it also evaluates any cell allocation (what-if, plan summaries).
    public let cellOptimizer: BudgetOptimizer
    /// Bounded channel totals and geo totals, per period (the group limits of the cell problem).
    let channelGroups: [SpendGroup]
    let geoGroups: [SpendGroup]
    /// Historical split: the optimiser over live channels and each channel's cells with shares.
    let splitOptimizer: BudgetOptimizer?
    let splitMembers: [[(cell: Int, share: Double)]]

    public init(model: GeoResponseDraws, problem: GeoBudgetProblem, options: SolverOptions = SolverOptions()) throws {
        try problem.validate(against: model)
        let ids = model.cellIDs, names = ids.map(\.name)
        guard Set(names).count == names.count else {
            throw OptimizationError("Two cells share the name \"geo\(GeoCell.separator)channel\" (a geo or channel name contains \"\(GeoCell.separator)\"); rename them.")
        }
        let current = model.currentSpend
        let index = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        var fixed: [String: Double] = [:]
        for cell in problem.fixedCells { fixed[cell.name] = current[index[cell]!] }
        let cellBounds = Dictionary(uniqueKeysWithValues: problem.cellBounds.map { ($0.key.name, $0.value) })
        let splitMode = problem.split == .historical
        let cellProblem = BudgetProblem(channelNames: names, budget: problem.budget, horizon: problem.horizon, currentSpend: current,
                                        bounds: splitMode ? [:] : cellBounds, fixed: splitMode ? [:] : fixed)
        cellOptimizer = try BudgetOptimizer(draws: model.cellDraws(), problem: cellProblem, options: options)
        self.model = model
        self.problem = problem
        self.options = options

        func groups(_ keys: [String], _ member: (GeoCell) -> String, _ bounds: [String: SpendBound], _ kind: String) throws -> [SpendGroup] {
            try keys.compactMap { key in
                guard let bound = bounds[key] else { return nil }
                let members = ids.indices.filter { member(ids[$0]) == key }
                let limits = try GeoBudgetProblem.limits(bound, current: members.reduce(0) { $0 + current[$1] }, what: "\(kind) \"\(key)\"")
                return SpendGroup(name: "\(kind) \"\(key)\"", members: members, lower: limits.lower, upper: limits.upper)
            }
        }
        channelGroups = splitMode ? [] : try groups(model.channelNames, \.channel, problem.channelBounds, "channel")
        geoGroups = try groups(model.geoNames, \.geo, problem.geoBounds, "geo")

        guard splitMode else {
            splitOptimizer = nil
            splitMembers = []
            return
        }
        // Each live channel's cells with their share of its current spend (of its training spend
        // when it is dark everywhere in the current window).
        let live = model.channelNames.filter { c in ids.contains { $0.channel == c } }
        var members: [[(cell: Int, share: Double)]] = []
        for channel in live {
            let cells = ids.indices.filter { ids[$0].channel == channel }
            let now = cells.reduce(0) { $0 + current[$1] }
            let basis = now > 0 ? cells.map { current[$0] } : cells.map { model.cells[$0].historicalSpend }
            let total = basis.reduce(0, +)
            members.append(zip(cells, basis).map { ($0, $1 / total) })
        }
        splitMembers = members
        let channelCurrent = members.map { m in m.reduce(0) { $0 + current[$1.cell] } }
        let fixedChannels = Set(problem.fixedCells.map(\.channel))
        let channelProblem = BudgetProblem(channelNames: live, budget: problem.budget, horizon: problem.horizon, currentSpend: channelCurrent,
                                           bounds: problem.channelBounds.filter { live.contains($0.key) },
                                           fixed: Dictionary(uniqueKeysWithValues: zip(live, channelCurrent).filter { fixedChannels.contains($0.0) }))
        splitOptimizer = try BudgetOptimizer(draws: SplitChannelDraws(cells: model.cellDraws(), channelNames: live, members: members),
                                             problem: channelProblem, options: options)
    }

    /// Whether channel or geo totals are limited (the grouped solver runs).
    var hasGroupLimits: Bool { !(channelGroups.isEmpty && geoGroups.isEmpty) }

    /// Cells' spend per period for channel totals per period of the split mode.
    func cellsFromChannels(_ totals: [Double]) -> [Double] {
        var s = [Double](repeating: 0, count: model.cells.count)
        for (c, m) in splitMembers.enumerated() { for (cell, share) in m { s[cell] = share * totals[c] } }
        return s
    }

    /// The cell feasible set at `budget` with every group limit, after checking that the limits
    /// can meet: each group within its cells' own limits, and each family's totals around the budget.
    func groupedSet(budget: Double? = nil) throws -> GroupedFeasibleSet {
        let base = try cellOptimizer.feasibleSet(budget: budget)
        let tolerance = 1e-12 * max(base.total, 1)
        var families: [[SpendGroup]] = []
        for (family, all) in [(channelGroups, model.channelNames.map { c in model.cellIDs.indices.filter { model.cellIDs[$0].channel == c } }),
                              (geoGroups, model.geoNames.map { g in model.cellIDs.indices.filter { model.cellIDs[$0].geo == g } })] {
            guard !family.isEmpty else { continue }
            var low = 0.0, high = 0.0
            var tightened: [SpendGroup] = []
            for members in all where !members.isEmpty {
                let own = (members.reduce(0) { $0 + base.lower[$1] }, members.reduce(0) { $0 + base.upper[$1] })
                var g = family.first { $0.members == members } ?? SpendGroup(name: "", members: members, lower: 0, upper: .infinity)
                if g.lower > own.1 + tolerance || g.upper < own.0 - tolerance {
                    throw OptimizationError("The \(g.name) total must lie between \(format(g.lower)) and \(format(g.upper)) per period, but its cells' own limits allow only \(format(own.0)) to \(format(own.1)).")
                }
                g.lower = max(g.lower, own.0)
                g.upper = min(g.upper, own.1)
                low += g.lower
                high += g.upper
                if !g.name.isEmpty { tightened.append(g) }
            }
            let kind = family[0].name.hasPrefix("geo") ? "geos'" : "channels'"
            if low > base.total + tolerance || high < base.total - tolerance {
                let n = problem.horizon.periods
                throw OptimizationError("The \(kind) limits allow \(format(low * Double(n))) to \(format(high * Double(n))) over \(n) period\(n == 1 ? "" : "s") in total, which does not include the budget of \(format(base.total * Double(n))). Widen the limits or change the budget.")
            }
            families.append(tightened)
        }
        let set = GroupedFeasibleSet(base: base, families: families)
        guard set.projectReporting(cellOptimizer.problem.currentSpend).feasible else {
            throw OptimizationError("No allocation meets the cell, channel and geo limits and the budget at once; widen some limits.")
        }
        return set
    }

    /// The best cell allocation (spend per period) for `objective` at `budget` (the problem's when nil).
    public func solve(_ objective: Objective, budget: Double? = nil) throws -> Solution {
        if let split = splitOptimizer {
            let s = try split.solve(objective, budget: budget)
            return Solution(allocation: cellsFromChannels(s.allocation), objectiveValue: s.objectiveValue, certificate: s.certificate)
        }
        guard hasGroupLimits else { return try cellOptimizer.solve(objective, budget: budget) }
        return solveGrouped(objective, set: try groupedSet(budget: budget), budget: budget)
    }

    /// Multi-start projected gradient on the grouped set (see the type's comment).
    func solveGrouped(_ objective: Objective, set: GroupedFeasibleSet, budget: Double?) -> Solution {
        let opt = cellOptimizer
        let evaluator = JointEvaluator(horizon: opt.horizon, objective: objective)
        var rng = SeededRandom(seed: options.seed ^ 0x6E0)
        var starts: [[Double]] = []
        if let relaxed = try? opt.solve(objective, budget: budget) { starts.append(relaxed.allocation) }
        starts.append(opt.problem.currentSpend)
        var equal = set.base.lower
        for c in set.free { equal[c] += set.freeBudget / Double(max(set.free.count, 1)) }
        starts.append(equal)
        for _ in 0..<(options.randomStarts + 2) {
            var split = set.base.lower
            let weights = set.free.map { _ in -log(max(rng.uniform(), 1e-300)) }
            let total = weights.reduce(0, +)
            for (i, c) in set.free.enumerated() { split[c] += set.freeBudget * weights[i] / total }
            starts.append(split)
        }
        var startValues: [Double] = [], best: [Double] = [], bestValue = -Double.infinity, iterations = 0
        for start in starts {
            let r = opt.projectedAscent(evaluator, set: set, start: start, maxIterations: options.maxGradientIterations)
            iterations += r.iterations
            startValues.append(r.value)
            if r.value > bestValue { bestValue = r.value; best = r.allocation }
        }
        let refined = opt.projectedAscent(evaluator, set: set, start: best, maxIterations: options.maxGradientIterations)
        iterations += refined.iterations
        let (s, value) = refined.value >= bestValue ? (refined.allocation, refined.value) : (best, bestValue)
        let residual = stationarityResidual(s, evaluator: evaluator, set: set)
        var certificate = OptimalityCertificate(method: "multistart-projected-gradient+group-limits", multiplier: nil, kktResidual: nil,
                                                boundMultipliersValid: nil, globalValue: bestValue, refinedValue: value,
                                                gap: value - bestValue, startValues: startValues, iterations: iterations,
                                                converged: residual <= Self.stationarityTolerance)
        certificate.projectedGradientResidual = residual
        return Solution(allocation: s, objectiveValue: value, certificate: certificate)
    }

    /// A projected-gradient residual this small (a step of 0.1 % of the free budget along the
    /// gradient moves the plan by under 1e-5 of that step once projected back) counts as converged.
    public static let stationarityTolerance = 1e-5

    /// ‖Π(s + η∇f) − s‖∞ / (η·‖∇f‖∞) with η·‖∇f‖∞ = 0.1 % of the free budget: zero exactly when s is
    /// a KKT point of the objective on the set (for the mean with concave curves: the optimum),
    /// and at most 1 otherwise.
    func stationarityResidual(_ s: [Double], evaluator: JointEvaluator, set: GroupedFeasibleSet) -> Double {
        let g = evaluator.valueAndGradient(at: s).gradient
        let gmax = set.free.map { abs(g[$0]) }.max() ?? 0
        guard gmax > 0, set.freeBudget > 0 else { return 0 }
        let step = 1e-3 * set.freeBudget
        let eta = step / gmax
        let p = set.project(s.indices.map { s[$0] + eta * g[$0] })
        return s.indices.map { abs(p[$0] - s[$0]) }.max()! / step
    }
}
