import MixTestSupport
import MixPlanningTestSupport
import Foundation
import XCTest
import MixData
import MixModel
import MixOptimize
import MixWorkbook

/// The geo workbook's Allocation sheet (one row per geo × channel cell, planner cells live):
/// read back from the written file, its rows are the plan's cells, each live cell's cached value
/// is the sheet's own formula evaluated from the named Planner model cells and equals the geo
/// optimiser's expected response of the cell, the live totals by channel and by geo are the sums
/// of their cells, and LibreOffice recalculates all of them after a planner types new spends.
final class GeoAllocationSheetTests: XCTestCase {
    /// The shared short geo fit (`GeoTestFit`, logistic curves): 20 draws, all of them stored in
    /// the Planner model sheet, so the live point estimate is the mean over exactly the draws the
    /// optimiser used.
    static let folder = GeoTestFit.folder
    static let plan = try! GeoPackPlan(plan: GeoTestFit.meanPlan.plan, draws: GeoTestFit.meanPlan.draws)

    /// Stored numbers round-trip through 17 significant digits: an evaluation from them agrees
    /// with MixOptimize's to ~1e-13; 1e-9 leaves room for exp rounding.
    let storedTolerance = 1e-9
    /// LibreOffice's own recalculation: 0.1 %, as for the national planner.
    let spreadsheetTolerance = 1e-3

    /// Columns of the cell table (header on row 7, cells from row 8).
    let first = GeoWorkbookWriter.allocationHeaderRow + 2

    func write(_ name: String) throws -> URL {
        let url = WorkbookFixture.temporaryWorkbook(name)
        try? FileManager.default.removeItem(at: url)
        try GeoWorkbookWriter.write(Self.folder, plan: Self.plan, chartFiles: [], to: url)
        return url
    }

    func testAllocationRowsAreThePlanAndLiveCellsGiveTheOptimisersResponse() throws {
        let url = try write("geo-allocation")
        let reader = try XlsxReader(url)
        XCTAssertEqual(reader.sheetNames, GeoWorkbookWriter.sheetNamesWithPlan)
        let cells = try reader.cells("Allocation")
        let plan = Self.plan.plan
        XCTAssertGreaterThan(plan.cells.count, 8)
        for (i, c) in plan.cells.enumerated() {
            let r = first + i
            XCTAssertEqual(cells["A\(r)"]?.string, c.geo)
            XCTAssertEqual(cells["B\(r)"]?.string, c.channel)
            XCTAssertEqual(try XCTUnwrap(cells["C\(r)"]?.number), c.currentSpendPerPeriod, accuracy: storedTolerance * max(1, c.currentSpendPerPeriod))
            XCTAssertEqual(try XCTUnwrap(cells["D\(r)"]?.number), c.spendPerPeriod, accuracy: storedTolerance * max(1, c.spendPerPeriod))
            XCTAssertEqual(cells["I\(r)"]?.number ?? .nan, c.spendPerPeriod, accuracy: storedTolerance * max(1, c.spendPerPeriod), "input pre-filled with the plan")
            let live = try XCTUnwrap(cells["J\(r)"]?.number)
            XCTAssertNotNil(cells["J\(r)"]?.formula)
            // The sheet's formula, evaluated by hand from the named cells of the Planner model sheet.
            let byHand = try PlannerFormulaTests.evaluate(reader, channel: i, family: .logistic, spend: c.spendPerPeriod)
            XCTAssertEqual(live, byHand, accuracy: storedTolerance * max(1, abs(byHand)), "\(c.geo)/\(c.channel) cached = formula")
            // Every draw is stored, so the point estimate is the optimiser's mean response of the cell.
            XCTAssertEqual(live, c.response.mean, accuracy: storedTolerance * max(1, abs(c.response.mean)), "\(c.geo)/\(c.channel) = optimiser")
        }
        // Live totals by channel and by geo are the sums of their cells' live values.
        for (title, totals, key) in [("National channel totals", plan.channels, \GeoPlan.Cell.channel), ("Geo totals", plan.geos, \GeoPlan.Cell.geo)] {
            let header = try XCTUnwrap(cells.first { $0.value.string?.hasPrefix(title) == true }.map { XlsxReader.parse($0.key).1 })
            for (k, t) in totals.enumerated() {
                let r = header + 2 + k
                XCTAssertEqual(cells["A\(r)"]?.string, t.name)
                let members = plan.cells.filter { $0[keyPath: key] == t.name }
                let spend = members.reduce(0) { $0 + $1.spendPerPeriod }, response = members.reduce(0) { $0 + $1.response.mean }
                XCTAssertEqual(try XCTUnwrap(cells["D\(r)"]?.number), t.spendPerPeriod, accuracy: 1e-9 * max(1, spend))
                XCTAssertEqual(try XCTUnwrap(cells["I\(r)"]?.number), spend, accuracy: 1e-9 * max(1, spend), "\(title) \(t.name) live spend")
                XCTAssertEqual(try XCTUnwrap(cells["J\(r)"]?.number), response, accuracy: 1e-9 * max(1, abs(response)), "\(title) \(t.name) live response")
            }
        }
    }

    func testLibreOfficeRecalculatesTheCellsAndTotals() throws {
        guard let soffice = ["/usr/bin/soffice", "/usr/local/bin/soffice", "/usr/lib/libreoffice/program/soffice"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("soffice is not installed (apt-get install libreoffice-calc-nogui); the geo planner is checked only by our own evaluation.")
        }
        let original = try write("geo-lo-original")
        let work = original.deletingLastPathComponent().appendingPathComponent("geo-lo")
        try? FileManager.default.removeItem(at: work)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let plan = Self.plan.plan
        let reader = try XlsxReader(original)
        // New spends: half the plan's in the first geo, 1.6 × plus a tenth of the current in the others.
        var typed: [String: Double] = [:], spends: [Double] = []
        for (i, c) in plan.cells.enumerated() {
            let s = c.geo == plan.geos[0].name ? 0.5 * c.spendPerPeriod : 1.6 * c.spendPerPeriod + 0.1 * c.currentSpendPerPeriod
            typed["I\(first + i)"] = s
            spends.append(s)
        }
        let edited = work.appendingPathComponent("edited.xlsx")
        // Allocation is the third sheet written (Summary, Geos, Allocation, …).
        try SpreadsheetTools.replaceNumbers(in: original, sheetIndex: 3, typed, writing: edited)
        let out = try XlsxReader(try SpreadsheetTools.recalculate(edited, soffice: soffice, in: work)).cells("Allocation")
        var truth: [Double] = []
        for (i, c) in plan.cells.enumerated() {
            let expected = try PlannerFormulaTests.evaluate(reader, channel: i, family: .logistic, spend: spends[i])
            truth.append(expected)
            let lo = try XCTUnwrap(out["J\(first + i)"]?.number, "LibreOffice's value of \(c.geo)/\(c.channel)")
            XCTAssertEqual(lo, expected, accuracy: spreadsheetTolerance * abs(expected), "\(c.geo)/\(c.channel)")
        }
        let total = truth.reduce(0, +)
        let totalRow = first + plan.cells.count
        XCTAssertEqual(try XCTUnwrap(out["J\(totalRow)"]?.number), total, accuracy: spreadsheetTolerance * abs(total))
        XCTAssertGreaterThan(abs(total - plan.cells.reduce(0) { $0 + $1.response.mean }), 0.01 * abs(total), "the typed spends move the total")
        let header = try XCTUnwrap(out.first { $0.value.string?.hasPrefix("Geo totals") == true }.map { XlsxReader.parse($0.key).1 })
        for (k, g) in plan.geos.enumerated() {
            let members = plan.cells.indices.filter { plan.cells[$0].geo == g.name }
            let expected = members.reduce(0) { $0 + truth[$1] }
            XCTAssertEqual(try XCTUnwrap(out["J\(header + 2 + k)"]?.number), expected, accuracy: spreadsheetTolerance * abs(expected), "geo \(g.name) live total")
            XCTAssertEqual(try XCTUnwrap(out["I\(header + 2 + k)"]?.number), members.reduce(0) { $0 + spends[$1] }, accuracy: 1e-6, "geo \(g.name) typed spend")
        }
    }
}
