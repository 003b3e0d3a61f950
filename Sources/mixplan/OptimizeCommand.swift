import ArgumentParser
import Foundation
import MixData
import MixModel
import MixOptimize

/// `mixplan optimize`: the best allocation of a budget under the posterior.
struct OptimizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize",
        abstract: "Allocate a budget across channels under saturation and uncertainty.",
        discussion: """
        Finds the spend per period per channel that maximises the objective over the horizon, \
        evaluated on every posterior draw, and prints the allocation, the response it buys with a \
        94 % interval, the change against the current plan (mean spend of the last 4 periods) with \
        the probability that the new plan does better, marginal ROAS per channel, and the \
        optimality certificate (KKT residual for the mean objective; best-vs-refined gap otherwise).

        Objectives: mean (expected response), mean-sd:K (mean − K·sd), var:Q (the Q quantile, \
        e.g. var:0.05), cvar:Q (mean of the worst Q share of draws).
        Bounds: per channel, absolute `tv=500:2000` — spend PER PERIOD, whereas --budget is the \
        TOTAL over the horizon (--periods) — or relative to current spend `search=±30%` (also \
        written +-30%, +/-30% or 30%: always both ways, within 30 % of current spend; `+30%` \
        and `-30%` are refused because they read as one-sided — use min:max for that), or a \
        CSV file with columns channel,min,max (per period; `±30%` in min with max empty). \
        Without --bounds every channel stays within ±optimizer.relative_bound (a fraction; \
        default 0.3 = ±30 %) of its current spend.

        \(CLISupport.exitCodesHelp(one: nil))
        """
    )

    @OptionGroup var options: ModelOptions

    @Option(parsing: .unconditional, help: "Total budget over the horizon (default: optimizer.budget, else current total spend per period × periods).")
    var budget: Double?

    @Option(help: "Bounds per channel: tv=500:2000 (spend per period) or search=±30% (of current spend), or a CSV file with channel,min,max.")
    var bounds: String?

    @Option(help: "mean | mean-sd:K | var:Q | cvar:Q (default: optimizer.objective).")
    var objective: String?

    @Option(help: "Channels held at their current spend, comma-separated.")
    var fix: String?

    @OptionGroup(title: "Portfolio (models of a `mixplan batch` run)")
    var portfolio: PortfolioOptions

    func validate() throws {
        if (options.model == nil) == (portfolio.portfolio == nil) {
            throw ValidationError("Give exactly one of --model MODEL_DIR or --portfolio M.csv --runs DIR.")
        }
    }

    func run() throws {
        try CLISupport.run {
            try FlagChecks.amount(budget, flag: "--budget")
            if let manifest = portfolio.portfolio { return try runPortfolio(manifest: manifest) }
            let (fitted, draws, horizon) = try options.load()
            let goal = try asInputError("--objective") { try Objective.parse(objective ?? fitted.config.optimizer.objective) }
            // The config's problem (budget, ±relative_bound, fixed channels), then the flags.
            var problem = try DefaultPlan.problem(for: fitted, horizon: horizon, budget: budget)
            try applyFlags(to: &problem)
            var result = try asInputError("the budget problem") {
                try BudgetOptimizer(draws: draws, problem: problem).optimize(goal)
            }
            result.plan.caveat = PlanningResults.caveat(for: result.plan, model: fitted)
            print(options.json ? try ResultJSON.encode(result) : result.renderTable())
        }
    }

    /// --bounds and --fix on top of the config's problem.
    func applyFlags(to problem: inout BudgetProblem) throws {
        let names = problem.channelNames
        if let bounds {
            let parsed: [String: SpendBound]
            if bounds.hasSuffix(".csv") {
                guard let text = try? String(contentsOfFile: bounds, encoding: .utf8) else {
                    throw InputError(InputLocation(file: bounds), "cannot be read (missing, unreadable or not UTF-8).")
                }
                parsed = try PlanSpecs.parseBoundsCSV(text, channels: names, file: bounds)
            } else {
                parsed = try PlanSpecs.parseBounds(bounds, channels: names)
            }
            problem.bounds.merge(parsed) { $1 }
        }
        if let fix {
            let held = try PlanSpecs.parseChannelList(fix, channels: names)
            problem.fixed = Dictionary(held.map { ($0, problem.currentSpend[names.firstIndex(of: $0)!]) }) { first, _ in first }
        }
    }
}
