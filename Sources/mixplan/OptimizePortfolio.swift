import Foundation
import MixData
import MixOptimize
import MixResults

extension OptimizeCommand {
    /// `optimize --portfolio`: one budget across the manifest's models × channels. The budget
    /// is --budget, else the budget group's manifest budget, else the models' current total
    /// spend over the horizon; each model keeps its config's bounds and fixed channels, then
    /// --bounds and --fix apply to `model/channel` names.
    func runPortfolio(manifest: String) throws {
        let loaded = try portfolio.load(manifestPath: manifest, periods: options.periods, noCarryover: options.noCarryover)
        let goal = try PortfolioOptions.objective(objective, loaded)
        let total = budget ?? loaded.manifestBudget ?? loaded.portfolio.currentBudget
        var problem = loaded.portfolio.problem(budget: total)
        try applyFlags(to: &problem)
        let result = try asInputError("the portfolio's budget problem") {
            try BudgetOptimizer(draws: loaded.portfolio.jointDraws(), problem: problem).optimize(goal)
        }
        let output = PortfolioPlanOutput(models: loaded.portfolio.modelTotals(result.plan), result: result, plan: nil)
        print(options.json ? try ResultJSON.encode(output) : output.renderTable(periods: problem.horizon.periods))
    }
}
