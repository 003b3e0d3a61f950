import Foundation
import MixOptimize

extension DefaultPlan {
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
}
