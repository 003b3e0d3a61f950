import XCTest
import MixOptimize
import MixPlanningTestSupport

/// KKT certificate, exact totals and bounds, the uncertainty-aversion case, infeasibility errors.
final class ConstraintTests: XCTestCase {
    func fiveConcave(draws: Int = 300) -> ParametricResponseDraws {
        var rng = TestRandom(state: 99)
        let shared = (0..<draws).map { _ in rng.normal() }
        func own() -> [Double] { (0..<draws).map { _ in rng.normal() } }
        let carry = [[0.6, 0.25, 0.1, 0.05]]
        var channels: [ChannelDraws] = []
        for i in 0..<5 {
            let x = Double(i)
            let family: SaturationKind = i % 2 == 0 ? .logistic : .michaelisMenten
            let beta = HandMade.lognormal(0.5 + 0.3 * x, sd: 0.3, shared: shared, own: own(), rho: 0.4)
            let shape = HandMade.lognormal(0.7 + 0.2 * x, sd: 0.2, shared: shared, own: own(), rho: 0)
            channels.append(HandMade.channel("ch\(i)", family, beta: beta, lambda: shape, carryover: carry, spendScale: 50 + 20 * x))
        }
        return ParametricResponseDraws(channels: channels)
    }

    func testConcaveMeanHasKKTResidualBelow1e6AndExactConstraints() throws {
        let draws = fiveConcave()
        let problem = BudgetProblem(channelNames: draws.channelNames, budget: 8 * 400, horizon: HorizonSettings(periods: 8),
                                    currentSpend: [100, 80, 60, 90, 70],
                                    bounds: ["ch0": .absolute(min: 20, max: 90), "ch3": .relative(fraction: 0.3)],
                                    fixed: ["ch1": 75], minimumShares: ["ch4": 0.1])
        let optimizer = try BudgetOptimizer(draws: draws, problem: problem)
        let s = try optimizer.solve(.mean)
        XCTAssertEqual(s.certificate.method, "kkt-multiplier")
        XCTAssertTrue(s.certificate.explanation.hasPrefix("exact optimum"), s.certificate.explanation)
        XCTAssertTrue(s.certificate.converged)
        XCTAssertLessThan(s.certificate.kktResidual!, 1e-6)
        XCTAssertEqual(s.certificate.boundMultipliersValid, true)
        XCTAssertEqual(s.allocation.reduce(0, +), 400, accuracy: 1e-9 * 400)
        XCTAssertEqual(s.allocation[1], 75, "fixed channel held exactly")
        XCTAssertGreaterThanOrEqual(s.allocation[0], 20); XCTAssertLessThanOrEqual(s.allocation[0], 90)
        // ±30 % of 90, computed as the library does (90·0.7 is 62.999… in binary).
        XCTAssertGreaterThanOrEqual(s.allocation[3], 90 * (1 - 0.3)); XCTAssertLessThanOrEqual(s.allocation[3], 90 * (1 + 0.3))
        XCTAssertGreaterThanOrEqual(s.allocation[4], 40)
        // Independent check of optimality: no feasible pairwise move of 0.1 improves the mean.
        let base = Objective.mean.value(optimizer.horizon.totals(s.allocation))
        for i in [0, 2, 3, 4] { for j in [0, 2, 3, 4] where i != j {
            var t = s.allocation; t[i] -= 0.1; t[j] += 0.1
            if t[0] < 20 || t[0] > 90 || t[3] < 90 * (1 - 0.3) || t[3] > 90 * (1 + 0.3) || t[4] < 40 || t[2] < 0 { continue }
            XCTAssertLessThanOrEqual(Objective.mean.value(optimizer.horizon.totals(t)), base + 1e-9 * base)
        } }
        for objective in [Objective.meanMinusSD(k: 2), .conditionalValueAtRisk(q: 0.05)] {
            let r = try optimizer.solve(objective)
            XCTAssertEqual(r.allocation.reduce(0, +), 400, accuracy: 1e-9 * 400)
            XCTAssertEqual(r.allocation[1], 75)
            XCTAssertGreaterThanOrEqual(r.allocation[0], 20); XCTAssertLessThanOrEqual(r.allocation[0], 90)
            XCTAssertGreaterThanOrEqual(r.allocation[4], 40)
            XCTAssertGreaterThanOrEqual(r.certificate.gap!, 0)
        }
    }

    /// The many-draw path (subsample KKT, then Newton polish on all draws) must land on the same
    /// KKT point as the full solver: both are certified to 1e-9, so allocations agree to ~1e-6.
    func testSubsamplePolishReachesTheFullSolversKKTPoint() throws {
        let draws = fiveConcave(draws: 1000)
        let problem = BudgetProblem(channelNames: draws.channelNames, budget: 6 * 350, horizon: HorizonSettings(periods: 6),
                                    currentSpend: [100, 80, 60, 90, 70], bounds: ["ch2": .absolute(min: 0, max: 40)])
        var fast = SolverOptions(); fast.globalStageDraws = 150
        var full = SolverOptions(); full.globalStageDraws = 5000
        let a = try BudgetOptimizer(draws: draws, problem: problem, options: fast).solve(.mean)
        let b = try BudgetOptimizer(draws: draws, problem: problem, options: full).solve(.mean)
        XCTAssertEqual(a.certificate.method, "kkt-multiplier+newton-polish")
        XCTAssertEqual(b.certificate.method, "kkt-multiplier")
        XCTAssertLessThan(a.certificate.kktResidual!, 1e-6)
        XCTAssertEqual(a.certificate.boundMultipliersValid, true)
        for c in 0..<5 { XCTAssertEqual(a.allocation[c], b.allocation[c], accuracy: 1e-5 * 350) }
        XCTAssertEqual(a.allocation.reduce(0, +), 350, accuracy: 1e-9 * 350)
        XCTAssertLessThanOrEqual(a.allocation[2], 40)
        // Risk objectives through the subsampled global stage still keep the constraints.
        let risk = try BudgetOptimizer(draws: draws, problem: problem, options: fast).solve(.conditionalValueAtRisk(q: 0.05))
        XCTAssertEqual(risk.allocation.reduce(0, +), 350, accuracy: 1e-9 * 350)
        XCTAssertLessThanOrEqual(risk.allocation[2], 40)
        XCTAssertGreaterThanOrEqual(risk.certificate.gap!, 0)
    }

    /// Same mean curve (β draws of B are 1 ± 0.6·z in antithetic pairs, so their mean is exactly
    /// A's β = 1), different spread: risk aversion favours A, the mean splits evenly.
    func testRiskAversionMovesBudgetToTheLessUncertainChannel() throws {
        var rng = TestRandom(state: 5)
        let z = (0..<100).map { _ in rng.normal() }
        let betaB = z.flatMap { [1 + 0.6 * tanh($0), 1 - 0.6 * tanh($0)] }
        let draws = ParametricResponseDraws(channels: [
            HandMade.channel("steady", .logistic, beta: Array(repeating: 1, count: 200), lambda: Array(repeating: 1.5, count: 200)),
            HandMade.channel("noisy", .logistic, beta: betaB, lambda: Array(repeating: 1.5, count: 200)),
        ])
        let problem = BudgetProblem(channelNames: draws.channelNames, budget: 4 * 200, horizon: HorizonSettings(periods: 4),
                                    currentSpend: [100, 100])
        let optimizer = try BudgetOptimizer(draws: draws, problem: problem)
        let mean = try optimizer.solve(.mean)
        XCTAssertEqual(mean.allocation[0], mean.allocation[1], accuracy: 1e-6 * 200)
        for objective in [Objective.meanMinusSD(k: 1), .valueAtRisk(q: 0.05), .conditionalValueAtRisk(q: 0.1)] {
            let r = try optimizer.solve(objective)
            XCTAssertGreaterThan(r.allocation[0], r.allocation[1] + 10, "\(objective) should favour the steady channel")
        }
    }

    func testInfeasibleInputsNameTheConflict() throws {
        let draws = HandMade.logisticTwo(draws: 10)
        func attempt(_ problem: BudgetProblem) -> String {
            do { _ = try BudgetOptimizer(draws: draws, problem: problem); return "" } catch { return "\(error)" }
        }
        let h = HorizonSettings(periods: 2)
        XCTAssertTrue(attempt(BudgetProblem(channelNames: ["tv", "search"], budget: -5, horizon: h, currentSpend: [1, 1])).contains("non-negative"))
        XCTAssertTrue(attempt(BudgetProblem(channelNames: ["tv", "search"], budget: 100, horizon: h, currentSpend: [1, 1],
                                            bounds: ["radio": .absolute(min: 0, max: 1)])).contains("Unknown channel \"radio\""))
        let low = attempt(BudgetProblem(channelNames: ["tv", "search"], budget: 100, horizon: h, currentSpend: [10, 10],
                                        bounds: ["tv": .absolute(min: 0, max: 10), "search": .relative(fraction: 0.2)]))
        XCTAssertTrue(low.contains("maximum spends sum to 22"), low)
        let high = attempt(BudgetProblem(channelNames: ["tv", "search"], budget: 100, horizon: h, currentSpend: [10, 10],
                                         bounds: ["tv": .absolute(min: 40, max: 60)], fixed: ["search": 20]))
        XCTAssertTrue(high.contains("minimum spends sum to 60"), high)
        let share = attempt(BudgetProblem(channelNames: ["tv", "search"], budget: 100, horizon: h, currentSpend: [10, 10],
                                          bounds: ["tv": .absolute(min: 0, max: 20)], minimumShares: ["tv": 0.5]))
        XCTAssertTrue(share.contains("Channel \"tv\" cannot spend at least 25"), share)
        XCTAssertTrue(attempt(BudgetProblem(channelNames: ["search", "tv"], budget: 100, horizon: h, currentSpend: [1, 1])).contains("differ"))
    }

    /// A budget below what the channels' minimums need is the budget's fault, stated like the
    /// too-large case and with the range of budgets that would work — not blamed on one channel.
    func testABudgetBelowTheMinimumsStatesTheAllowedRange() throws {
        let draws = HandMade.logisticTwo(draws: 10)
        func attempt(_ budget: Double, periods: Int) -> String {
            let problem = BudgetProblem(channelNames: ["tv", "search"], budget: budget, horizon: HorizonSettings(periods: periods),
                                        currentSpend: [30, 10], bounds: ["tv": .relative(fraction: 0.5), "search": .absolute(min: 5, max: 20)])
            do { _ = try BudgetOptimizer(draws: draws, problem: problem); return "" } catch { return "\(error)" }
        }
        // Per period: minimums 15 + 5 = 20, maximums 45 + 20 = 65.
        for (budget, periods) in [(0.0, 1), (10.0, 1), (60.0, 4)] {
            let message = attempt(budget, periods: periods)
            XCTAssertFalse(message.contains("Channel \""), message)
            XCTAssertTrue(message.contains("minimum spends sum to 20 per period"), message)
            let over = periods == 1 ? "(20 over 1 period)" : "(80 over 4 periods)"
            XCTAssertTrue(message.contains(over), message)
            XCTAssertTrue(message.contains("must be between \(20 * periods) and \(65 * periods)"), message)
        }
        let tooLarge = attempt(1000, periods: 4)
        XCTAssertTrue(tooLarge.contains("maximum spends sum to 65 per period (260 over 4 periods), less than the budget of 1000"), tooLarge)
        XCTAssertTrue(tooLarge.contains("must be between 80 and 260"), tooLarge)
        XCTAssertEqual(attempt(20, periods: 1), "", "the smallest allowed budget is feasible")
        XCTAssertEqual(attempt(260, periods: 4), "", "the largest allowed budget is feasible")
    }
}

final class PausedChannelWarningTests: XCTestCase {
    func testWarnsOnlyForAPausedChannelHeldByARelativeBound() {
        let problem = BudgetProblem(channelNames: ["tv", "radio", "print", "search"], budget: 1000, horizon: HorizonSettings(periods: 1),
                                    currentSpend: [500, 0, 0, 0],
                                    bounds: ["tv": .relative(fraction: 0.3), "radio": .relative(fraction: 0.3),
                                             "print": .absolute(min: 0, max: 200)],
                                    fixed: ["search": 0])
        let warnings = DefaultPlan.pausedChannelWarnings(problem, window: "the last 4 weeks")
        XCTAssertEqual(warnings.count, 1, "\(warnings)")
        XCTAssertTrue(warnings[0].hasPrefix("radio had no spend in the last 4 weeks, so its ±30 % bound holds it at zero"), warnings[0])
        XCTAssertTrue(warnings[0].contains("--bounds radio=MIN:MAX"), warnings[0])
    }
}
