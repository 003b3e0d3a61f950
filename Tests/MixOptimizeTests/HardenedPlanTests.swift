import Foundation
import XCTest
import MixOptimize
import MixPlanningTestSupport

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

    func testAVerticalTangentAtZeroSpendIsUnbounded() throws {
        let (result, posterior) = try HandMade.hillAtZero()
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
        // How the table and plan.json write it: PlanRenderingTests (MixResultsTests).
    }
}
