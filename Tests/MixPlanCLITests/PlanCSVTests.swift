import XCTest
import MixPlanningTestSupport
import MixResults
import mixplan

/// `plan.csv`: every number of the plan at full precision, readable back by `whatif --plan`.
final class PlanCSVTests: XCTestCase {
    func testPlanCSVHoldsThePlanAndReadsBackAsAWhatIfPlan() throws {
        let draws = HandMade.logisticTwo()
        let o = try BudgetOptimizer(draws: draws, problem: BudgetProblem(channelNames: draws.channelNames, budget: 600,
                                                                         horizon: HorizonSettings(periods: 4), currentSpend: [100, 50]))
        let plan = try o.optimize(.mean).plan
        let text = plan.csv()
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 1 + plan.channels.count)
        XCTAssertTrue(lines[0].hasPrefix("channel,spend,"))
        for (line, c) in zip(lines.dropFirst(), plan.channels) {
            let cells = line.split(separator: ",").map(String.init)
            XCTAssertEqual(cells[0], c.channel)
            // %.17g round-trips a double exactly.
            XCTAssertEqual(Double(cells[1]), c.spendPerPeriod)
            XCTAssertEqual(Double(cells[5]), c.response.mean)
            XCTAssertEqual(Double(cells[8]), c.roas)
            XCTAssertEqual(Double(cells[9]), c.marginalROAS)
        }
        let spends = try PlanSpecs.parsePlanCSV(text, channels: draws.channelNames, file: "plan.csv")
        XCTAssertEqual(spends, plan.channels.map(\.spendPerPeriod))
        XCTAssertEqual(try o.whatIf(spends).response, plan.response)
        // The two-column form still reads, and a short row is still an error naming its row.
        XCTAssertEqual(try PlanSpecs.parsePlanCSV("channel,spend\n\(draws.channelNames[0]),5\n", channels: draws.channelNames,
                                                  file: "p.csv", fill: [1, 2]), [5, 2])
        XCTAssertThrowsError(try PlanSpecs.parsePlanCSV(lines[0] + "\n\(draws.channelNames[0]),5\n", channels: draws.channelNames, file: "p.csv"))
    }

    func testFormulaLikeNamesAreGuardedAndStillReadBack() throws {
        var plan = try BudgetOptimizer(draws: HandMade.logisticTwo(), problem: BudgetProblem(
            channelNames: HandMade.logisticTwo().channelNames, budget: 600, horizon: HorizonSettings(periods: 4),
            currentSpend: [100, 50])).whatIf([100, 50])
        plan.channels[0].channel = "=1+1"
        plan.channels[1].channel = "a,b"
        let text = plan.csv()
        XCTAssertTrue(text.contains("\n'=1+1,"), text)
        XCTAssertTrue(text.contains("\n\"a,b\","), text)
        XCTAssertEqual(try PlanSpecs.parsePlanCSV("channel,spend\n'=1+1,7\n", channels: ["=1+1", "x"], file: "p.csv", fill: [0, 3]), [7, 3])
    }
}
