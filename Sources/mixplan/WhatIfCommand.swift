import ArgumentParser
import Foundation
import MixData
import MixModel
import MixOptimize
import MixResults

/// `mixplan whatif`: the response distribution of a plan a planner types in.
struct WhatIfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif",
        abstract: "Show what a spend plan buys: response with interval, versus the current plan.",
        discussion: """
        Give spend per period per channel with --spend tv=1000,search=500, or changes such as \
        --spend tv=-20%,search=+10% (channels not named keep their current spend: the mean over \
        optimizer.current_window_days, the last 4 weeks or 28 days by default), or --plan plan.csv with columns channel,spend (a pack's plan.csv \
        works as it is). With --against plan.json (or a plan CSV) the changes and unnamed \
        channels start from that plan instead, and the plan is also compared with it. Prints each channel's expected response with a 94 % interval, ROAS and \
        marginal ROAS, the total, and the change against the current plan with the probability \
        that the plan does better. On a geo model give cells: --spend north/tv=1000 or --plan \
        with columns geo,channel,spend (cells not listed keep current spend).

        Examples:
          mixplan whatif --model model --spend tv=1000,search=500
          mixplan whatif --model model --spend tv=-20%,search=+10%
          mixplan whatif --model model --plan reports/latest/plan.csv --against reports/latest/plan.json

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

    @Option(help: "A plan to start from and compare with: plan.json (from optimize --json or a report pack) or a plan CSV.")
    var against: String?

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
            if GeoPlanning.isGeoModel(options.model!) { return try runGeo() }
            let (fitted, draws, horizon) = try options.load()
            let names = draws.channelNames
            let current = fitted.currentSpend()
            let baseline = try against.map { try Self.readPlan($0, channels: names) }
            let allocation = try typedPlan(channels: names, current: baseline ?? current)
            var (summary, comparison) = try asInputError("the plan") { () throws -> (PlanSummary, PlanComparison?) in
                let problem = BudgetProblem(channelNames: names, budget: allocation.reduce(0, +) * Double(horizon.periods),
                                            horizon: horizon, currentSpend: current)
                let optimizer = try BudgetOptimizer(draws: draws, problem: problem)
                let name = against.map { URL(fileURLWithPath: $0).lastPathComponent }
                return (try optimizer.whatIf(allocation), baseline.map { optimizer.compare(allocation, against: $0, name: name!) })
            }
            summary.caveat = PlanningResults.caveat(for: summary, model: fitted)
            if options.json {
                guard let comparison else { return print(try ResultJSON.encode(summary)) }
                print(try ResultJSON.encode(Compared(plan: summary, against: comparison)))
            } else {
                print(summary.renderTable() + (comparison.map { "\n" + $0.render() } ?? ""))
            }
        }
    }

    /// `--json --against`: the plan and its comparison with the baseline.
    private struct Compared: Encodable {
        var plan: PlanSummary
        var against: PlanComparison
    }

    /// Spend per period per channel of a plan file: an optimiser result (`.json`) or a plan CSV.
    static func readPlan(_ path: String, channels: [String]) throws -> [Double] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(InputLocation(file: path), "cannot be read (missing or unreadable).")
        }
        guard path.lowercased().hasSuffix(".json") else {
            return try PlanSpecs.parsePlanCSV(String(decoding: data, as: UTF8.self), channels: channels, file: path)
        }
        let result: OptimizationResult
        do {
            result = try MixJSON.decoder().decode(OptimizationResult.self, from: data)
        } catch {
            throw InputError(InputLocation(file: path), "is not a plan written by `mixplan optimize --json` or a report pack.",
                             hint: "Give a plan.json from optimize --json or a report pack, or a CSV with columns channel,spend.")
        }
        return try channels.map { name in
            guard let line = result.plan.channels.first(where: { $0.channel == name }) else {
                throw InputError(InputLocation(file: path, key: "plan.channels"), "has no channel \"\(name)\"; it was written for another model (channels \(result.plan.channels.map(\.channel).joined(separator: ", "))).")
            }
            return line.spendPerPeriod
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
