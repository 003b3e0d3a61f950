import MixTestSupport
import Foundation
import XCTest
import MixResults

/// The plan a scheduled run makes from the config alone, on a short real fit of weekly-2ch.
final class DefaultPlanTests: XCTestCase {
    static let fitted: FittedModel = {
        var config = try! ConfigLoader.load(path: Fixtures.sample("weekly-2ch").appendingPathComponent("mixplan.yaml").path)
        config.sampler.chains = 2
        config.sampler.warmup = 150
        config.sampler.draws = 100
        let data = try! DatasetLoader().load(config).dataset
        return try! ModelFitter.fit(dataset: data, config: config)
    }()

    func testDefaultBudgetIsTheMeanOfTheLastFourPeriodsTimesTheHorizon() throws {
        var model = Self.fitted
        model.config.optimizer.periods = 3
        let t = model.dataset.periodCount
        var lastFour = 0.0
        for c in 0..<model.dataset.channelCount { lastFour += model.dataset.spend[c][(t - 4)..<t].reduce(0, +) }
        XCTAssertEqual(DefaultPlan.budget(for: model), lastFour / 4 * 3, accuracy: 1e-9 * lastFour)
        model.config.optimizer.budget = 12_345
        XCTAssertEqual(DefaultPlan.budget(for: model), 12_345)
    }

    /// The pack's plan is the CLI's: every draw, whatever `maxDraws` thins the summaries to, so
    /// `mixplan optimize`/`whatif` on the same model give the same figures.
    func testPlanUsesEveryDrawAsTheCLIDoes() throws {
        let model = Self.fitted
        let results = try DefaultPlan.run(model: model, maxDraws: 50, frontierSteps: 3)
        let plan = try XCTUnwrap(results.optimization).plan
        let problem = try DefaultPlan.problem(for: model)
        let cli = try BudgetOptimizer(draws: ParametricResponseDraws(model: model), problem: problem)
        XCTAssertEqual(try cli.whatIf(problem.currentSpend).response, plan.currentResponse)
        XCTAssertEqual(try cli.whatIf(plan.channels.map(\.spendPerPeriod)).response, plan.response)
        XCTAssertEqual(results.quantities, PosteriorQuantities(model: model, maxDraws: 50), "the posterior summaries stay thinned")
    }

    func testRunSpendsTheBudgetWithinBoundsAndRecordsTheCurrentPlan() throws {
        let model = Self.fitted
        let results = try DefaultPlan.run(model: model, maxDraws: 200, frontierSteps: 5)
        let plan = try XCTUnwrap(results.optimization).plan
        let budget = DefaultPlan.budget(for: model)
        XCTAssertEqual(plan.channels.map(\.spendOverHorizon).reduce(0, +), budget, accuracy: 1e-6 * budget)
        let current = model.currentSpend()
        for (c, channel) in plan.channels.enumerated() {
            XCTAssertGreaterThanOrEqual(channel.spendPerPeriod, 0.7 * current[c] - 1e-6)
            XCTAssertLessThanOrEqual(channel.spendPerPeriod, 1.3 * current[c] + 1e-6)
        }
        XCTAssertEqual(results.scenarios.first?.plan.channels.map(\.spendPerPeriod) ?? [], current)
        XCTAssertEqual(results.frontier?.points.count, 5)
        XCTAssertEqual(results.curves.count, 2)
    }

    func testConfigMistakesAreBadInputNamingTheKey() {
        var model = Self.fitted
        model.config.optimizer.fixed = ["radio"]
        XCTAssertThrowsError(try DefaultPlan.problem(for: model)) { error in
            XCTAssertTrue(error is InputError)
            XCTAssertTrue("\(error)".contains("optimizer.fixed") && "\(error)".contains("radio"), "\(error)")
        }
        model = Self.fitted
        model.config.optimizer.budget = 10 * DefaultPlan.budget(for: Self.fitted)
        XCTAssertThrowsError(try DefaultPlan.run(model: model, maxDraws: 50, frontierSteps: 2)) { error in
            XCTAssertTrue(error is InputError, "\(error)")
            XCTAssertTrue("\(error)".contains("optimizer"), "\(error)")
        }
    }
}
