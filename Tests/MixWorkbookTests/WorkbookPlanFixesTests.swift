import MixTestSupport
import Foundation
import XCTest
import MixWorkbook

/// Issue 23's workbook bugs, read back from the written .xlsx: ROAS totals that leave out the
/// carry-over of spend before the plan, a Planner model sheet whose stored draws do not print,
/// and no absolute path on the Summary.
final class WorkbookPlanFixesTests: XCTestCase {
    static let written: (url: URL, reader: XlsxReader) = {
        let url = WorkbookFixture.temporaryWorkbook("plan-fixes.xlsx")
        try! WorkbookWriter.write(WorkbookFixture.optimised, chartFiles: [], to: url)
        return (url, try! XlsxReader(url))
    }()

    /// Numbers round-trip through 17 significant digits; the sums below add a few ulps.
    let tolerance = 1e-10

    /// The total Live ROAS is the spend-weighted mean of the per-channel cells (which already
    /// leave the carry-over out: PlannerFormulaTests) — Σ ROAS_c · spend_c / Σ spend_c, from the
    /// sheet's own numbers — and at the optimiser's spend it is the plan's ROAS, not
    /// (response incl. carry-over) / spend.
    func testAllocationTotalLiveROASLeavesOutTheCarryOver() throws {
        let r = WorkbookFixture.optimised
        let plan = try XCTUnwrap(r.optimization?.plan)
        let cells = try Self.written.reader.cells("Allocation")
        // Rows 8… are the channels, then the total; M is spend over the horizon, N live ROAS.
        let rows = r.channelNames.indices.map { 8 + $0 }, total = 8 + r.channelNames.count
        XCTAssertEqual(cells["A\(total)"]?.string, "Total")
        let spends = try rows.map { try XCTUnwrap(cells["M\($0)"]?.number) }
        let roas = try rows.map { try XCTUnwrap(cells["N\($0)"]?.number) }
        let weighted = zip(roas, spends).map { $0 * $1 }.reduce(0, +) / spends.reduce(0, +)
        let cell = try XCTUnwrap(cells["N\(total)"])
        XCTAssertEqual(try XCTUnwrap(cell.number), weighted, accuracy: tolerance * abs(weighted))
        XCTAssertEqual(try XCTUnwrap(cell.number), plan.roas, accuracy: 1e-9 * abs(plan.roas))
        let withCarryOver = try XCTUnwrap(cells["I\(total)"]?.number) / spends.reduce(0, +)
        XCTAssertGreaterThan(withCarryOver - weighted, 1e-6 * weighted, "the fixture carries spend over, so the bug would show")
        XCTAssertTrue(try XCTUnwrap(cell.formula).contains("-"), "the formula subtracts the carry-over")
    }

    /// Each frontier budget's ROAS is (mean response − carry-over of earlier spend) / budget;
    /// the frontier's 100 % point is the plan's budget, so its ROAS is the plan's.
    func testFrontierROASLeavesOutTheCarryOver() throws {
        let r = WorkbookFixture.optimised
        let f = try XCTUnwrap(r.frontier), plan = try XCTUnwrap(r.optimization?.plan)
        let earlier = try XCTUnwrap(plan.fromEarlierSpend)
        XCTAssertEqual(try XCTUnwrap(f.fromEarlierSpend), earlier, accuracy: 1e-12 * earlier)
        let cells = try Self.written.reader.cells("Frontier")
        XCTAssertEqual(cells["G4"]?.string, "ROAS")
        for (i, p) in f.points.enumerated() {
            let expected = (p.response.mean - earlier) / p.budget
            XCTAssertEqual(try XCTUnwrap(cells["G\(5 + i)"]?.number), expected, accuracy: tolerance * abs(expected), "point \(i)")
        }
        let middle = try XCTUnwrap(f.points.firstIndex { abs($0.fractionOfCurrent - 1) < 1e-12 })
        // The same budget solved twice (plan and frontier) agrees to the solver's tolerance.
        XCTAssertEqual(try XCTUnwrap(cells["G\(5 + middle)"]?.number), plan.roas, accuracy: 1e-6 * abs(plan.roas))
    }

    /// The Planner model sheet prints its parameter table only: its print area ends above the
    /// stored draws (200 draws × 2 channels would print as dozens of pages).
    func testPlannerModelDrawsDoNotPrint() throws {
        let reader = Self.written.reader
        let area = try XCTUnwrap(reader.definedNames["_xlnm.Print_Area"])
        let channels = WorkbookFixture.optimised.channelNames.count
        XCTAssertEqual(area, "'Planner model'!$A$1:$G$\(6 + channels)")
        let cells = try reader.cells("Planner model")
        let lastRow = cells.keys.map { XlsxReader.parse($0).1 }.max() ?? 0
        XCTAssertGreaterThan(lastRow, 200, "the draws are still in the sheet, for the live formulas")
    }

    /// No cell of the Summary shows the folder the analyst's data sits in.
    func testSummaryShowsTheFileNameOnly() throws {
        let r = WorkbookFixture.optimised
        let cells = try Self.written.reader.cells("Summary")
        let folder = URL(fileURLWithPath: r.model.dataset.source).deletingLastPathComponent().path
        XCTAssertTrue(r.model.dataset.source.hasPrefix("/"), "the fixture's data has an absolute path")
        for cell in cells.values { XCTAssertFalse(cell.string?.contains(folder) ?? false, "\(cell.ref): \(cell.string ?? "")") }
        XCTAssertTrue(cells.values.contains { $0.string == "data.csv" })
    }
}
