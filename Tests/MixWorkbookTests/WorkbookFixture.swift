import MixTestSupport
import Foundation
import MixWorkbook

/// Small real fits of the bundled weekly-2ch sample (2 chains × 100 draws: enough to fill every
/// sheet, not to converge) turned into `PlanningResults`, with data names chosen to look like
/// formulas so that every test also checks formula injection.
enum WorkbookFixture {
    /// Channel names that a careless writer would turn into formulas.
    static let channelNames = ["=HYPERLINK(\"http://example.com\",\"click\")", "+1"]
    static let targetName = "@SUM(A1:A2)"
    static let scenarioName = "-2"
    static let warning = "=1+1 is not a formula"

    static func fit(saturation: MixPlanConfig.SaturationKind, secondChannel: MixPlanConfig.SaturationKind? = nil,
                    adstock: MixPlanConfig.AdstockKind, holdout: Int, warmup: Int = 150, draws: Int = 100) -> FittedModel {
        var config = try! ConfigLoader.load(path: Fixtures.sample("weekly-2ch").appendingPathComponent("mixplan.yaml").path)
        config.sampler.chains = 2
        config.sampler.warmup = warmup
        config.sampler.draws = draws
        config.sampler.maxTreeDepth = 7
        config.model.saturation = saturation
        config.model.adstock = adstock
        var data = try! DatasetLoader().load(config).dataset
        data.channelNames = channelNames
        data.targetName = targetName
        if let secondChannel { config.model.channels[channelNames[1]] = .init(saturation: secondChannel) }
        config.data.channels = channelNames
        config.data.target = targetName
        return try! ModelFitter.fit(dataset: data, config: config, holdout: holdout)
    }

    /// Logistic curves, geometric adstock, a 4-period horizon with carryover tail: optimised,
    /// with a frontier and two scenarios.
    static let optimised: PlanningResults = {
        let model = fit(saturation: .logistic, adstock: .geometric, holdout: 8)
        let draws = ParametricResponseDraws(model: model)
        let current = model.currentSpend()
        let horizon = HorizonSettings(periods: 4, countCarryoverTail: true)
        let problem = BudgetProblem(channelNames: model.dataset.channelNames, budget: current.reduce(0, +) * 4, horizon: horizon,
                                    currentSpend: current,
                                    bounds: Dictionary(uniqueKeysWithValues: model.dataset.channelNames.map { ($0, SpendBound.relative(fraction: 0.3)) }))
        let optimizer = try! BudgetOptimizer(draws: draws, problem: problem)
        let result = try! optimizer.optimize(.mean)
        let frontier = try! optimizer.frontier(.mean, from: 0.5, to: 1.5, steps: 5)
        let scenarios = [Scenario(name: scenarioName, plan: try! optimizer.whatIf(current.map { $0 * 1.1 })),
                         Scenario(name: "Current plan", plan: try! optimizer.whatIf(current))]
        return PlanningResults(model: model, optimization: result, frontier: frontier, scenarios: scenarios,
                               warnings: [warning], curvePoints: 20, maxDraws: 200)
    }()

    /// Hill (first channel) and Michaelis–Menten (second) curves with delayed adstock, no
    /// holdout and no optimisation: the planner starts from current spend over the config's horizon.
    static let unoptimised: PlanningResults = {
        var model = fit(saturation: .hill, secondChannel: .michaelisMenten, adstock: .delayed, holdout: 0,
                        warmup: 80, draws: 50)
        model.config.optimizer.periods = 3
        return PlanningResults(model: model, curvePoints: 15, maxDraws: 200)
    }()

    /// Two small PNG charts drawn by MixCharts, written once into a temporary folder.
    static let chartFiles: [URL] = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mixworkbook-tests-\(getpid())")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let bars = [AllocationBar(channel: "a", channelIndex: 0, current: 100, optimal: 130),
                    AllocationBar(channel: "b", channelIndex: 1, current: 90, optimal: 60)]
        let weights = [AdstockWeights(channel: "a", channelIndex: 0, weights: [0.5, 0.3, 0.2])]
        let a = dir.appendingPathComponent("allocation.png"), b = dir.appendingPathComponent("adstock.png")
        try! allocationChart(bars, size: ChartSize(width: 480, height: 300)).write(to: a.path)
        try! adstockChart(weights, size: ChartSize(width: 480, height: 300)).write(to: b.path)
        return [a, b]
    }()

    /// A fresh temporary path for a workbook.
    static func temporaryWorkbook(_ name: String) -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mixworkbook-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name)
    }
}
