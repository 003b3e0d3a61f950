import XCTest
import MixOptimize
import MixPlanningTestSupport

/// What-if, target modes and the frontier against direct recomputation.
final class ScenarioTests: XCTestCase {
    func optimizer(budget: Double = 4 * 150) throws -> BudgetOptimizer {
        let draws = HandMade.logisticTwo()
        let problem = BudgetProblem(channelNames: draws.channelNames, budget: budget, horizon: HorizonSettings(periods: 4),
                                    currentSpend: [100, 50])
        return try BudgetOptimizer(draws: draws, problem: problem)
    }

    func testWhatIfSummaryIsRecomputedFromTheDraws() throws {
        let o = try optimizer()
        let plan = try o.whatIf([60, 90])
        let totals = o.horizon.totals([60, 90]), current = o.horizon.totals([100, 50])
        let mean = totals.reduce(0, +) / Double(totals.count)
        XCTAssertEqual(plan.response.mean, mean, accuracy: 1e-12 * mean)
        let better = Double(zip(totals, current).filter { $0 > $1 }.count) / Double(totals.count)
        XCTAssertEqual(plan.probabilityBetter, better)
        XCTAssertEqual(plan.totalSpend, 600)
        XCTAssertEqual(plan.channels[1].share, 0.6, accuracy: 1e-15)
        XCTAssertLessThan(plan.response.lower, plan.response.mean)
        XCTAssertGreaterThan(plan.response.upper, plan.response.mean)
        // Marginal ROAS by finite difference of the mean response in total channel spend (h = 1
        // currency over the horizon; truncation ≈ h²·f''' ≪ 1e-6 relative).
        let f = { (s: Double) in o.horizon.mean(channel: 0, spend: s / 4).value }
        XCTAssertEqual(plan.channels[0].marginalROAS, (f(241) - f(239)) / 2, accuracy: 1e-6 * plan.channels[0].marginalROAS)
        XCTAssertThrowsError(try o.whatIf([-1, 2]))
        // A solver's rounding residue is no spend: no ROAS of a 1e-13 spend.
        let residue = o.summarize([150, 4.5e-13])
        XCTAssertEqual(residue.channels[1].spendPerPeriod, 0)
        XCTAssertEqual(residue.channels[1].roas, 0)
        XCTAssertEqual(residue.response, try o.whatIf([150, 0]).response)
    }

    /// ROAS counts what the plan's spend adds, not what earlier spend carries into the horizon:
    /// both recomputed per draw from the horizon's definition (`HorizonSettings`) written out with
    /// the draws' own curves and carry-over weights.
    func testROASLeavesOutTheCarryOverOfEarlierSpend() throws {
        // Two logistic channels with three-period carry-over (the second's differs per draw).
        let base = HandMade.logisticTwo()
        let n = base.drawCount
        let channels = base.channels.enumerated().map { c, ch in
            HandMade.channel(ch.name, .logistic, beta: ch.beta, lambda: ch.parameter(0),
                             carryover: c == 0 ? [[0.5, 0.3, 0.2]] : (0..<n).map { d in [0.4, 0.35, 0.25].map { $0 + (d % 2 == 0 ? 0 : 0.05 * ($0 - 1.0 / 3)) } })
        }
        let draws = ParametricResponseDraws(channels: channels), history = [100.0, 50.0], h = 4
        let o = try BudgetOptimizer(draws: draws, problem: BudgetProblem(channelNames: draws.channelNames, budget: 600,
                                                                         horizon: HorizonSettings(periods: h), currentSpend: history))
        func horizonResponse(_ c: Int, _ d: Int, _ s: Double) -> Double {
            let w = draws.carryoverWeights(channel: c, draw: d)
            func big(_ t: Int) -> Double { t < 0 ? 0 : w.prefix(min(t + 1, w.count)).reduce(0, +) }
            var total = 0.0
            for t in 0..<h { total += draws.response(channel: c, draw: d, spend: s * big(t) + history[c] * (1 - big(t))) }
            for t in h..<(h + w.count - 1) {
                total += draws.response(channel: c, draw: d, spend: s * (big(t) - big(t - h)) + history[c] * (1 - big(t)))
            }
            return total
        }
        func mean(_ c: Int, _ s: Double) -> Double { (0..<draws.drawCount).map { horizonResponse(c, $0, s) }.reduce(0, +) / Double(draws.drawCount) }
        let plan = try o.whatIf([60, 0])
        let earlier = [mean(0, 0), mean(1, 0)]
        XCTAssertGreaterThan(earlier[1], 0.05 * plan.response.mean, "the history carries a visible share into the horizon")
        XCTAssertEqual(plan.channels[0].roas, (mean(0, 60) - earlier[0]) / (60 * 4), accuracy: 1e-10)
        XCTAssertEqual(plan.channels[0].fromEarlierSpend!, earlier[0], accuracy: 1e-10 * earlier[0])
        XCTAssertEqual(plan.channels[1].roas, 0, "nothing spent, nothing returned")
        XCTAssertEqual(plan.channels[1].response.mean, earlier[1], accuracy: 1e-10 * earlier[1], "its response is all carry-over")
        XCTAssertEqual(plan.roas, (plan.response.mean - earlier[0] - earlier[1]) / 240, accuracy: 1e-10)
        XCTAssertEqual(plan.fromEarlierSpend!, earlier[0] + earlier[1], accuracy: 1e-10 * earlier[1])
    }

    func testOptimizedPlanBeatsCurrentAtTheSameBudget() throws {
        let o = try optimizer()
        let result = try o.optimize(.mean)
        XCTAssertGreaterThanOrEqual(result.plan.change.mean, 0)
        XCTAssertEqual(result.plan.totalSpend, 600, accuracy: 1e-9 * 600)
        XCTAssertEqual(result.objectiveValue, result.plan.response.mean, accuracy: 1e-9 * result.objectiveValue)
    }

    func testLeastBudgetReachesTheTargetAndLessDoesNot() throws {
        let o = try optimizer()
        let target = 1.2 * (try o.solve(.mean)).objectiveValue
        let r = try o.leastBudget(reaching: target)
        XCTAssertGreaterThanOrEqual(r.result.objectiveValue, target)
        XCTAssertLessThan(try o.solve(.mean, budget: r.budget * (1 - 2e-4)).objectiveValue, target)
        let p = try o.leastBudget(reaching: target, probability: 0.9)
        XCTAssertGreaterThan(p.budget, r.budget, "reaching it with 90 % probability costs more than in expectation")
        let totals = o.horizon.totals(p.result.plan.channels.map(\.spendPerPeriod))
        XCTAssertGreaterThanOrEqual(Double(totals.filter { $0 >= target }.count) / Double(totals.count), 0.9 - 1.0 / Double(totals.count))
        XCTAssertThrowsError(try o.leastBudget(reaching: 1e12))
    }

    func testMostBudgetStopsWhereMarginalROASMeetsTheThreshold() throws {
        let o = try optimizer()
        let r = try o.mostBudget(marginalROASAtLeast: ["tv": 1.5, "search": 2.0])
        XCTAssertEqual(r.plan.channels[0].marginalROAS, 1.5, accuracy: 1e-6)
        XCTAssertEqual(r.plan.channels[1].marginalROAS, 2.0, accuracy: 1e-6)
        XCTAssertEqual(r.budget, r.plan.channels.map(\.spendOverHorizon).reduce(0, +), accuracy: 1e-9 * r.budget)
        XCTAssertThrowsError(try o.mostBudget(marginalROASAtLeast: ["radio": 1]))
    }

    func testFrontierHasTwentyBudgetsFromHalfToDoubleWithGrowingResponse() throws {
        let o = try optimizer()
        let f = try o.frontier(.mean)
        XCTAssertEqual(f.points.count, 20)
        XCTAssertEqual(f.points.first!.budget, 0.5 * 600, accuracy: 1e-9)
        XCTAssertEqual(f.points.last!.budget, 2 * 600, accuracy: 1e-9)
        for (a, b) in zip(f.points, f.points.dropFirst()) { XCTAssertGreaterThan(b.objectiveValue, a.objectiveValue) }
        for p in f.points {
            XCTAssertEqual(p.allocation.reduce(0, +) * 4, p.budget, accuracy: 1e-9 * p.budget)
            XCTAssertLessThan(p.response.lower, p.response.mean)
        }
    }
}
