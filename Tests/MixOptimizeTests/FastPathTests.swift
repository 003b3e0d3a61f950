import XCTest
import MixOptimize
import MixPlanningTestSupport

/// The fast paths against their references: the vectorised horizon loop against the term-by-term
/// evaluation, curvature against finite differences of the slope, the Newton mean solver
/// (warm-started along the frontier) against independent cold solves.
final class FastPathTests: XCTestCase {
    /// Geometric 8-lag carryover, logistic / Michaelis–Menten / Hill, 1103 draws (not a multiple
    /// of 4, and 15 terms × 1104 > 16k so the draws are split over two threads).
    func posterior(draws: Int = 1103, lags: Int = 8) -> ParametricResponseDraws {
        var rng = TestRandom(state: 5)
        let shared = (0..<draws).map { _ in rng.normal() }
        func own() -> [Double] { (0..<draws).map { _ in rng.normal() } }
        let families: [SaturationKind] = [.logistic, .michaelisMenten, .hill, .logistic]
        return ParametricResponseDraws(channels: families.enumerated().map { c, family in
            let x = Double(c)
            let carry = (0..<draws).map { _ -> [Double] in
                let alpha = 0.2 + 0.6 * rng.uniform()
                return (0..<lags).map { pow(alpha, Double($0)) }
            }
            let beta = HandMade.lognormal(0.6 + 0.2 * x, sd: 0.3, shared: shared, own: own(), rho: 0.5)
            let shape = HandMade.lognormal(family == .hill ? 0.6 : 1.2 + 0.3 * x, sd: 0.2, shared: shared, own: own(), rho: 0)
            return HandMade.channel("ch\(c)", family, beta: beta, lambda: family == .hill ? [] : shape, kappa: family == .hill ? shape : [],
                                    slope: family == .hill ? HandMade.lognormal(0.8, sd: 0.1, shared: shared, own: own(), rho: 0).map { min($0, 1) } : [],
                                    carryover: carry, spendScale: 60 + 30 * x)
        })
    }

    /// The vectorised loop reorganises the same arithmetic (exp by its own polynomial, a few ulp)
    /// over ≤ 15 terms of like sign, so per-draw values and slopes agree to 1e-12 relative.
    func testVectorisedHorizonEqualsTermByTermEvaluation() {
        for lags in [1, 8] {
            let p = posterior(lags: lags)
            for settings in [HorizonSettings(periods: 12), HorizonSettings(periods: 3), HorizonSettings(periods: 5, countCarryoverTail: false)] {
                let history = [70.0, 20, 0, 150]
                let horizon = HorizonResponse(draws: p, settings: settings, history: history)
                var values = [Double](repeating: 0, count: p.drawCount), slopes = values
                for c in 0..<4 {
                    for spend in [0.0, 13, 90, 400] {
                        let mean = values.withUnsafeMutableBufferPointer { v in
                            slopes.withUnsafeMutableBufferPointer { g in horizon.evaluate(channel: c, spend: spend, values: v, slopes: g) }
                        }
                        var sumV = 0.0, sumG = 0.0
                        for d in 0..<p.drawCount {
                            let naive = horizon.evaluate(channel: c, draw: d, spend: spend)
                            XCTAssertEqual(values[d], naive.value, accuracy: 1e-12 * abs(naive.value) + 1e-300, "L=\(lags) c=\(c) s=\(spend)")
                            XCTAssertEqual(slopes[d], naive.slope, accuracy: 1e-12 * abs(naive.slope) + 1e-300, "L=\(lags) c=\(c) s=\(spend)")
                            sumV += naive.value
                            sumG += naive.slope
                        }
                        let n = Double(p.drawCount)
                        XCTAssertEqual(mean.value, sumV / n, accuracy: 1e-12 * abs(sumV / n))
                        XCTAssertEqual(mean.slope, sumG / n, accuracy: 1e-12 * abs(sumG / n))
                    }
                }
            }
        }
    }

    /// Mean curvature against a central difference of the mean slope, Richardson-extrapolated
    /// over steps h and h/2 (h = 1e-3·s) so the O(h²) truncation cancels; what is left, O(h⁴)
    /// and rounding O(ε·f′/h), is under 1e-6 relative here.
    func testCurvatureMatchesFiniteDifferenceOfTheSlope() {
        let p = posterior(draws: 300)
        let horizon = HorizonResponse(draws: p, settings: HorizonSettings(periods: 12), history: [70, 20, 5, 150])
        for c in 0..<4 {
            for spend in [10.0, 90, 400] {
                let h = 1e-3 * spend
                func central(_ h: Double) -> Double {
                    (horizon.mean(channel: c, spend: spend + h).slope - horizon.mean(channel: c, spend: spend - h).slope) / (2 * h)
                }
                let fd = (4 * central(h / 2) - central(h)) / 3
                let got = horizon.meanWithCurvature(channel: c, spend: spend)
                XCTAssertLessThan(got.curvature, 0, "concave families")
                XCTAssertEqual(got.curvature, fd, accuracy: 1e-6 * abs(fd), "c=\(c) s=\(spend)")
                XCTAssertEqual(got.value, horizon.mean(channel: c, spend: spend).value)
            }
        }
    }

    /// The frontier's Newton solves start from the previous point; each point must be the same
    /// KKT point a cold solve finds (both certified to 1e-9 relative, so spends agree to ~1e-6).
    func testWarmStartedFrontierMatchesColdSolves() throws {
        let p = posterior(draws: 900)
        let current = [60.0, 40, 30, 80]
        let problem = BudgetProblem(channelNames: p.channelNames, budget: 12 * 210, horizon: HorizonSettings(periods: 12),
                                    currentSpend: current, bounds: ["ch1": .relative(fraction: 0.3)], fixed: ["ch3": 80])
        var options = SolverOptions(); options.globalStageDraws = 200
        let optimizer = try BudgetOptimizer(draws: p, problem: problem, options: options)
        let frontier = try optimizer.frontier(.mean, from: 0.6, to: 1.8, steps: 7)
        XCTAssertEqual(frontier.points.count, 7)
        for point in frontier.points {
            let cold = try optimizer.solve(.mean, budget: point.budget)
            XCTAssertEqual(cold.certificate.method, "kkt-multiplier+newton-polish")
            XCTAssertLessThan(cold.certificate.kktResidual!, 1e-9)
            XCTAssertEqual(point.objectiveValue, cold.objectiveValue, accuracy: 1e-10 * cold.objectiveValue)
            let perPeriod = point.budget / 12
            for c in 0..<4 { XCTAssertEqual(point.allocation[c], cold.allocation[c], accuracy: 1e-6 * perPeriod) }
            XCTAssertEqual(point.allocation.reduce(0, +), perPeriod, accuracy: 1e-9 * perPeriod)
            XCTAssertEqual(point.allocation[3], 80)
            XCTAssertGreaterThanOrEqual(point.allocation[1], 40 * 0.7)
            XCTAssertLessThanOrEqual(point.allocation[1], 40 * 1.3)
        }
    }
}
