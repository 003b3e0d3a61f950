import XCTest
import MixOptimize
import MixPlanningTestSupport

/// The saturation families and the horizon-response definition against independent computations.
final class ResponseCurveTests: XCTestCase {
    func families() -> ParametricResponseDraws {
        ParametricResponseDraws(channels: [
            HandMade.channel("logistic", .logistic, beta: [1.3, 0.7], lambda: [2.0, 0.5]),
            HandMade.channel("mm", .michaelisMenten, beta: [1.1, 2.0], lambda: [0.6, 1.5]),
            HandMade.channel("hill", .hill, beta: [1.5, 0.9], kappa: [0.8, 1.2], slope: [2.5, 0.7]),
        ])
    }

    /// The formulas of DESIGN.md §2 written out directly (not via the library's tanh form).
    func testValuesMatchTheDesignFormulas() {
        let p = families()
        for d in 0..<2 {
            for spend in [0.0, 13.0, 100.0, 420.0] {
                let a = spend / 100
                let logistic = 1000 * [1.3, 0.7][d] * (1 - exp(-[2.0, 0.5][d] * a)) / (1 + exp(-[2.0, 0.5][d] * a))
                let mm = 1000 * [1.1, 2.0][d] * a / ([0.6, 1.5][d] + a)
                let s = [2.5, 0.7][d], k = [0.8, 1.2][d]
                let hill = 1000 * [1.5, 0.9][d] * pow(a, s) / (pow(a, s) + pow(k, s))
                // Relative 1e-12: a few roundings of doubles apart.
                XCTAssertEqual(p.response(channel: 0, draw: d, spend: spend), logistic, accuracy: 1e-12 * max(logistic, 1))
                XCTAssertEqual(p.response(channel: 1, draw: d, spend: spend), mm, accuracy: 1e-12 * max(mm, 1))
                XCTAssertEqual(p.response(channel: 2, draw: d, spend: spend), hill, accuracy: 1e-12 * max(hill, 1))
            }
        }
        XCTAssertTrue(p.isConcave(channel: 0))
        XCTAssertFalse(p.isConcave(channel: 2), "Hill with S = 2.5 in one draw is S-shaped")
    }

    /// Central differences with h = 1e-4·spend have truncation error O(h²·f''') ≈ 1e-8 relative
    /// and rounding error ≈ ε·f/h ≈ 1e-11 here, so 1e-6 relative is a safe bound.
    func testMarginalResponseMatchesFiniteDifferences() {
        let p = families()
        for c in 0..<3 {
            for d in 0..<2 {
                for spend in [5.0, 37.0, 100.0, 300.0] {
                    let h = 1e-4 * spend
                    let fd = (p.response(channel: c, draw: d, spend: spend + h) - p.response(channel: c, draw: d, spend: spend - h)) / (2 * h)
                    XCTAssertEqual(p.marginalResponse(channel: c, draw: d, spend: spend), fd, accuracy: 1e-6 * abs(fd) + 1e-12)
                }
            }
        }
    }

    /// The horizon response against a literal simulation: 200 periods of history at x₀, H periods
    /// at s, then zeros, adstock by the weights, saturation, sum over the horizon (and tail).
    func testHorizonResponseEqualsDirectSimulationOfTheAdstock() {
        let weights = [[0.5, 0.3, 0.15, 0.05], [0.1, 0.4, 0.3, 0.2]]
        let p = ParametricResponseDraws(channels: [
            HandMade.channel("tv", .logistic, beta: [1.2, 0.8], lambda: [1.5, 2.5], carryover: weights),
        ])
        for periods in [1, 2, 3, 10] {
            for tail in [true, false] {
                let history = 70.0, spend = 130.0
                let horizon = HorizonResponse(draws: p, settings: HorizonSettings(periods: periods, countCarryoverTail: tail), history: [history])
                for d in 0..<2 {
                    let w = p.carryoverWeights(channel: 0, draw: d)
                    let x = Array(repeating: history, count: 200) + Array(repeating: spend, count: periods) + Array(repeating: 0.0, count: 10)
                    var total = 0.0
                    for t in 200..<(200 + periods + (tail ? w.count - 1 : 0)) {
                        let a = (0..<w.count).reduce(0.0) { $0 + w[$1] * x[t - $1] }
                        total += p.response(channel: 0, draw: d, spend: a)
                    }
                    let got = horizon.evaluate(channel: 0, draw: d, spend: spend)
                    XCTAssertEqual(got.value, total, accuracy: 1e-10 * total, "H=\(periods) tail=\(tail)")
                    let h = 1e-3
                    let fd = (horizon.evaluate(channel: 0, draw: d, spend: spend + h).value - horizon.evaluate(channel: 0, draw: d, spend: spend - h).value) / (2 * h)
                    XCTAssertEqual(got.slope, fd, accuracy: 1e-6 * abs(fd))
                }
            }
        }
    }

    func testSteadyStateWithoutTailIsHTimesTheCurve() {
        let p = ParametricResponseDraws(channels: [
            HandMade.channel("tv", .hill, beta: [1.0], kappa: [0.5], slope: [1.5], carryover: [[0.6, 0.3, 0.1]]),
        ])
        let horizon = HorizonResponse(draws: p, settings: HorizonSettings(periods: 6, countCarryoverTail: false), history: [80])
        XCTAssertEqual(horizon.evaluate(channel: 0, draw: 0, spend: 80).value, 6 * p.response(channel: 0, draw: 0, spend: 80),
                       accuracy: 1e-10 * p.response(channel: 0, draw: 0, spend: 80))
    }
}
