import Foundation

extension PlanSummary {
    /// True when every channel's spend equals its current spend (to 1e-9 of the total spend):
    /// the plan is "keep as is", so its change is zero in every draw and a probability of
    /// beating current spend means nothing. Outputs say "no change" instead of "0 %".
    public var keepsCurrentSpend: Bool {
        let tolerance = 1e-9 * max(1, totalSpend)
        return channels.allSatisfy { abs($0.spendPerPeriod - $0.currentSpendPerPeriod) <= tolerance }
    }
}
