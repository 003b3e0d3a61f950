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

    /// Optimises the configured problem and gathers everything the outputs show. A budget the
    /// bounds cannot meet is bad input (thrown as `InputError` naming the config keys); frontier
    /// budgets the bounds rule out are listed in the frontier, not fatal. The plan, its scenarios
    /// and frontier use every posterior draw, as `mixplan optimize` and `whatif` do, so a pack
    /// and the CLI give the same figures; `maxDraws` thins only the posterior summaries and curves.
    public static func run(model: FittedModel, maxDraws: Int = 1000, frontierSteps: Int = 13,
                           warnings: [String] = []) throws -> PlanningResults {
        let configFile = model.config.path.isEmpty ? "config" : model.config.path
        let objective = model.config.optimizer.objective
        let draws = ParametricResponseDraws(model: model)
        let problem = try problem(for: model)
        do {
            let optimizer = try BudgetOptimizer(draws: draws, problem: problem)
            let result = try optimizer.optimize(objective)
            // Budgets the relative bounds can meet: (1 ± bound) × current, within 50 %–200 %.
            let bound = model.config.optimizer.relativeBound
            let frontier = bound >= 0.01 && frontierSteps >= 2
                ? try optimizer.frontier(objective, from: max(0.5, 1 - bound), to: min(2.0, 1 + bound), steps: frontierSteps)
                : nil
            let current = try optimizer.whatIf(problem.currentSpend)
            let scenarios = [Scenario(name: "Current plan (mean of \(model.currentWindowText))", plan: current),
                             Scenario(name: "Recommended plan", plan: result.plan)]
            return PlanningResults(model: model, optimization: result, frontier: frontier,
                                   scenarios: scenarios, warnings: warnings + pausedChannelWarnings(problem, window: model.currentWindowText), maxDraws: maxDraws)
        } catch let error as OptimizationError {
            throw InputError(InputLocation(file: configFile, key: "optimizer"), error.message,
                             hint: "Check optimizer.budget, optimizer.relative_bound and optimizer.fixed.")
        }
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
