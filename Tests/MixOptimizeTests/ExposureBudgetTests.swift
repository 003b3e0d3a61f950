import MixTestSupport
import Foundation
import XCTest
import MixModel
import MixOptimize

/// Issue 20 item 8: the optimiser plans a channel bought in impressions in money. A small real
/// fit of the exposure sample (`Fixtures.exposureSampleConfig`: TV in impressions with a price
/// that moves over the year) — enough draws to plan with, not to converge.
final class ExposureBudgetTests: XCTestCase {
    static let model: FittedModel = {
        let config = try! ConfigLoader.load(path: Fixtures.exposureSampleConfig)
        return try! ModelFitter.fit(dataset: try! DatasetLoader().load(config).dataset, config: config)
    }()

    /// The response curve takes money and converts it once: the money that maps to a = 1 is the
    /// cost per unit × the most impressions of a training week, and the cost per unit is the
    /// columns' total spend / total impressions (recomputed here from the file).
    func testCurvesTakeMoneyAtTheAverageCostPerUnit() throws {
        let (impressions, spend) = Fixtures.exposureSampleColumns()
        let cost = try XCTUnwrap(Self.model.dataset.exposureCosts["tv"])
        let perUnit = spend.reduce(0, +) / impressions.reduce(0, +)
        XCTAssertEqual(cost.costPerUnit, perUnit, accuracy: 1e-13 * perUnit) // 179-term sums in another order
        let draws = ParametricResponseDraws(model: Self.model)
        XCTAssertEqual(draws.channels[1].spendScale, perUnit * impressions.max()!, accuracy: 1e-12 * draws.channels[1].spendScale)
        // Current spend: the last 4 weeks' impressions at that price.
        let last4 = impressions.suffix(4).reduce(0, +) / 4
        XCTAssertEqual(Self.model.currentSpend()[1], last4 * perUnit, accuracy: 1e-12 * last4 * perUnit)
    }

    /// A budget 10 % above current spend over 4 weeks, no bounds: the plan spends exactly the
    /// budget in money, and its expected response is at least that of every one of 300 random
    /// splits of the same money (uniform on the simplex). Tolerance: the solver's objective is
    /// the same function the random splits are scored with, so only rounding (1e-9) separates a
    /// tie; a random split cannot beat the optimum.
    func testThePlanSpendsTheBudgetInMoneyAndBeatsRandomSplits() throws {
        let draws = ParametricResponseDraws(model: Self.model)
        let current = Self.model.currentSpend()
        let horizon = HorizonSettings(periods: 4, countCarryoverTail: true)
        let budget = 1.1 * current.reduce(0, +) * 4
        let problem = BudgetProblem(channelNames: Self.model.dataset.channelNames, budget: budget, horizon: horizon, currentSpend: current)
        let optimizer = try BudgetOptimizer(draws: draws, problem: problem)
        let plan = try optimizer.solve(.mean)
        XCTAssertEqual(plan.allocation.reduce(0, +) * 4, budget, accuracy: 1e-9 * budget)
        var rng = SeededRandom(seed: 8)
        for _ in 0..<300 {
            let e = (0..<2).map { _ in -log(1 - rng.uniform()) }
            let split = e.map { $0 / e.reduce(0, +) * budget / 4 }
            let value = Objective.mean.value(optimizer.horizon.totals(split))
            XCTAssertLessThanOrEqual(value, plan.objectiveValue + 1e-9 * abs(plan.objectiveValue), "\(split) beat \(plan.allocation)")
        }
        // The plan's impressions are its money at the cost per unit.
        let cost = try XCTUnwrap(Self.model.dataset.exposureCosts["tv"])
        XCTAssertEqual(cost.money(exposures: cost.exposures(money: plan.allocation[1])), plan.allocation[1], accuracy: 1e-9 * plan.allocation[1])
    }
}
