import Foundation

// `Interval` (mean and 3 %–97 % quantiles over draws) is MixModel's, shared with the posterior summaries.

/// One channel's line of a plan.
public struct ChannelPlan: Codable, Sendable, Equatable {
    public var channel: String
    /// Spend per period, and over the horizon (× H).
    public var spendPerPeriod: Double
    public var spendOverHorizon: Double
    /// Share of the plan's total spend.
    public var share: Double
    public var currentSpendPerPeriod: Double
    public var isFixed: Bool
    /// Horizon response of this channel (see `HorizonSettings`), mean and 94 % interval. It
    /// includes the carry-over of spend before the plan (`fromEarlierSpend`).
    public var response: Interval
    /// The part of `response` that spend before the plan carries into the horizon: the mean
    /// response with nothing spent in the plan (nil in plans saved by older versions).
    public var fromEarlierSpend: Double?
    /// What the plan's own spend adds, per currency: (mean response − `fromEarlierSpend`) /
    /// spend over the horizon (0 when nothing is spent). Spend before the plan is not this
    /// plan's return, so its carry-over is left out.
    public var roas: Double
    /// Marginal ROAS: extra mean horizon response per extra currency spent over the horizon,
    /// d response / d(H·s) = (d response / d s) / H. +∞ where it is unbounded (zero spend on a
    /// Hill curve with S < 1); shown as "unbounded", never as a number.
    public var marginalROAS: Double
    /// The per-period spend limits the optimiser held this channel to (its bound, fixed spend
    /// or minimum share, capped by the budget), so writers show the bounds the plan used and
    /// never re-derive them from the config. Nil for what-if plans and in plans saved by older versions.
    public var lowerBound: Double? = nil
    public var upperBound: Double? = nil
}

/// The response distribution an allocation buys, and how it compares with current spend.
public struct PlanSummary: Codable, Sendable, Equatable {
    public var periods: Int
    public var countsCarryoverTail: Bool
    public var channels: [ChannelPlan]
    /// Total spend over the horizon.
    public var totalSpend: Double
    /// Total horizon response, mean and 94 % interval.
    public var response: Interval
    /// The same at current spend over the same horizon.
    public var currentResponse: Interval
    /// Per-draw difference plan − current: mean and 94 % interval.
    public var change: Interval
    /// Share of draws in which the plan's response exceeds the current plan's.
    public var probabilityBetter: Double
    /// What `probabilityBetter` assumes, shown beside it (`PlanningResults.caveat`): the fit did
    /// not converge, or the plan moves spend on channels the data did not inform. Nil when
    /// neither, or when no one has judged the fit yet.
    public var caveat: String? = nil
    /// What the plan's total spend adds per currency: (mean total response − `fromEarlierSpend`)
    /// / total spend over the horizon.
    public var roas: Double
    /// The part of `response` carried over from spend before the plan (mean, all channels; nil
    /// in plans saved by older versions).
    public var fromEarlierSpend: Double?
    /// Mass of this plan's intervals (nil in plans saved by older versions, which used 94 %), so
    /// the report labels them from the plan rather than assuming.
    public var intervalMass: Double? = nil
}

/// The answer to an optimisation: the plan, the objective it reaches and the certificate.
public struct OptimizationResult: Codable, Sendable, Equatable {
    public var objective: String
    public var budget: Double
    public var objectiveValue: Double
    public var plan: PlanSummary
    public var certificate: OptimalityCertificate
}

extension BudgetOptimizer {
    /// Summary of any allocation (spend per period per channel) against current spend. Spends
    /// below a billionth of the total (a solver's rounding residue, e.g. 4.5e-13) count as 0.
    public func summarize(_ solved: [Double]) -> PlanSummary {
        let scale = max(1, solved.reduce(0) { $0 + abs($1) })
        let allocation = solved.map { abs($0) < 1e-9 * scale ? 0 : $0 }
        let n = horizon.channelCount
        let h = Double(problem.horizon.periods)
        let totalPerPeriod = allocation.reduce(0, +)
        var channels: [ChannelPlan] = []
        var planTotals = [Double](repeating: 0, count: horizon.drawCount)
        var currentTotals = planTotals
        var earlierTotal = 0.0
        for c in 0..<n {
            var values = [Double](repeating: 0, count: horizon.drawCount)
            let mean = values.withUnsafeMutableBufferPointer {
                horizon.evaluate(channel: c, spend: allocation[c], values: $0, slopes: nil)
            }
            let slope = horizon.mean(channel: c, spend: allocation[c]).slope
            let current = horizon.channelDraws(c, spend: problem.currentSpend[c])
            let earlier = horizon.mean(channel: c, spend: 0).value
            earlierTotal += earlier
            for d in 0..<horizon.drawCount {
                planTotals[d] += values[d]
                currentTotals[d] += current[d]
            }
            let spend = allocation[c] * h
            channels.append(ChannelPlan(
                channel: problem.channelNames[c], spendPerPeriod: allocation[c], spendOverHorizon: spend,
                share: totalPerPeriod > 0 ? allocation[c] / totalPerPeriod : 0,
                currentSpendPerPeriod: problem.currentSpend[c], isFixed: problem.fixed[problem.channelNames[c]] != nil,
                response: Interval(draws: values), fromEarlierSpend: earlier, roas: spend > 0 ? (mean.value - earlier) / spend : 0,
                marginalROAS: slope >= ChannelDraws.unboundedSlope ? .infinity : slope / h))
        }
        let change = zip(planTotals, currentTotals).map { $0 - $1 }
        let response = Interval(draws: planTotals)
        let totalSpend = totalPerPeriod * h
        return PlanSummary(periods: problem.horizon.periods, countsCarryoverTail: problem.horizon.countCarryoverTail,
                           channels: channels, totalSpend: totalSpend, response: response,
                           currentResponse: Interval(draws: currentTotals), change: Interval(draws: change),
                           probabilityBetter: Double(change.filter { $0 > 0 }.count) / Double(change.count),
                           roas: totalSpend > 0 ? (response.mean - earlierTotal) / totalSpend : 0, fromEarlierSpend: earlierTotal,
                           intervalMass: Interval.defaultMass)
    }

    /// Solves and summarises: the allocation, its distribution, and the certificate.
    public func optimize(_ objective: Objective, budget: Double? = nil) throws -> OptimizationResult {
        let solution = try solve(objective, budget: budget)
        var plan = summarize(solution.allocation)
        let limits = try feasibleSet(budget: budget)
        for c in plan.channels.indices {
            plan.channels[c].lowerBound = limits.lower[c]
            plan.channels[c].upperBound = limits.upper[c]
        }
        return OptimizationResult(objective: objective.description, budget: budget ?? problem.budget,
                                  objectiveValue: solution.objectiveValue, plan: plan, certificate: solution.certificate)
    }
}
