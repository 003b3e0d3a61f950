/// What a planner must be told about a plan's returns, whatever else the table shows.
extension PlanSummary {
    /// One sentence each: every spending channel returns less than it costs (ROAS < 1), or
    /// every channel's next unit of spend does (marginal ROAS < 1). Both read in the target's
    /// units per unit of currency, so they mean a loss when the target is revenue in that
    /// currency; for conversions or units, compare with what one is worth instead.
    public var returnWarnings: [String] {
        let spending = channels.filter { $0.spendPerPeriod > 0 }
        guard !spending.isEmpty else { return [] }
        var warnings: [String] = []
        if spending.allSatisfy({ $0.roas < 1 }) {
            warnings.append("every channel's ROAS is below 1 (at most \(String(format: "%.3g", spending.map(\.roas).max()!))): "
                + "if the target is revenue in the spend's currency, each channel returns less than it costs.")
        }
        if spending.allSatisfy({ $0.marginalROAS < 1 }) {
            warnings.append("every channel's marginal ROAS is below 1 (at most \(String(format: "%.3g", spending.map(\.marginalROAS).max()!))): "
                + "if the target is revenue in the spend's currency, the last unit spent returns less than it costs everywhere, so spending less would lose less than it saves.")
        }
        return warnings
    }
}

extension BudgetFrontier {
    /// Per point, the extra objective value per extra unit of budget since the point before:
    /// (value_i − value_{i−1}) / (budget_i − budget_{i−1}); nil for the first point.
    public var marginalReturns: [Double?] {
        points.indices.map { i in
            guard i > 0, points[i].budget > points[i - 1].budget else { return nil }
            return (points[i].objectiveValue - points[i - 1].objectiveValue) / (points[i].budget - points[i - 1].budget)
        }
    }
}
