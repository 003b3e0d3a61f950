import XCTest
import MixOptimize
import MixPlanningTestSupport

/// "How much should I spend?" — the least budget reaching a response and the most spend keeping
/// marginal ROAS above a threshold — against exhaustive search on the same posterior draws.
final class HowMuchToSpendTests: XCTestCase {
    private let h = 4
    private let history = [100.0, 50.0]

    private func optimizer() throws -> BudgetOptimizer {
        let draws = HandMade.logisticTwo()
        let problem = BudgetProblem(channelNames: draws.channelNames, budget: 600, horizon: HorizonSettings(periods: h),
                                    currentSpend: history)
        return try BudgetOptimizer(draws: draws, problem: problem)
    }

    /// Whatever the split, 0.2 % less budget than `leastBudget` finds reaches no more than the
    /// target: a 400-step grid over the split (Δ = budget/400 per period) loses at most ½·f''·Δ²
    /// of the best value, far less than 0.2 % of budget buys at the margin, so a solver budget
    /// that was too high would show up here. The probability version is checked the same way on
    /// the (1 − p) quantile of the draws.
    func testLeastBudgetAgainstExhaustiveSearch() throws {
        let o = try optimizer()
        let draws = HandMade.logisticTwo()
        let settings = HorizonSettings(periods: h)
        let target = 1.25 * (try o.solve(.mean)).objectiveValue
        for (probability, objective) in [(nil, Objective.mean), (0.8, Objective.valueAtRisk(q: 0.2))] as [(Double?, Objective)] {
            let r = try o.leastBudget(reaching: target, probability: probability)
            XCTAssertGreaterThanOrEqual(r.result.objectiveValue, target * (1 - 1e-9))
            let less = 0.998 * r.budget / Double(h)
            let brute = bruteForce(draws, objective: objective, horizon: settings, history: history, total: less,
                                   lower: [0, 0], upper: [less, less], steps: 400)
            XCTAssertLessThan(brute.value, target, "p = \(String(describing: probability)): a cheaper split reaches the target")
            // And the grid's best at the solver's budget is within the grid's loss of the target.
            let at = bruteForce(draws, objective: objective, horizon: settings, history: history, total: r.budget / Double(h),
                                lower: [0, 0], upper: [r.budget, r.budget], steps: 400)
            XCTAssertEqual(at.value, target, accuracy: 1e-3 * target)
        }
    }

    /// Per channel, the largest spend on a fine grid whose marginal ROAS — by central finite
    /// differences of the mean horizon response, not the solver's analytic slope — is still
    /// ≥ the threshold; `mostBudget` must agree within one grid step.
    func testMostBudgetAgainstAScanOfFiniteDifferences() throws {
        let o = try optimizer()
        let threshold = 0.8
        let r = try o.mostBudget(marginalROASAtLeast: [:], default: threshold)
        for c in 0..<2 {
            let f = { (s: Double) in o.horizon.mean(channel: c, spend: s).value }
            // d response / d(H·s): the step δ = 1e-3 per period keeps truncation (δ²·f''') and
            // rounding (ε·f/δ) both below 1e-8 of the slope for these curves.
            let mroas = { (s: Double) in (f(s + 1e-3) - f(s - 1e-3)) / 2e-3 / Double(self.h) }
            let step = 0.25
            var last: Double?
            var s = step
            while s < 5_000 { if mroas(s) >= threshold { last = s }; s += step }
            let found = r.plan.channels[c].spendPerPeriod
            XCTAssertEqual(found, try XCTUnwrap(last), accuracy: step, "channel \(c)")
            XCTAssertEqual(r.plan.channels[c].marginalROAS, threshold, accuracy: 1e-6)
        }
        XCTAssertEqual(r.budget, r.plan.totalSpend, accuracy: 1e-9 * r.budget)
    }

    func testFrontierMarginalReturnIsTheSlopeBetweenPoints() throws {
        let f = try optimizer().frontier(.mean, steps: 6)
        let m = f.marginalReturns
        XCTAssertNil(m[0])
        for i in 1..<f.points.count {
            let expected = (f.points[i].objectiveValue - f.points[i - 1].objectiveValue) / (f.points[i].budget - f.points[i - 1].budget)
            XCTAssertEqual(try XCTUnwrap(m[i]), expected, accuracy: 1e-12 * abs(expected))
            if i > 1 { XCTAssertLessThan(m[i]!, m[i - 1]!, "diminishing returns: each step buys less") }
        }
    }

    func testWarningsWhenEveryChannelLosesMoney() throws {
        let o = try optimizer()
        let plan = try o.whatIf([100, 50])
        let maxROAS = plan.channels.map(\.roas).max()!, maxMarginal = plan.channels.map(\.marginalROAS).max()!
        XCTAssertEqual(plan.returnWarnings.contains { $0.hasPrefix("every channel's ROAS") }, maxROAS < 1)
        XCTAssertEqual(plan.returnWarnings.contains { $0.hasPrefix("every channel's marginal ROAS") }, maxMarginal < 1)
        // Far past saturation every marginal ROAS is below 1, and the table says so.
        let flooded = try o.whatIf([50_000, 50_000])
        XCTAssertTrue(flooded.channels.allSatisfy { $0.marginalROAS < 1 && $0.roas < 1 })
        XCTAssertEqual(flooded.returnWarnings.count, 2)
        // One channel still above 1 is not "across the board".
        var mixed = flooded
        mixed.channels[0].marginalROAS = 1.5
        mixed.channels[0].roas = 1.5
        XCTAssertTrue(mixed.returnWarnings.isEmpty)
    }
}
