import MixTestSupport
import Foundation
import XCTest
import MixWorkbook

/// Issue 20 item 8: the planner cells of a channel bought in impressions. The Allocation sheet
/// adds a live column of the impressions a typed spend buys, and says what the money stands for;
/// every number is recomputed here from the written file and the sample's own columns.
final class ExposurePlannerTests: XCTestCase {
    func testPlannerShowsTheImpressionsATypedSpendBuys() throws {
        let config = try ConfigLoader.load(path: Fixtures.exposureSampleConfig)
        var model = try ModelFitter.fit(dataset: try DatasetLoader().load(config).dataset, config: config)
        model.config.optimizer.periods = 3
        let results = PlanningResults(model: model, curvePoints: 15, maxDraws: 100)
        let url = WorkbookFixture.temporaryWorkbook("exposure-planner.xlsx")
        try WorkbookWriter.write(results, chartFiles: [], to: url)
        let cells = try XlsxReader(url).cells("Allocation")
        // Without an optimisation: C is the typed spend, I the live ROAS, J the impressions (row 7 headers).
        XCTAssertEqual(cells["J7"]?.string, "Your exposures / period (spend ÷ cost per unit)")
        let (impressions, spend) = Fixtures.exposureSampleColumns()
        let perUnit = spend.reduce(0, +) / impressions.reduce(0, +)
        // tv (row 9) starts at current spend: the mean impressions of the last 4 weeks, in money.
        let typed = try XCTUnwrap(cells["C9"]?.number)
        let bought = try XCTUnwrap(cells["J9"]?.number)
        let last4 = impressions.suffix(4).reduce(0, +) / 4
        XCTAssertEqual(typed, last4 * perUnit, accuracy: 1e-9 * typed)
        XCTAssertEqual(bought, last4, accuracy: 1e-9 * last4)
        // The formula divides the typed cell by the cost per unit, so it stays right when a planner types.
        let formula = try XCTUnwrap(cells["J9"]?.formula)
        XCTAssertTrue(formula.hasPrefix("C9/"), formula)
        XCTAssertEqual(Double(formula.dropFirst(3))!, perUnit, accuracy: 1e-15 * perUnit)
        // Spend over the horizon stays money.
        XCTAssertEqual(try XCTUnwrap(cells["H9"]?.number), 3 * typed, accuracy: 1e-9 * typed)
        // x1 is money: no impressions cell.
        XCTAssertNil(cells["J8"])
        let notes = cells.values.compactMap(\.string)
        XCTAssertTrue(notes.contains { $0.hasPrefix("tv is measured in exposures (impression) (column tv_imps)") }, "\(notes)")
    }
}
