import Foundation
import MixModel

/// The plan a scheduled run makes without being asked anything: the budget, bounds, fixed
/// channels and objective of the model's `optimizer:` config section (DESIGN.md §5), the
/// frontier over the budgets the bounds allow, and the current plan as the first scenario.
public enum DefaultPlan {
    /// Budget over the horizon when the config names none: current total spend per period
    /// (`FittedModel.currentSpend`), times the horizon.
    public static func budget(for model: FittedModel) -> Double {
        let cfg = model.config.optimizer
        return cfg.budget ?? model.currentSpend().reduce(0, +) * Double(cfg.periods)
    }

    /// The budget problem the config describes (every channel within ±relative_bound of its
    /// current spend; `fixed` channels held at current spend). `horizon` and `budget` replace
    /// the config's when given (a command line's flags).
    public static func problem(for model: FittedModel, horizon: HorizonSettings? = nil,
                               budget total: Double? = nil) throws -> BudgetProblem {
        let cfg = model.config.optimizer
        let horizon = horizon ?? HorizonSettings(periods: cfg.periods, countCarryoverTail: cfg.includeCarryover)
        let names = model.dataset.channelNames
        let current = model.currentSpend()
        let configFile = model.config.path.isEmpty ? "config" : model.config.path
        guard horizon.periods >= 1 else {
            throw InputError(InputLocation(file: configFile, key: "optimizer.periods"),
                             "the horizon must be at least 1 period, got \(horizon.periods).")
        }
        var fixed: [String: Double] = [:]
        for name in cfg.fixed {
            guard let c = names.firstIndex(of: name) else {
                throw InputError(InputLocation(file: configFile, key: "optimizer.fixed"),
                                 "names channel \"\(name)\", which the data does not have; channels are \(names.joined(separator: ", ")).")
            }
            fixed[name] = current[c]
        }
        let bounds = Dictionary(uniqueKeysWithValues: names.map { ($0, SpendBound.relative(fraction: cfg.relativeBound)) })
        let budget = total ?? cfg.budget ?? current.reduce(0, +) * Double(horizon.periods)
        return BudgetProblem(channelNames: names, budget: budget, horizon: horizon,
                             currentSpend: current, bounds: bounds, fixed: fixed)
    }

    /// Channels with no recent spend that relative bounds hold at zero: the plan cannot move
    /// budget to them, and a planner should know why.
    /// `window` names the current-spend window ("the last 4 weeks").
    public static func pausedChannelWarnings(_ problem: BudgetProblem, window: String) -> [String] {
        zip(problem.channelNames, problem.currentSpend).compactMap { name, spend in
            guard spend == 0, problem.fixed[name] == nil, case .relative(let fraction)? = problem.bounds[name] else { return nil }
            return "\(name) had no spend in \(window), so its ±\(Int((fraction * 100).rounded())) % bound holds it at zero in every plan; "
                + "give it an absolute bound (optimize --bounds \(name)=MIN:MAX) if the plan should consider it."
        }
    }
}
