import Foundation
import XCTest
import MixPlanningTestSupport
import MixResults

/// The plans as the command line prints them and as plan.json holds them (Rendering.swift):
/// every figure of the result is in the table, the budget frontier has a row per budget, the
/// warnings and the "no change" wording appear when they apply, and an unbounded marginal return
/// is written as such in both the table and the JSON.
final class PlanRenderingTests: XCTestCase {
    func testRenderedTableAndJSONCarryTheResult() throws {
        let draws = HandMade.logisticTwo(draws: 50)
        let problem = BudgetProblem(channelNames: draws.channelNames, budget: 400, horizon: HorizonSettings(periods: 4),
                                    currentSpend: [50, 50])
        let result = try BudgetOptimizer(draws: draws, problem: problem).optimize(.conditionalValueAtRisk(q: 0.1))
        let table = result.renderTable()
        XCTAssertTrue(table.contains(String(format: "%.2f", result.plan.channels[0].spendPerPeriod)))
        XCTAssertTrue(table.contains("carryover tail"))
        XCTAssertTrue(table.contains("multistart-exchange"))
        let json = try ResultJSON.encode(result)
        XCTAssertEqual(json, try ResultJSON.encode(result), "same result, same bytes")
        let back = try JSONDecoder().decode(OptimizationResult.self, from: Data(json.utf8))
        XCTAssertEqual(back, result)
        let keys = json.components(separatedBy: "\n").filter { $0.hasPrefix("  \"") }.map { $0.trimmingCharacters(in: .whitespaces) }
        XCTAssertEqual(keys, keys.sorted())
    }

    func optimizer() throws -> BudgetOptimizer {
        let draws = HandMade.logisticTwo()
        let problem = BudgetProblem(channelNames: draws.channelNames, budget: 4 * 150, horizon: HorizonSettings(periods: 4),
                                    currentSpend: [100, 50])
        return try BudgetOptimizer(draws: draws, problem: problem)
    }

    func testFrontierTableHasARowPerBudgetAndTheMarginalReturn() throws {
        let f = try optimizer().frontier(.mean)
        let text = f.renderTable()
        XCTAssertEqual(text.components(separatedBy: "\n").filter { $0.contains("%  ") }.count, f.points.count, "one table row per budget")
        XCTAssertTrue(text.contains(String(format: "%.2f", f.points[7].budget)))
        XCTAssertTrue(text.contains("marginal return"))
    }

    func testFloodedPlanTableWarnsThatEveryMarginalReturnIsBelowOne() throws {
        let flooded = try optimizer().whatIf([50_000, 50_000])
        XCTAssertEqual(flooded.returnWarnings.count, 2)
        XCTAssertTrue(flooded.renderTable().contains("Warning: every channel's marginal ROAS is below 1"))
    }

    /// The what-if of current spend has no change in any draw: its probability of beating
    /// current spend is "—", not 0.0 %; any other plan still shows its probability.
    func testWhatIfOfCurrentSpendShowsNoProbability() throws {
        let problem = BudgetProblem(channelNames: ["tv", "search", "radio", "print"], budget: 400, horizon: HorizonSettings(periods: 1),
                                    currentSpend: [100, 100, 100, 100])
        let optimizer = try BudgetOptimizer(draws: HandMade.fourLogistic(), problem: problem)
        let same = try optimizer.whatIf([100, 100, 100, 100])
        XCTAssertTrue(same.keepsCurrentSpend)
        XCTAssertTrue(same.renderTable().contains("probability the plan beats current — (the plan is current spend)."), same.renderTable())
        XCTAssertFalse(same.renderTable().contains("0.0 %"), same.renderTable())
        let moved = try optimizer.whatIf([130, 90, 90, 90])
        XCTAssertFalse(moved.keepsCurrentSpend)
        XCTAssertTrue(moved.renderTable().contains("probability the plan beats current >99 %."), moved.renderTable())
    }

    func testAnUnboundedMarginalReturnIsWrittenAsSuchInTheTableAndTheJSON() throws {
        let (result, _) = try HandMade.hillAtZero()
        XCTAssertEqual(result.plan.channels[1].marginalROAS, .infinity)
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
