import ArgumentParser
import Foundation
import MixData
import MixModel
import MixOptimize
import MixResults

/// `mixplan optimize`: the best allocation of a budget under the posterior.
struct OptimizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize",
        abstract: "Allocate a budget across channels, or find how much to spend.",
        discussion: """
        Finds the spend per period per channel that maximises the objective over the horizon, \
        evaluated on every posterior draw, and prints the allocation, the response it buys with a \
        94 % interval, the change against the current plan (mean spend over \
        optimizer.current_window_days: the last 4 weeks or 28 days by default) with \
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

        How much to spend: --target-response R finds the least total budget whose best plan \
        reaches a total response R over the horizon — in expectation, or with --probability P \
        in a share P of the posterior draws; --min-marginal-roas M finds the most spend at which \
        every channel's marginal ROAS (extra response per extra unit of spend) is still ≥ M \
        (give 1 for "every last unit pays for itself" when the target is revenue in the spend's \
        currency). --frontier adds the best response at 50 %…200 % of current spend, with the \
        marginal return of each step. A warning follows the plan when every channel's ROAS or \
        marginal ROAS is below 1. Bounds apply here too (by default ±optimizer.relative_bound \
        of current spend per channel, so the answer stays near spend the data have seen); widen \
        them with --bounds to let it move further.

        On a geo model (fitted with data.geo_column) the plan is per geo × channel cell: --bounds \
        takes north/tv=500:2000 (a cell), tv=±20% (the channel's total over geos) or north=1000:5000 \
        (the geo's total over channels), or a CSV geo,channel,min,max (an empty geo or channel \
        bounds the other's total); --fix takes cells, channels or geos; --geo-split historical \
        optimises channel totals and splits each across geos as its current spend is split. \
        --json prints plan.json: cells with their geo, then national channel and geo totals.

        Examples:
          mixplan optimize --model model --budget 120000 --periods 4
          mixplan optimize --model model --target-response 2500000 --probability 0.8
          mixplan optimize --model model --min-marginal-roas 1 --frontier

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

    @Option(parsing: .unconditional, help: "Find the least budget whose best plan reaches this total response over the horizon (instead of --budget).")
    var targetResponse: Double?

    @Option(parsing: .unconditional, help: "With --target-response: reach it in this share of posterior draws (e.g. 0.8), not just in expectation.")
    var probability: Double?

    @Option(parsing: .unconditional, help: "Find the most spend at which every channel's marginal ROAS is still at least this (instead of --budget).")
    var minMarginalRoas: Double?

    @Flag(help: "Also print the budget frontier (50 %–200 % of current spend) with the marginal return of each step.")
    var frontier = false

    @Option(help: "Geo models: cells (one budget over geo × channel cells; the default) or historical (optimise channel totals, split across geos as now).")
    var geoSplit: String?

    func run() throws {
        try CLISupport.run {
            try FlagChecks.amount(budget, flag: "--budget")
            try checkGoalFlags()
            if let manifest = portfolio.portfolio { return try runPortfolio(manifest: manifest) }
            if GeoPlanning.isGeoModel(options.model!) { return try runGeo() }
            if geoSplit != nil { throw InputError(InputLocation(file: "--geo-split"), "only applies to a geo model (fitted with data.geo_column).") }
            let (fitted, draws, horizon) = try options.load()
            let goal = try objective.map { try Objective.parse($0) } ?? fitted.config.optimizer.objective
            // The config's problem (budget, ±relative_bound, fixed channels), then the flags.
            var problem = try DefaultPlan.problem(for: fitted, horizon: horizon, budget: budget)
            try applyFlags(to: &problem)
            let optimizer = try asInputError("the budget problem") { try BudgetOptimizer(draws: draws, problem: problem) }
            // Channels dark in the current-spend window cannot move under relative bounds: say so.
            for warning in DefaultPlan.pausedChannelWarnings(problem, window: fitted.currentWindowText) {
                FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
            }
            let frontierResult = frontier ? try asInputError("the budget frontier") { try optimizer.frontier(goal) } : nil
            if let targetResponse {
                let result = try asInputError("--target-response") { try optimizer.leastBudget(reaching: targetResponse, probability: probability) }
                try emit(result, frontierResult) { $0.renderTable() }
            } else if let minMarginalRoas {
                let result = try asInputError("--min-marginal-roas") { try optimizer.mostBudget(marginalROASAtLeast: [:], default: minMarginalRoas) }
                try emit(result, frontierResult) { $0.renderTable() }
            } else {
                var result = try asInputError("the budget problem") { try optimizer.optimize(goal) }
                result.plan.caveat = PlanningResults.caveat(for: result.plan, model: fitted)
                try emit(result, frontierResult) { $0.renderTable() }
            }
        }
    }

    /// Prints the result (and the frontier when asked) as a table, or as one JSON object.
    private func emit<R: Encodable>(_ result: R, _ frontier: BudgetFrontier?, table: (R) -> String) throws {
        if options.json {
            guard let frontier else { return print(try ResultJSON.encode(result)) }
            print(try ResultJSON.encode(WithFrontier(result: result, frontier: frontier)))
        } else {
            print(table(result))
            if let frontier { print("\nBudget frontier:\n" + frontier.renderTable()) }
        }
    }

    /// `--json --frontier`: the result and the frontier side by side.
    private struct WithFrontier<R: Encodable>: Encodable {
        var result: R
        var frontier: BudgetFrontier
    }

    /// One goal at a time: a budget to split, a response to reach, or a marginal ROAS to keep.
    private func checkGoalFlags() throws {
        let goals = [("--budget", budget != nil), ("--target-response", targetResponse != nil), ("--min-marginal-roas", minMarginalRoas != nil)]
            .filter(\.1).map(\.0)
        if goals.count > 1 {
            throw InputError(InputLocation(file: goals.joined(separator: " and ")), "give one of --budget, --target-response and --min-marginal-roas, not \(goals.count).",
                             hint: "--budget splits a given total; --target-response finds the total that reaches a response; --min-marginal-roas finds the total at which spend stops paying at the margin.")
        }
        if objective != nil && (targetResponse != nil || minMarginalRoas != nil) {
            throw InputError(InputLocation(file: "--objective"), "cannot be combined with --target-response or --min-marginal-roas.",
                             hint: "--target-response works in expectation, or with --probability P as the (1 − P) quantile; --min-marginal-roas uses the mean curves.")
        }
        if let p = probability {
            guard targetResponse != nil else {
                throw InputError(InputLocation(file: "--probability"), "only applies with --target-response.",
                                 hint: "e.g. mixplan optimize --model model --target-response 2500000 --probability 0.8")
            }
            guard p > 0, p < 1 else {
                throw InputError(InputLocation(file: "--probability"), "must lie strictly between 0 and 1 (e.g. 0.8 for 80 % of draws); got \(p).")
            }
        }
        try FlagChecks.amount(targetResponse, flag: "--target-response")
        if let m = minMarginalRoas, !(m > 0 && m.isFinite) {
            throw InputError(InputLocation(file: "--min-marginal-roas"), "must be a positive number (e.g. 1 for break-even at the margin); got \(m).")
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
