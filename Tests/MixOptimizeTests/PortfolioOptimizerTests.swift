import XCTest
import MixOptimize
import MixPlanningTestSupport

/// Issue 24: one budget across models × channels, solved by the single-model optimiser on the
/// joint problem — checked against the single model, random feasible plans and brute force.
final class PortfolioOptimizerTests: XCTestCase {
    static let objectives: [Objective] = [.mean, .meanMinusSD(k: 1), .conditionalValueAtRisk(q: 0.1)]
    /// Values the solver reports are recomputed from the same draws by the same arithmetic, up to
    /// summation order: 1e-9 relative is many orders above that rounding and far below any gap.
    static let recomputeTolerance = 1e-9

    /// A portfolio of three hand-made models with different draw counts (200, 300, 150) and
    /// bounds: ±40 % of current spend for the first two, absolute limits for the third.
    func threeModels(periods: Int = 4) throws -> Portfolio {
        let horizon = HorizonSettings(periods: periods, countCarryoverTail: true)
        let a = HandMade.logisticTwo(draws: 200, seed: 3)
        let b = HandMade.mixedThree(draws: 300, seed: 7)
        var rng = TestRandom(state: 19)
        let c = ParametricResponseDraws(channels: [
            HandMade.channel("radio", .michaelisMenten, beta: (0..<150).map { _ in 0.9 * exp(0.2 * rng.normal()) },
                             lambda: (0..<150).map { _ in 0.5 * exp(0.1 * rng.normal()) }, carryover: [[0.6, 0.3, 0.1]]),
        ])
        func relative(_ d: ParametricResponseDraws, _ f: Double) -> [String: SpendBound] {
            Dictionary(uniqueKeysWithValues: d.channelNames.map { ($0, SpendBound.relative(fraction: f)) })
        }
        return try Portfolio(members: [
            .init(name: "brand-a", draws: a, problem: BudgetProblem(channelNames: a.channelNames, budget: 0, horizon: horizon,
                                                                    currentSpend: [70, 50], bounds: relative(a, 0.4))),
            .init(name: "brand-b", draws: b, problem: BudgetProblem(channelNames: b.channelNames, budget: 0, horizon: horizon,
                                                                    currentSpend: [60, 40, 30], bounds: relative(b, 0.4))),
            .init(name: "brand-c", draws: c, problem: BudgetProblem(channelNames: c.channelNames, budget: 0, horizon: horizon,
                                                                    currentSpend: [40], bounds: ["radio": .absolute(min: 10, max: 90)])),
        ], horizon: horizon)
    }

    /// A one-model manifest is the single-model problem: same allocation, value and certificate.
    func testOneModelPortfolioEqualsTheSingleModelOptimizer() throws {
        let draws = HandMade.mixedThree(draws: 250, seed: 5)
        let horizon = HorizonSettings(periods: 3, countCarryoverTail: true)
        let single = BudgetProblem(channelNames: draws.channelNames, budget: 3 * 150, horizon: horizon, currentSpend: [60, 50, 40],
                                   bounds: ["tv": .relative(fraction: 0.5), "search": .absolute(min: 20, max: 100)], fixed: [:])
        let portfolio = try Portfolio(members: [.init(name: "only", draws: draws, problem: single)], horizon: horizon)
        XCTAssertEqual(portfolio.channelNames, ["only/tv", "only/search", "only/social"])
        XCTAssertEqual(portfolio.jointDrawCount, 250)
        let alone = try BudgetOptimizer(draws: draws, problem: single)
        let joint = try portfolio.optimizer(budget: single.budget)
        for objective in Self.objectives {
            let x = try alone.optimize(objective), y = try joint.optimize(objective)
            // The same draws, bounds and solver: the answers agree to rounding.
            for (s, t) in zip(x.plan.channels, y.plan.channels) {
                XCTAssertEqual(s.spendPerPeriod, t.spendPerPeriod, accuracy: Self.recomputeTolerance * 150, "\(objective) \(s.channel)")
            }
            XCTAssertEqual(x.objectiveValue, y.objectiveValue, accuracy: Self.recomputeTolerance * abs(x.objectiveValue), "\(objective)")
            XCTAssertEqual(x.plan.probabilityBetter, y.plan.probabilityBetter, "\(objective)")
            XCTAssertEqual(x.certificate.method, y.certificate.method)
        }
    }

    /// Feasible allocations spread over the whole set: a uniform point of the bound box, then
    /// the budget's excess or shortfall shared out in proportion to each channel's room.
    func randomFeasible(lower: [Double], upper: [Double], total: Double, rng: inout TestRandom) -> [Double] {
        var s = zip(lower, upper).map { lo, hi in lo + rng.uniform() * (hi - lo) }
        let gap = total - s.reduce(0, +)
        let room = gap > 0 ? zip(s, upper).map { $1 - $0 } : zip(s, lower).map { $0 - $1 }
        let roomTotal = room.reduce(0, +)
        for i in s.indices { s[i] += gap * room[i] / roomTotal }
        return s
    }

    /// The portfolio plan is at least as good as each of 300 random feasible cross-model plans,
    /// for every objective, and the budget and every model's bounds hold exactly.
    func testPortfolioPlanBeats300RandomFeasibleAllocations() throws {
        let portfolio = try threeModels()
        let perPeriod = portfolio.currentSpend.reduce(0, +) * 1.1
        let optimizer = try portfolio.optimizer(budget: perPeriod * 4)
        XCTAssertEqual(optimizer.horizon.drawCount, 150, "joint draws: the smallest model's count")
        // Bounds per channel, resolved by hand from the members' problems.
        let current = portfolio.currentSpend
        var lower = current.map { 0.6 * $0 }, upper = current.map { 1.4 * $0 }
        lower[5] = 10; upper[5] = 90
        var rng = TestRandom(state: 2024)
        let randomPlans = (0..<300).map { _ in randomFeasible(lower: lower, upper: upper, total: perPeriod, rng: &rng) }
        for objective in Self.objectives {
            let solution = try optimizer.solve(objective)
            let s = solution.allocation
            XCTAssertEqual(s.reduce(0, +), perPeriod, accuracy: 1e-9 * perPeriod)
            for i in s.indices {
                XCTAssertGreaterThanOrEqual(s[i], lower[i] - 1e-9 * perPeriod, "\(objective) \(portfolio.channelNames[i])")
                XCTAssertLessThanOrEqual(s[i], upper[i] + 1e-9 * perPeriod, "\(objective) \(portfolio.channelNames[i])")
            }
            let value = objective.value(optimizer.horizon.totals(s))
            XCTAssertEqual(value, solution.objectiveValue, accuracy: Self.recomputeTolerance * abs(value))
            var bestRandom = -Double.infinity
            for plan in randomPlans {
                XCTAssertEqual(plan.reduce(0, +), perPeriod, accuracy: 1e-9 * perPeriod)
                bestRandom = max(bestRandom, objective.value(optimizer.horizon.totals(plan)))
            }
            XCTAssertGreaterThanOrEqual(value, bestRandom - Self.recomputeTolerance * abs(value), "\(objective)")
            // And not by luck of a tie: the random plans leave response on the table.
            XCTAssertGreaterThan(value - bestRandom, 1e-4 * abs(value), "\(objective): best random \(bestRandom) vs \(value)")
        }
    }

    /// Across models the optimum matches exhaustive search on the joint draws: two one-channel
    /// models and one two-channel model, grid of 90 steps (error O(Δ²) for the smooth mean).
    func testPortfolioMatchesBruteForceAcrossModels() throws {
        let horizon = HorizonSettings(periods: 2, countCarryoverTail: true)
        let a = HandMade.logisticTwo(draws: 160, seed: 41)
        var rng = TestRandom(state: 5)
        func single(_ name: String, _ beta: Double, _ lambda: Double) -> ParametricResponseDraws {
            ParametricResponseDraws(channels: [HandMade.channel(name, .logistic, beta: (0..<200).map { _ in beta * exp(0.2 * rng.normal()) },
                                                                lambda: (0..<200).map { _ in lambda * exp(0.1 * rng.normal()) })])
        }
        let b = single("tv", 1.4, 1.0), c = single("tv", 0.7, 2.5)
        func free(_ d: ParametricResponseDraws, _ current: [Double]) -> BudgetProblem {
            BudgetProblem(channelNames: d.channelNames, budget: 0, horizon: horizon, currentSpend: current)
        }
        let portfolio = try Portfolio(members: [.init(name: "a", draws: a, problem: free(a, [30, 30])),
                                                .init(name: "b", draws: b, problem: free(b, [30])),
                                                .init(name: "c", draws: c, problem: free(c, [30]))], horizon: horizon)
        let total = 120.0
        let optimizer = try portfolio.optimizer(budget: total * 2)
        for objective in [Objective.mean, .conditionalValueAtRisk(q: 0.1)] {
            let solved = try optimizer.solve(objective)
            let truth = bruteForce(portfolio.jointDraws(), objective: objective, horizon: horizon, history: portfolio.currentSpend,
                                   total: total, lower: [0, 0, 0, 0], upper: [total, total, total, total], steps: 90)
            // The grid (Δ = 4/3 per period) can only be beaten by the solver, and by at most the
            // grid's discretisation error, well under 0.1 % of the response.
            XCTAssertGreaterThanOrEqual(solved.objectiveValue, truth.value * (1 - 1e-9), "\(objective)")
            XCTAssertEqual(solved.objectiveValue, truth.value, accuracy: 1e-3 * abs(truth.value), "\(objective) \(solved.allocation) vs \(truth.allocation)")
        }
        // Per-model totals add up to the plan.
        let plan = try optimizer.optimize(.mean).plan
        let lines = portfolio.modelTotals(plan)
        XCTAssertEqual(lines.map(\.model), ["a", "b", "c"])
        XCTAssertEqual(lines.reduce(0) { $0 + $1.spendPerPeriod }, total, accuracy: 1e-9 * total)
        XCTAssertEqual(lines.reduce(0) { $0 + $1.responseMean }, plan.channels.reduce(0) { $0 + $1.response.mean }, accuracy: 1e-9 * plan.response.mean)
    }

    /// Joint draws pair draw d of each model; a model with more draws keeps an even spread.
    func testJointDrawsKeepEachModelsCurvesAndSpreadLongerChains() throws {
        let portfolio = try threeModels()
        let joint = portfolio.jointDraws()
        XCTAssertEqual(joint.drawCount, 150)
        XCTAssertEqual(joint.channelNames, ["brand-a/tv", "brand-a/search", "brand-b/tv", "brand-b/search", "brand-b/social", "brand-c/radio"])
        let b = portfolio.members[1].draws
        for d in [0, 1, 77, 149] {
            // brand-b has 300 draws: joint draw d is its draw 2d.
            XCTAssertEqual(joint.response(channel: 3, draw: d, spend: 42), b.response(channel: 1, draw: 2 * d, spend: 42))
            XCTAssertEqual(joint.response(channel: 5, draw: d, spend: 42), portfolio.members[2].draws.response(channel: 0, draw: d, spend: 42))
        }
        XCTAssertThrowsError(try Portfolio(members: [portfolio.members[0], portfolio.members[0]], horizon: portfolio.horizon))
    }
}
