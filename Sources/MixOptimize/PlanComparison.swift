import MixModel

/// One plan against another on the same posterior draws: what `whatif --against` prints.
public struct PlanComparison: Codable, Sendable, Equatable {
    /// What the plan is compared with (a file name, or "current spend").
    public var baseline: String
    /// Total horizon response of the baseline, mean and 94 % interval.
    public var baselineResponse: Interval
    /// Per-draw difference plan − baseline: mean and 94 % interval.
    public var change: Interval
    /// Share of draws in which the plan's total response exceeds the baseline's.
    public var probabilityBetter: Double
}

extension BudgetOptimizer {
    /// `plan` against `baseline` (both spend per period per channel), draw by draw over the
    /// horizon, as `PlanSummary` compares a plan with current spend.
    public func compare(_ plan: [Double], against baseline: [Double], name: String) -> PlanComparison {
        let a = horizon.totals(plan), b = horizon.totals(baseline)
        let change = zip(a, b).map { $0 - $1 }
        return PlanComparison(baseline: name, baselineResponse: Interval(draws: b), change: Interval(draws: change),
                              probabilityBetter: Double(change.filter { $0 > 0 }.count) / Double(change.count))
    }
}
