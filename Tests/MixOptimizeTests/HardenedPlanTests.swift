import Foundation
import XCTest
import MixOptimize

/// The certificate and plan figures at their edges (issue 19): a spend a rounding error short
/// of a bound is at that bound, and the marginal return at zero spend of a Hill curve with
/// S < 1 — a vertical tangent — is reported as unbounded, never as a huge number.
final class HardenedPlanTests: XCTestCase {
    func testBoundsAreClassifiedWithAToleranceRelativeToTheBudget() {
        // The audit's case: 1.5e-11 below the upper bound of a channel, budget 400.
        XCTAssertEqual(BoundPosition(spend: 120 - 1.5e-11, lower: 80, upper: 120, budget: 400), .upper)
        XCTAssertEqual(BoundPosition(spend: 80 + 1.5e-11, lower: 80, upper: 120, budget: 400), .lower)
        XCTAssertEqual(BoundPosition(spend: 0, lower: 0, upper: 400, budget: 400), .lower)
        // A spend a millionth of the budget inside is between the bounds: the tolerance is
        // 1e-9 of the budget, not an absolute amount.
        XCTAssertEqual(BoundPosition(spend: 120 - 4e-4, lower: 80, upper: 120, budget: 400), .between)
        XCTAssertEqual(BoundPosition(spend: 1.2e9 - 1.5, lower: 8e8, upper: 1.2e9, budget: 4e9), .upper)
        XCTAssertEqual(BoundPosition(spend: 1.2e9 - 10, lower: 8e8, upper: 1.2e9, budget: 4e9), .between)
        XCTAssertEqual(BoundPosition(spend: 100, lower: 80, upper: 120, budget: 400), .between)
    }

    /// A Hill channel whose draws all have S = 0.5 held at zero spend by its bounds.
    func hillAtZero() throws -> (OptimizationResult, ParametricResponseDraws) {
        let draws = 30
        func same(_ x: Double) -> [Double] { Array(repeating: x, count: draws) }
        let posterior = ParametricResponseDraws(channels: [
            HandMade.channel("tv", .logistic, beta: same(2.0), lambda: same(1.0)),
            HandMade.channel("social", .hill, beta: same(1.0), kappa: same(0.8), slope: same(0.5)),
        ])
        let problem = BudgetProblem(channelNames: ["tv", "social"], budget: 100, horizon: HorizonSettings(periods: 4),
                                    currentSpend: [100, 0],
                                    bounds: ["tv": .absolute(min: 0, max: 100), "social": .absolute(min: 0, max: 0)])
        return (try BudgetOptimizer(draws: posterior, problem: problem).optimize(.mean), posterior)
    }

    func testAVerticalTangentAtZeroSpendIsUnbounded() throws {
        let (result, posterior) = try hillAtZero()
        let social = try XCTUnwrap(result.plan.channels.first { $0.channel == "social" })
        XCTAssertEqual(social.spendPerPeriod, 0)
        XCTAssertEqual(social.marginalROAS, .infinity)
        // Independent truth: the slope of β·a^S/(a^S + K^S) near 0 grows like a^(S−1) without bound.
        let near = posterior.marginalResponse(channel: 1, draw: 0, spend: 1e-12)
        let nearer = posterior.marginalResponse(channel: 1, draw: 0, spend: 1e-16)
        XCTAssertGreaterThan(nearer, near * 50, "slope ratio ≈ (1e4)^0.5 = 100")
        // tv's marginal stays a number.
        let tv = try XCTUnwrap(result.plan.channels.first { $0.channel == "tv" })
        XCTAssertTrue(tv.marginalROAS.isFinite && tv.marginalROAS > 0)
        // Written as "unbounded", and JSON round-trips it.
        XCTAssertTrue(result.plan.renderTable().contains("unbounded"), result.plan.renderTable())
        XCTAssertFalse(result.plan.renderTable().contains("e+29"))
        let json = try ResultJSON.encode(result)
        XCTAssertTrue(json.contains("\"marginalROAS\" : \"inf\""), json)
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        XCTAssertEqual(try decoder.decode(OptimizationResult.self, from: Data(json.utf8)).plan.channels[1].marginalROAS, .infinity)
    }
}
