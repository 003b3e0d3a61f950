import XCTest
import MixOptimize
import MixPlanningTestSupport

/// What the optimiser's words claim holds for the plan: equal marginal response only for the
/// channels between their bounds (the ones held by a bound are named, with the side). How a plan
/// that keeps current spend is worded in the table: PlanRenderingTests (MixResultsTests).
final class PlanWordingTests: XCTestCase {
    func testTheCertificateNamesTheChannelsHeldByABoundAndClaimsEqualityOnlyForTheOthers() throws {
        let problem = BudgetProblem(channelNames: ["tv", "search", "radio", "print"], budget: 400, horizon: HorizonSettings(periods: 1),
                                    currentSpend: [100, 100, 100, 100],
                                    bounds: ["tv": .relative(fraction: 0.2), "search": .relative(fraction: 0.2),
                                             "print": .relative(fraction: 0.2), "radio": .absolute(min: 0, max: 400)])
        let optimizer = try BudgetOptimizer(draws: HandMade.fourLogistic(), problem: problem)
        let s = try optimizer.solve(.mean)
        // Independent classification: the allocation against the bounds, and central finite
        // differences of the mean response (step 1e-3 of spend 100: error ~1e-7 relative).
        let lower = [80.0, 80, 0, 80], upper = [120.0, 120, 400, 120]
        func mean(_ x: [Double]) -> Double { Objective.mean.value(optimizer.horizon.totals(x)) }
        let marginal = (0..<4).map { c -> Double in
            var up = s.allocation, down = s.allocation
            up[c] += 1e-3; down[c] -= 1e-3
            return (mean(up) - mean(down)) / 2e-3
        }
        let names = problem.channelNames
        let atUpper = (0..<4).filter { s.allocation[$0] >= upper[$0] - 1e-9 }.map { names[$0] }
        let atLower = (0..<4).filter { s.allocation[$0] <= lower[$0] + 1e-9 }.map { names[$0] }
        let interior = (0..<4).filter { !atUpper.contains(names[$0]) && !atLower.contains(names[$0]) }
        XCTAssertEqual(atUpper, ["tv"], "the strong channel wants more than its bound allows: \(s.allocation)")
        XCTAssertEqual(atLower, ["print"], "the weak channel wants less: \(s.allocation)")
        XCTAssertEqual(interior.count, 2)
        XCTAssertEqual(marginal[interior[0]], marginal[interior[1]], accuracy: 1e-5 * marginal[interior[0]])
        XCTAssertGreaterThan(marginal[0], marginal[interior[0]] * 1.01, "tv would earn more with a wider bound")
        XCTAssertLessThan(marginal[3], marginal[interior[0]] * 0.99, "print earns less at the margin")

        let c = s.certificate
        XCTAssertEqual(c.channelsAtUpperBound, atUpper)
        XCTAssertEqual(c.channelsAtLowerBound, atLower)
        XCTAssertEqual(c.channelsBetweenBounds, interior.map { names[$0] })
        let text = c.explanation
        XCTAssertFalse(text.contains("every adjustable channel's next unit of spend earns the same"), text)
        XCTAssertTrue(text.hasPrefix("exact optimum: the channels not held by a bound (search, radio) earn the same from their next unit of spend"), text)
        XCTAssertTrue(text.contains("held at the upper bound: tv (its next unit would earn more than theirs, so a wider bound would pay)"), text)
        XCTAssertTrue(text.contains("held at the lower bound: print (its next unit would earn less than theirs, so it stays at its minimum)"), text)

        // Without binding bounds (print is fixed, so not adjustable; zero is a bound too, so the
        // others must all spend) the equal-margin sentence is true of every channel, and said so.
        let free = try BudgetOptimizer(draws: HandMade.fourLogistic(), problem: BudgetProblem(
            channelNames: names, budget: 400, horizon: HorizonSettings(periods: 1), currentSpend: [100, 100, 100, 100],
            fixed: ["print": 100]))
        let unbound = try free.solve(.mean)
        XCTAssertTrue(unbound.allocation[0..<3].allSatisfy { $0 > 0 && $0 < 300 }, "\(unbound.allocation)")
        XCTAssertEqual(unbound.certificate.channelsAtUpperBound, [])
        // A channel the solver leaves a rounding error above zero (within 1e-9 of the budget) is
        // held at its lower bound, zero: it must not be claimed to earn what the others earn.
        let nearZero = (0..<3).filter { unbound.allocation[$0] <= 1e-9 * 400 }.map { names[$0] }
        XCTAssertEqual(unbound.certificate.channelsAtLowerBound, nearZero)
        if nearZero.isEmpty {
            XCTAssertTrue(unbound.certificate.explanation.hasPrefix("exact optimum: every adjustable channel's next unit of spend earns the same"),
                          unbound.certificate.explanation)
        } else {
            XCTAssertTrue(unbound.certificate.explanation.contains("held at the lower bound: \(nearZero.joined(separator: ", "))"),
                          unbound.certificate.explanation)
            for c in nearZero.compactMap({ names.firstIndex(of: $0) }) {
                var up = unbound.allocation
                up[c] += 1e-3; up[0] -= 1e-3
                func mean(_ x: [Double]) -> Double { Objective.mean.value(free.horizon.totals(x)) }
                XCTAssertLessThan(mean(up), mean(unbound.allocation), "moving budget to \(names[c]) loses: it is rightly at zero")
            }
        }
    }

    /// A paused channel (no current spend, relative bound) cannot move, so the other takes the
    /// whole budget: the budget holds it there, not a bound a wider one would relax.
    func testTheOnlyAdjustableChannelTakesTheBudgetAndNoBoundIsBlamed() throws {
        let problem = BudgetProblem(channelNames: ["tv", "search", "radio", "print"], budget: 300, horizon: HorizonSettings(periods: 1),
                                    currentSpend: [300, 0, 0, 0],
                                    bounds: Dictionary(uniqueKeysWithValues: ["tv", "search", "radio", "print"].map { ($0, SpendBound.relative(fraction: 0.3)) }))
        let s = try BudgetOptimizer(draws: HandMade.fourLogistic(), problem: problem).solve(.mean)
        XCTAssertEqual(s.allocation, [300, 0, 0, 0])
        XCTAssertEqual(s.certificate.channelsAtUpperBound, [], "tv's limit here is the budget, not its ±30 % bound")
        XCTAssertEqual(s.certificate.channelsBetweenBounds, ["tv"])
        XCTAssertEqual(s.certificate.explanation, "exact optimum: only tv can move, so it takes the budget the other channels leave")
    }
}
