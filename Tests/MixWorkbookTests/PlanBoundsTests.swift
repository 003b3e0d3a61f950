import MixTestSupport
import Foundation
import XCTest
import MixWorkbook

/// The optimiser's result carries the bounds it used, and the workbook shows those — not bounds
/// re-derived from the config (issue 21: `optimize --bounds …` then `report --optimization`
/// showed the config's ±relative bound, which the plan never used).
final class PlanBoundsTests: XCTestCase {
    /// Relative: the sheet stores numbers as decimal text of 15–17 significant digits, so a
    /// bound read back may differ from the double written in its last bit or two.
    let tolerance = 1e-14

    func testWorkbookShowsTheBoundsThePlanUsed() throws {
        let model = WorkbookFixture.optimised.model
        let names = model.dataset.channelNames
        let current = model.currentSpend()
        // Channel 0 in [0.5, 1.1] × current, channel 1 held at current: neither is the config's ±30 %.
        let problem = BudgetProblem(channelNames: names, budget: current.reduce(0, +) * 4,
                                    horizon: HorizonSettings(periods: 4, countCarryoverTail: true), currentSpend: current,
                                    bounds: [names[0]: .absolute(min: 0.5 * current[0], max: 1.1 * current[0])],
                                    fixed: [names[1]: current[1]])
        let result = try BudgetOptimizer(draws: ParametricResponseDraws(model: model), problem: problem).optimize(.mean)
        let expected = [(0.5 * current[0], 1.1 * current[0]), (current[1], current[1])]
        for c in names.indices {
            XCTAssertEqual(result.plan.channels[c].lowerBound, expected[c].0, "channel \(c)")
            XCTAssertEqual(result.plan.channels[c].upperBound, expected[c].1, "channel \(c)")
        }
        XCTAssertNotEqual(model.config.optimizer.relativeBound, 0.1, "the config's bound must differ from the plan's for this test to bite")

        // As `report --optimization plan.json` does: the plan read back from its JSON.
        let saved = try JSONDecoder().decode(OptimizationResult.self, from: JSONEncoder().encode(result))
        XCTAssertEqual(saved, result)
        let url = WorkbookFixture.temporaryWorkbook("plan-bounds.xlsx")
        try WorkbookWriter.write(PlanningResults(model: model, optimization: saved, maxDraws: 200), chartFiles: [], to: url)
        let cells = try XlsxReader(url).cells("Allocation")
        // Rows 8… are the channels; E and F the bounds.
        XCTAssertEqual(cells["E7"]?.string, "Lower bound (plan)")
        XCTAssertEqual(cells["F7"]?.string, "Upper bound (plan)")
        for c in names.indices {
            XCTAssertEqual(try XCTUnwrap(cells["E\(8 + c)"]?.number), expected[c].0, accuracy: tolerance * expected[c].1, "channel \(c)")
            XCTAssertEqual(try XCTUnwrap(cells["F\(8 + c)"]?.number), expected[c].1, accuracy: tolerance * expected[c].1, "channel \(c)")
        }
    }

    /// A plan saved before plans carried their bounds still reads, and falls back to the config's.
    func testOlderPlanWithoutBoundsStillReads() throws {
        let result = try XCTUnwrap(WorkbookFixture.optimised.optimization)
        var json = try XCTUnwrap(JSONSerialization.jsonObject(with: JSONEncoder().encode(result)) as? [String: Any])
        var plan = try XCTUnwrap(json["plan"] as? [String: Any])
        plan["channels"] = try XCTUnwrap(plan["channels"] as? [[String: Any]]).map { line in
            var line = line
            line["lowerBound"] = nil
            line["upperBound"] = nil
            return line
        }
        json["plan"] = plan
        let old = try JSONDecoder().decode(OptimizationResult.self, from: JSONSerialization.data(withJSONObject: json))
        XCTAssertNil(old.plan.channels[0].lowerBound)
        let model = WorkbookFixture.optimised.model
        let url = WorkbookFixture.temporaryWorkbook("plan-bounds-old.xlsx")
        try WorkbookWriter.write(PlanningResults(model: model, optimization: old, maxDraws: 200), chartFiles: [], to: url)
        let cells = try XlsxReader(url).cells("Allocation")
        let current = model.currentSpend(), f = model.config.optimizer.relativeBound
        let lower = try XCTUnwrap(cells["E8"]?.number)
        XCTAssertEqual(lower, max(0, current[0] * (1 - f)), accuracy: tolerance * current[0], "the config's ±relative bound")
    }
}
