import Foundation
import MixModel

/// A plan over a geo model's cells as `plan.json` holds it: each cell with its `geo` and `channel`,
/// the national channel totals and the geo totals (their responses summed over cells draw by draw,
/// so the intervals carry the cells' joint uncertainty), and the whole plan's figures.
public struct GeoPlan: Codable, Sendable, Equatable {
    /// One cell's line (the national `ChannelPlan` of the cell, with geo and channel apart).
    public struct Cell: Codable, Sendable, Equatable {
        public var geo: String
        public var channel: String
        public var spendPerPeriod: Double
        public var spendOverHorizon: Double
        public var currentSpendPerPeriod: Double
        public var isFixed: Bool
        public var response: Interval
        public var roas: Double
        public var marginalROAS: Double
        /// The per-period limits the optimiser held the cell to (nil for what-ifs).
        public var lowerBound: Double?
        public var upperBound: Double?
    }

    /// A channel's total over geos, or a geo's total over channels.
    public struct Total: Codable, Sendable, Equatable {
        public var name: String
        public var spendPerPeriod: Double
        public var currentSpendPerPeriod: Double
        /// Horizon response of the group's cells under the plan, and its per-draw change against current spend.
        public var response: Interval
        public var change: Interval
        /// Share of draws in which the group's cells do better than at current spend.
        public var probabilityBetter: Double
    }

    /// `cells` (one budget over geo × channel cells) or `historical` (national plan, each
    /// channel split across geos as now).
    public var split: GeoSplit
    /// Nil for what-ifs.
    public var objective: String?
    public var budget: Double?
    public var objectiveValue: Double?
    public var certificate: OptimalityCertificate?
    public var cells: [Cell]
    /// National channel totals (over geos).
    public var channels: [Total]
    /// Geo totals (over channels).
    public var geos: [Total]
    /// The whole plan: total spend, response, change against current, probability better,
    /// ROAS (its `channels` are the cells, named `geo/channel`).
    public var plan: PlanSummary
}

extension GeoOptimizer {
    /// Solves and summarises: cells, channel and geo totals, and the certificate.
    public func optimize(_ objective: Objective, budget: Double? = nil) throws -> GeoPlan {
        let solution = try solve(objective, budget: budget)
        var out = plan(solution.allocation)
        out.objective = objective.description
        out.budget = budget ?? problem.budget
        out.objectiveValue = solution.objectiveValue
        out.certificate = solution.certificate
        let limits = try cellLimits(budget: budget)
        for i in out.cells.indices {
            out.cells[i].lowerBound = limits.lower[i]
            out.cells[i].upperBound = limits.upper[i]
        }
        return out
    }

    /// What-if: the plan's figures for any cell allocation (spend per period in `model.cells`
    /// order; any total).
    public func whatIf(_ spend: [Double]) throws -> GeoPlan {
        _ = try cellOptimizer.whatIf(spend)
        return plan(spend)
    }

    /// Per-cell limits the plan was held to: the cell's own; in the historical split, its share
    /// of its channel's.
    func cellLimits(budget: Double?) throws -> (lower: [Double], upper: [Double]) {
        guard let split = splitOptimizer else {
            let set = try cellOptimizer.feasibleSet(budget: budget)
            return (set.lower, set.upper)
        }
        let set = try split.feasibleSet(budget: budget)
        return (cellsFromChannels(set.lower), cellsFromChannels(set.upper))
    }

    /// The figures of a cell allocation (spend per period per cell).
    func plan(_ allocation: [Double]) -> GeoPlan {
        let summary = cellOptimizer.summarize(allocation)
        let ids = model.cellIDs
        let cells = zip(ids, summary.channels).map { id, line in
            GeoPlan.Cell(geo: id.geo, channel: id.channel, spendPerPeriod: line.spendPerPeriod, spendOverHorizon: line.spendOverHorizon,
                         currentSpendPerPeriod: line.currentSpendPerPeriod, isFixed: line.isFixed, response: line.response,
                         roas: line.roas, marginalROAS: line.marginalROAS)
        }
        let horizon = cellOptimizer.horizon
        let current = cellOptimizer.problem.currentSpend
        let planDraws = ids.indices.map { horizon.channelDraws($0, spend: summary.channels[$0].spendPerPeriod) }
        let currentDraws = ids.indices.map { horizon.channelDraws($0, spend: current[$0]) }
        func total(_ name: String, _ members: [Int]) -> GeoPlan.Total {
            var now = [Double](repeating: 0, count: horizon.drawCount), then = now
            for i in members {
                for d in 0..<horizon.drawCount {
                    now[d] += planDraws[i][d]
                    then[d] += currentDraws[i][d]
                }
            }
            let change = zip(now, then).map { $0 - $1 }
            return GeoPlan.Total(name: name, spendPerPeriod: members.reduce(0) { $0 + summary.channels[$1].spendPerPeriod },
                                 currentSpendPerPeriod: members.reduce(0) { $0 + current[$1] },
                                 response: Interval(draws: now), change: Interval(draws: change),
                                 probabilityBetter: Double(change.filter { $0 > 0 }.count) / Double(max(change.count, 1)))
        }
        return GeoPlan(split: problem.split, objective: nil, budget: nil, objectiveValue: nil, certificate: nil, cells: cells,
                       channels: model.channelNames.map { c in total(c, ids.indices.filter { ids[$0].channel == c }) },
                       geos: model.geoNames.map { g in total(g, ids.indices.filter { ids[$0].geo == g }) },
                       plan: summary)
    }

    /// Best response and band as the total budget varies from `from` to `to` times current spend
    /// (allocations per cell). Without group limits this is the national frontier over cells.
    public func frontier(_ objective: Objective, from: Double = 0.5, to: Double = 2.0, steps: Int = 20) throws -> BudgetFrontier {
        if let split = splitOptimizer {
            var f = try split.frontier(objective, from: from, to: to, steps: steps)
            f.channels = model.cellIDs.map(\.name)
            for i in f.points.indices { f.points[i].allocation = cellsFromChannels(f.points[i].allocation) }
            return f
        }
        guard hasGroupLimits else { return try cellOptimizer.frontier(objective, from: from, to: to, steps: steps) }
        guard steps >= 2, from > 0, to > from else {
            throw OptimizationError("The frontier needs at least 2 steps over an increasing positive range; got \(steps) steps from \(from) to \(to).")
        }
        let horizon = cellOptimizer.horizon
        let reference = cellOptimizer.currentBudget > 0 ? cellOptimizer.currentBudget : problem.budget
        var points: [FrontierPoint] = [], skipped: [String] = []
        for i in 0..<steps {
            let fraction = from + (to - from) * Double(i) / Double(steps - 1)
            let budget = reference * fraction
            do {
                let s = solveGrouped(objective, set: try groupedSet(budget: budget), budget: budget)
                points.append(FrontierPoint(fractionOfCurrent: fraction, budget: budget, allocation: s.allocation,
                                            objectiveValue: s.objectiveValue, response: Interval(draws: horizon.totals(s.allocation))))
            } catch let error as OptimizationError {
                skipped.append("\(format(budget)): \(error.message)")
            }
        }
        let earlier = (0..<horizon.channelCount).reduce(0.0) { $0 + horizon.mean(channel: $1, spend: 0).value }
        return BudgetFrontier(objective: objective.description, channels: model.cellIDs.map(\.name), currentBudget: reference,
                              points: points, skipped: skipped, fromEarlierSpend: earlier)
    }
}
