import XCTest
import MixOptimize
import MixPlanningTestSupport

/// Issue 5 acceptance: the solver against exhaustive search, certificates, exact constraints.
final class SolverAcceptanceTests: XCTestCase {
    static let objectives: [Objective] = [.mean, .meanMinusSD(k: 1), .valueAtRisk(q: 0.05), .conditionalValueAtRisk(q: 0.1)]

    /// Brute force on a grid of step Δ = budget/steps is within O(Δ²·|f''|) of the true optimum
    /// for smooth objectives and O(Δ·|f'|) at kinks of the quantile objectives; with 2000 (two
    /// channels) or 300 (three) steps that is far below the 0.1 % the issue asks for, so the
    /// solver must agree with it to 0.1 % of response (and may beat it only by that grid error).
    func check(_ draws: ParametricResponseDraws, budgetPerPeriod: Double, periods: Int, steps: Int,
               file: StaticString = #filePath, line: UInt = #line) throws {
        let n = draws.channelNames.count
        let current = Array(repeating: budgetPerPeriod / Double(n), count: n)
        let horizon = HorizonSettings(periods: periods, countCarryoverTail: true)
        let problem = BudgetProblem(channelNames: draws.channelNames, budget: budgetPerPeriod * Double(periods),
                                    horizon: horizon, currentSpend: current)
        let optimizer = try BudgetOptimizer(draws: draws, problem: problem)
        for objective in Self.objectives {
            let solution = try optimizer.solve(objective)
            let truth = bruteForce(draws, objective: objective, horizon: horizon, history: current, total: budgetPerPeriod,
                                   lower: Array(repeating: 0, count: n), upper: Array(repeating: budgetPerPeriod, count: n), steps: steps)
            let recomputed = objective.value(optimizer.horizon.totals(solution.allocation))
            XCTAssertEqual(recomputed, solution.objectiveValue, accuracy: 1e-9 * abs(recomputed), "\(objective)", file: file, line: line)
            XCTAssertEqual(solution.objectiveValue, truth.value, accuracy: 1e-3 * abs(truth.value),
                           "\(objective): solver \(solution.allocation) vs grid \(truth.allocation)", file: file, line: line)
            XCTAssertEqual(solution.allocation.reduce(0, +), budgetPerPeriod, accuracy: 1e-9 * budgetPerPeriod, file: file, line: line)
        }
    }

    func testTwoLogisticChannelsMatchBruteForceForEveryObjective() throws {
        try check(HandMade.logisticTwo(), budgetPerPeriod: 150, periods: 4, steps: 2000)
    }

    func testThreeChannelsWithSShapedHillMatchBruteForceForEveryObjective() throws {
        try check(HandMade.mixedThree(), budgetPerPeriod: 120, periods: 3, steps: 300)
    }

    /// Two identical S-shaped curves and a small budget: the equal split has equal marginals, so
    /// a local method started there stops there; all-in-one-channel is far better.
    func testSShapedCurvesDefeatTheNaiveEqualSplitStartButNotTheSolver() throws {
        let draws = HandMade.sShapedTwin()
        let problem = BudgetProblem(channelNames: draws.channelNames, budget: 120, horizon: HorizonSettings(periods: 1),
                                    currentSpend: [60, 60])
        let optimizer = try BudgetOptimizer(draws: draws, problem: problem)
        let naive = try optimizer.localAscent(.mean, from: [60, 60])
        let solved = try optimizer.solve(.mean)
        let truth = bruteForce(draws, objective: .mean, horizon: problem.horizon, history: [60, 60], total: 120,
                               lower: [0, 0], upper: [120, 120], steps: 2000)
        XCTAssertEqual(solved.objectiveValue, truth.value, accuracy: 1e-3 * truth.value)
        XCTAssertEqual(max(solved.allocation[0], solved.allocation[1]), 120, accuracy: 1e-6)
        // The naive answer is the start itself and at least 20 % worse (it is ~2× worse here).
        XCTAssertEqual(naive.allocation[0], 60, accuracy: 1e-6)
        XCTAssertLessThan(naive.objectiveValue, 0.8 * solved.objectiveValue)
        XCTAssertEqual(solved.certificate.method, "dp-grid+projected-gradient")
        XCTAssertTrue(naive.certificate.explanation.contains("need not be the best plan"), naive.certificate.explanation)
        XCTAssertGreaterThanOrEqual(solved.certificate.gap ?? -1, 0)
        for objective in Self.objectives.dropFirst() {
            let risk = try optimizer.solve(objective)
            let truth = bruteForce(draws, objective: objective, horizon: problem.horizon, history: [60, 60], total: 120,
                                   lower: [0, 0], upper: [120, 120], steps: 2000)
            XCTAssertEqual(risk.objectiveValue, truth.value, accuracy: 1e-3 * abs(truth.value), "\(objective)")
            XCTAssertGreaterThan(risk.objectiveValue, (try optimizer.localAscent(objective, from: [60, 60])).objectiveValue)
        }
    }
}
