import Foundation

/// A per-channel limit on spend per period: absolute currency, or relative to current spend.
public enum SpendBound: Codable, Sendable, Equatable {
    /// Spend per period in [min, max] currency.
    case absolute(min: Double, max: Double)
    /// Spend per period within ±fraction of current spend (0.3 means ±30 %).
    case relative(fraction: Double)
}

/// Why a budget problem cannot be solved as stated. Prints as one paragraph naming the conflict.
public struct OptimizationError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The allocation question of issue 5: split `budget` (currency over the whole horizon, fixed
/// channels included) across channels, spend constant per period within the horizon.
public struct BudgetProblem: Codable, Sendable {
    public var channelNames: [String]
    /// Total spend over the horizon, all channels (fixed ones included).
    public var budget: Double
    public var horizon: HorizonSettings
    /// Current spend per period per channel: the steady history, and the baseline for
    /// "change versus current" and relative bounds.
    public var currentSpend: [Double]
    /// Bounds per channel name; channels not named are bounded only by 0 and the budget.
    public var bounds: [String: SpendBound]
    /// Channels held at a fixed spend per period (currency).
    public var fixed: [String: Double]
    /// Minimum share of the per-period budget per channel name (0…1).
    public var minimumShares: [String: Double]

    public init(channelNames: [String], budget: Double, horizon: HorizonSettings, currentSpend: [Double],
                bounds: [String: SpendBound] = [:], fixed: [String: Double] = [:], minimumShares: [String: Double] = [:]) {
        self.channelNames = channelNames
        self.budget = budget
        self.horizon = horizon
        self.currentSpend = currentSpend
        self.bounds = bounds
        self.fixed = fixed
        self.minimumShares = minimumShares
    }

    /// Budget per period.
    public var budgetPerPeriod: Double { budget / Double(horizon.periods) }

    /// Per-period lower and upper spend of every channel after bounds, fixed spend and minimum
    /// shares are combined; throws naming the conflict when they cannot meet the budget.
    public func resolvedBounds() throws -> (lower: [Double], upper: [Double]) {
        guard budget.isFinite, budget >= 0 else {
            throw OptimizationError("The budget must be a non-negative amount; got \(budget).")
        }
        guard horizon.periods >= 1 else {
            throw OptimizationError("The horizon must be at least 1 period; got \(horizon.periods).")
        }
        guard currentSpend.count == channelNames.count else {
            throw OptimizationError("Current spend has \(currentSpend.count) values for \(channelNames.count) channels (\(channelNames.joined(separator: ", "))).")
        }
        if let bad = currentSpend.firstIndex(where: { !($0 >= 0 && $0.isFinite) }) {
            throw OptimizationError("Current spend of channel \"\(channelNames[bad])\" must be a non-negative amount; got \(currentSpend[bad]).")
        }
        for name in Set(bounds.keys).union(fixed.keys).union(minimumShares.keys).sorted() where !channelNames.contains(name) {
            throw OptimizationError("Unknown channel \"\(name)\"; the model's channels are \(channelNames.joined(separator: ", ")).")
        }
        let perPeriod = budgetPerPeriod
        // Each channel's own limits first (upper = ∞ when only the budget limits it), so that a
        // budget outside what all channels together allow is reported as that, not blamed on one.
        var lower = [Double](repeating: 0, count: channelNames.count)
        var upper = [Double](repeating: .infinity, count: channelNames.count)
        for (c, name) in channelNames.enumerated() {
            switch bounds[name] {
            case .absolute(let lo, let hi)?:
                guard lo >= 0, hi >= lo, hi.isFinite else {
                    throw OptimizationError("Bounds of channel \"\(name)\" must satisfy 0 ≤ min ≤ max; got \(lo) to \(hi).")
                }
                lower[c] = lo
                upper[c] = hi
            case .relative(let f)?:
                guard f >= 0, f.isFinite else {
                    throw OptimizationError("Relative bound of channel \"\(name)\" must be a non-negative fraction; got \(f).")
                }
                lower[c] = max(0, currentSpend[c] * (1 - f))
                upper[c] = currentSpend[c] * (1 + f)
            case nil:
                break
            }
            if let share = minimumShares[name] {
                guard share >= 0, share <= 1 else {
                    throw OptimizationError("Minimum share of channel \"\(name)\" must lie in 0…1; got \(share).")
                }
                lower[c] = max(lower[c], share * perPeriod)
            }
            if let spend = fixed[name] {
                guard spend >= 0, spend.isFinite else {
                    throw OptimizationError("Fixed spend of channel \"\(name)\" must be a non-negative amount; got \(spend).")
                }
                lower[c] = spend
                upper[c] = spend
            }
            if lower[c] > upper[c] {
                throw OptimizationError("Channel \"\(name)\" cannot spend at least \(format(lower[c])) per period (its minimum share of the budget of \(format(perPeriod)) per period) and at most \(format(upper[c])) (its maximum).")
            }
        }
        let low = lower.reduce(0, +), high = upper.reduce(0, +)
        let tolerance = 1e-12 * max(perPeriod, 1)
        if low > perPeriod + tolerance {
            throw OptimizationError("The channels' minimum spends sum to \(format(low)) per period (\(overHorizon(low))), more than the budget of \(format(budget)); \(allowedBudgets(low, high)). Lower the minimums or raise the budget.")
        }
        if high < perPeriod - tolerance {
            throw OptimizationError("The channels' maximum spends sum to \(format(high)) per period (\(overHorizon(high))), less than the budget of \(format(budget)); \(allowedBudgets(low, high)). Raise the maximums or lower the budget.")
        }
        return (lower, upper.map { min($0, perPeriod) })
    }

    /// "5 over 1 period", "20 over 4 periods": a per-period amount over the whole horizon.
    private func overHorizon(_ perPeriod: Double) -> String {
        let n = horizon.periods
        return "\(format(perPeriod * Double(n))) over \(n) period\(n == 1 ? "" : "s")"
    }

    /// The budgets over the horizon the channels' limits allow (per-period sums `low`, `high`).
    private func allowedBudgets(_ low: Double, _ high: Double) -> String {
        let n = Double(horizon.periods)
        let shares = minimumShares.isEmpty ? "" : " (at this budget: minimum shares scale with it)"
        guard high.isFinite else { return "the budget over the horizon must be at least \(format(low * n))\(shares)" }
        return "the budget over the horizon must be between \(format(low * n)) and \(format(high * n))\(shares)"
    }
}

/// Currency and response amounts as people read them: up to 6 significant digits.
func format(_ x: Double) -> String {
    String(format: "%.6g", x)
}
