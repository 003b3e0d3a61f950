import ArgumentParser
import Foundation
import MixData
import MixModel
import MixOptimize

/// `mixplan whatif`: the response distribution of a plan a planner types in.
struct WhatIfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif",
        abstract: "Show what a spend plan buys: response with interval, versus the current plan.",
        discussion: """
        Give spend per period per channel with --spend tv=1000,search=500 (channels not named keep \
        their current spend: the mean of the last 4 periods) or --plan plan.csv with columns \
        channel,spend. Prints each channel's expected response with a 94 % interval, ROAS and \
        marginal ROAS, the total, and the change against the current plan with the probability \
        that the plan does better.

        \(CLISupport.exitCodesHelp(one: nil))
        """
    )

    @OptionGroup var options: ModelOptions

    @Option(help: "Spend per period, e.g. tv=1000,search=500.")
    var spend: String?

    @Option(help: "A CSV with columns channel,spend (spend per period).")
    var plan: String?

    @OptionGroup(title: "Portfolio (models of a `mixplan batch` run)")
    var portfolio: PortfolioOptions

    func validate() throws {
        if (spend == nil) == (plan == nil) {
            throw ValidationError("Give exactly one of --spend tv=1000,search=500 or --plan plan.csv.")
        }
        if (options.model == nil) == (portfolio.portfolio == nil) {
            throw ValidationError("Give exactly one of --model MODEL_DIR or --portfolio M.csv --runs DIR.")
        }
    }

    func run() throws {
        try CLISupport.run {
            if let manifest = portfolio.portfolio { return try runPortfolio(manifest: manifest) }
            let (fitted, draws, horizon) = try options.load()
            let names = draws.channelNames
            let current = fitted.currentSpend()
            let allocation = try typedPlan(channels: names, current: current)
            var summary = try asInputError("the plan") { () throws -> PlanSummary in
                let problem = BudgetProblem(channelNames: names, budget: allocation.reduce(0, +) * Double(horizon.periods),
                                            horizon: horizon, currentSpend: current)
                return try BudgetOptimizer(draws: draws, problem: problem).whatIf(allocation)
            }
            summary.caveat = PlanningResults.caveat(for: summary, model: fitted)
            print(options.json ? try ResultJSON.encode(summary) : summary.renderTable())
        }
    }

    /// The plan from --spend or --plan; channels not named keep their current spend.
    func typedPlan(channels names: [String], current: [Double]) throws -> [Double] {
        if let spend { return try PlanSpecs.parseSpend(spend, channels: names, fill: current) }
        let path = plan!
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw InputError(InputLocation(file: path), "cannot be read (missing, unreadable or not UTF-8).")
        }
        return try PlanSpecs.parsePlanCSV(text, channels: names, file: path, fill: current)
    }

    /// `whatif --portfolio`: a plan over `model/channel` names against every model's current
    /// spend, with the per-draw total across models (the models' posteriors are independent).
    func runPortfolio(manifest: String) throws {
        let loaded = try portfolio.load(manifestPath: manifest, periods: options.periods, noCarryover: options.noCarryover)
        let joint = loaded.portfolio
        let allocation = try typedPlan(channels: joint.channelNames, current: joint.currentSpend)
        let summary = try asInputError("the plan") { () throws -> PlanSummary in
            let problem = BudgetProblem(channelNames: joint.channelNames, budget: allocation.reduce(0, +) * Double(joint.horizon.periods),
                                        horizon: joint.horizon, currentSpend: joint.currentSpend)
            return try BudgetOptimizer(draws: joint.jointDraws(), problem: problem).whatIf(allocation)
        }
        let output = PortfolioPlanOutput(models: joint.modelTotals(summary), result: nil, plan: summary)
        print(options.json ? try ResultJSON.encode(output) : output.renderTable(periods: joint.horizon.periods))
    }
}
