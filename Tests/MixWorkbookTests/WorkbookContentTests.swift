import MixTestSupport
import Foundation
import XCTest
#if canImport(FoundationXML)
import FoundationXML
#endif
import MixWorkbook

/// Writes the workbook of a real small fit, reads the .xlsx back as XML and checks every sheet
/// against the in-memory results. Numbers are stored by libxlsxwriter with 17 significant
/// digits, so they must match to a relative 1e-12 (only the decimal round trip differs).
final class WorkbookContentTests: XCTestCase {
    static let written: (url: URL, reader: XlsxReader) = {
        let url = WorkbookFixture.temporaryWorkbook("content.xlsx")
        try! WorkbookWriter.write(WorkbookFixture.optimised, chartFiles: WorkbookFixture.chartFiles, to: url)
        return (url, try! XlsxReader(url))
    }()

    func close(_ a: Double?, _ b: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let a else { return XCTFail("\(what): no number in the cell, expected \(b)", file: file, line: line) }
        XCTAssertEqual(a, b, accuracy: 1e-12 * max(1, abs(b)), what, file: file, line: line)
    }

    func testSheetsAreInOrder() throws {
        XCTAssertEqual(Self.written.reader.sheetNames, WorkbookWriter.sheetNames)
        XCTAssertEqual(WorkbookWriter.sheetNames, ["Summary", "Allocation", "Response curves", "Contributions", "Frontier",
                                                   "Scenarios", "Diagnostics", "Charts", "Planner model"])
    }

    /// Names from data that look like formulas are string cells with the literal text, and no
    /// cell anywhere holds a formula made from them.
    func testInjectedLookingNamesStayLiteralText() throws {
        let reader = Self.written.reader
        var seen: [String: Int] = [:]
        let literals = WorkbookFixture.channelNames + [WorkbookFixture.targetName, WorkbookFixture.scenarioName, WorkbookFixture.warning]
        for sheet in reader.sheetNames {
            for cell in try reader.cells(sheet).values {
                if let s = cell.string, literals.contains(s) {
                    XCTAssertEqual(cell.type, "s", "\(sheet)!\(cell.ref) holds \(s) as a shared string")
                    XCTAssertNil(cell.formula, "\(sheet)!\(cell.ref)")
                    seen[s, default: 0] += 1
                }
                if let f = cell.formula {
                    XCTAssertFalse(f.contains("HYPERLINK") || f.contains("SUM(A1:A2)"), "\(sheet)!\(cell.ref) formula \(f)")
                }
            }
        }
        for s in literals { XCTAssertGreaterThan(seen[s] ?? 0, 0, "\(s) is written somewhere as text") }
        // Chart titles and series names point at those cells instead of carrying the text.
        let chart = try XlsxReader.part(Self.written.url, "xl/charts/chart1.xml")
        XCTAssertTrue(chart.contains("<c:title><c:tx><c:strRef><c:f>'Response curves'!$A$4</c:f>"), "the chart title is a reference to the name cell")
        XCTAssertFalse(chart.contains("<a:t>=HYPERLINK"), "no rich-text title made from the name")
    }

    func testSummaryShowsFitConvergenceChannelsAndRecommendation() throws {
        let r = WorkbookFixture.optimised
        let cells = try Self.written.reader.cells("Summary")
        let byText = Dictionary(cells.values.compactMap { c in c.string.map { ($0, c.ref) } }, uniquingKeysWith: { a, _ in a })
        func right(of label: String) -> XlsxReader.Cell? {
            guard let ref = byText[label] else { return nil }
            let (_, row) = XlsxReader.parse(ref)
            return cells["B\(row)"]
        }
        XCTAssertEqual(right(of: "Target")?.string, WorkbookFixture.targetName)
        XCTAssertEqual(right(of: "Periods covered")?.string?.hasPrefix("\(r.model.dataset.dates[0]) to "), true)
        close(right(of: "R²")?.number, r.quantities.inSample.r2, "in-sample R²")
        close(right(of: "MAPE")?.number, r.quantities.inSample.mape, "in-sample MAPE")
        close(cells["C\(XlsxReader.parse(byText["MAPE"]!).1)"]?.number, r.quantities.outOfSample!.mape, "holdout MAPE")
        let verdict = right(of: "Convergence")?.string ?? ""
        XCTAssertTrue(r.verdict.passed ? verdict.hasPrefix("Converged") : verdict.hasPrefix("NOT CONVERGED"), verdict)
        close(right(of: "Max R-hat")?.number, r.model.sampler.maxRhat, "max R-hat")
        close(right(of: "Divergences")?.number, Double(r.model.sampler.divergences), "divergences")
        let plan = r.optimization!.plan
        close(right(of: "Expected response, optimal plan")?.number, plan.response.mean, "plan mean")
        close(right(of: "Change")?.number, plan.change.mean, "change")
        close(right(of: "Probability of doing better")?.number, plan.probabilityBetter, "P(better)")
        // A near-certain probability never displays as "100 %": the cell format caps it at ">99 %"
        // and "<1 %", as every other output does.
        let styles = try XlsxReader.part(Self.written.url, "xl/styles.xml")
        XCTAssertTrue(styles.contains("formatCode=\"[&gt;0.99]&quot;&gt;99 %&quot;;[&lt;0.01]&quot;&lt;1 %&quot;;0&quot; &quot;%\""), "probability format in styles.xml")
        // The verdict and the prior-dominated channels are named on the Summary sheet.
        XCTAssertNotNil(right(of: "Prior-dominated channels")?.string)
        XCTAssertTrue(right(of: "Media share of target")?.string?.contains("the priors alone assumed") ?? false)
        let sentence = cells.values.compactMap(\.string).first { $0.hasPrefix("Re-allocate to the optimal plan") } ?? ""
        XCTAssertFalse(plan.probabilityBetter < 1 && sentence.contains("probability 100 %"), sentence)
        for ch in r.quantities.channels {
            let row = try XCTUnwrap(cells.values.first { $0.string == ch.name && $0.ref.hasPrefix("A") && (XlsxReader.parse($0.ref).1 > 20) })
            let n = XlsxReader.parse(row.ref).1
            close(cells["B\(n)"]?.number, ch.spend, "spend")
            close(cells["C\(n)"]?.number, ch.contribution.mean, "contribution")
            close(cells["D\(n)"]?.number, ch.contribution.lower, "contribution lower")
            close(cells["E\(n)"]?.number, ch.contribution.upper, "contribution upper")
            close(cells["G\(n)"]?.number, ch.roas.mean, "ROAS")
            close(cells["J\(n)"]?.number, ch.marginalRoas.mean, "marginal ROAS")
        }
        XCTAssertNotNil(byText[WorkbookFixture.warning])
    }

    /// Allocation: numbers of the plan, the input cells with their validation, and the formula cells.
    func testAllocationHoldsPlanInputsValidationAndFormulas() throws {
        let r = WorkbookFixture.optimised
        let plan = r.optimization!.plan
        let reader = Self.written.reader
        let cells = try reader.cells("Allocation")
        // Header on row 7; columns: A channel, B current, C optimal, D change, E/F bounds,
        // G marginal ROAS, H input, I live, J mean, K lower, L upper, M spend over horizon, N live ROAS.
        XCTAssertEqual(cells["H7"]?.string, "Your spend / period (type here)")
        XCTAssertEqual(cells["I7"]?.string, "Live expected response (point estimate)")
        close(reader.definedNames["Horizon_Periods"] == "'Allocation'!$B$5" ? cells["B5"]?.number : nil, 4, "horizon")
        for (c, line) in plan.channels.enumerated() {
            let n = 8 + c
            XCTAssertEqual(cells["A\(n)"]?.string, line.channel)
            close(cells["B\(n)"]?.number, line.currentSpendPerPeriod, "current")
            close(cells["C\(n)"]?.number, line.spendPerPeriod, "optimal")
            close(cells["E\(n)"]?.number, line.currentSpendPerPeriod * 0.7, "lower bound")
            close(cells["F\(n)"]?.number, line.currentSpendPerPeriod * 1.3, "upper bound")
            close(cells["G\(n)"]?.number, line.marginalROAS, "marginal ROAS")
            close(cells["H\(n)"]?.number, line.spendPerPeriod, "input prefilled with the optimum")
            XCTAssertEqual(cells["I\(n)"]?.formula?.hasPrefix("SUMPRODUCT(Ch\(c + 1)_Periods*(Ch\(c + 1)_Beta*"), true, cells["I\(n)"]?.formula ?? "")
            XCTAssertEqual(cells["I\(n)"]?.formula?.contains("Ch\(c + 1)_PlanWeight*H\(n)"), true)
            close(cells["J\(n)"]?.number, line.response.mean, "optimiser mean")
            close(cells["K\(n)"]?.number, line.response.lower, "optimiser lower")
            close(cells["L\(n)"]?.number, line.response.upper, "optimiser upper")
            XCTAssertEqual(cells["M\(n)"]?.formula, "H\(n)*Horizon_Periods")
        }
        let total = 8 + plan.channels.count
        XCTAssertEqual(cells["A\(total)"]?.string, "Total")
        XCTAssertEqual(cells["I\(total)"]?.formula, "SUM(I8:I\(total - 1))")
        XCTAssertEqual(reader.definedNames["Planner_Total"], "'Allocation'!$I$\(total)")
        close(cells["J\(total)"]?.number, plan.response.mean, "plan total mean")
        // The fixture has 200 draws, all stored for the planner, so the live total at the
        // optimum is the optimiser's mean up to summation order.
        XCTAssertEqual(try XCTUnwrap(cells["I\(total)"]?.number), plan.response.mean, accuracy: 1e-9 * plan.response.mean)
        close(cells["K\(total)"]?.number, plan.response.lower, "plan total lower")
        // Data validation: decimal ≥ 0 on every input cell.
        let sheet = try reader.sheetXML("Allocation")
        let rules = sheet.descendants("dataValidation")
        let refs = Set(rules.compactMap { $0.attr("sqref") })
        XCTAssertEqual(refs, Set(plan.channels.indices.map { "H\(8 + $0)" }))
        for rule in rules {
            XCTAssertEqual(rule.attr("type"), "decimal")
            XCTAssertEqual(rule.attr("operator"), "greaterThanOrEqual")
            XCTAssertEqual(rule.descendants("formula1").first?.stringValue, "0")
        }
        // The point-estimate warning is on the sheet.
        XCTAssertTrue(cells.values.contains { $0.string?.contains("POINT ESTIMATE") == true })
        let pane = sheet.descendants("pane").first
        XCTAssertEqual(pane?.attr("topLeftCell"), "B8", "header row and channel column frozen")
    }

    func testResponseCurveTablesAndCharts() throws {
        let r = WorkbookFixture.optimised
        let reader = Self.written.reader
        let cells = try reader.cells("Response curves")
        for (c, curve) in r.curves.enumerated() {
            let col = 5 * c
            func ref(_ k: Int, _ row: Int) -> String { "\(Self.column(col + k))\(row)" }
            XCTAssertEqual(cells[ref(0, 4)]?.string, curve.channel)
            for i in curve.spend.indices {
                close(cells[ref(0, 6 + i)]?.number, curve.spend[i], "spend")
                close(cells[ref(1, 6 + i)]?.number, curve.mean[i], "mean")
                close(cells[ref(2, 6 + i)]?.number, curve.lower94[i], "lower")
                close(cells[ref(3, 6 + i)]?.number, curve.upper94[i], "upper")
            }
        }
        let drawing = try XlsxReader.part(Self.written.url, "xl/drawings/drawing1.xml")
        XCTAssertEqual(drawing.components(separatedBy: "<c:chart ").count - 1, r.curves.count, "one native chart per channel")
        let chart = try XlsxReader.part(Self.written.url, "xl/charts/chart1.xml")
        XCTAssertTrue(chart.contains("<c:lineChart>"))
        XCTAssertTrue(chart.contains("<c:tickLblSkip val=\"3\"/>"), "every third spend labelled")
        XCTAssertTrue(chart.contains("'Response curves'!$B$6:$B$25"))
    }

    func testContributionsFrontierScenariosDiagnosticsAndCharts() throws {
        let r = WorkbookFixture.optimised
        let reader = Self.written.reader
        let con = try reader.cells("Contributions")
        let d = r.quantities.meanDecomposition
        XCTAssertEqual(con["J4"]?.string, r.channelNames[1])
        for t in [0, 50, r.model.dataset.periodCount - 1] {
            let n = 5 + t
            close(con["B\(n)"]?.number, r.model.dataset.target[t], "actual")
            close(con["C\(n)"]?.number, r.quantities.fitted[t], "fitted")
            close(con["D\(n)"]?.number, d.baseline[t], "baseline")
            close(con["I\(n)"]?.number, d.channels[0][t], "channel 1")
            close(con["J\(n)"]?.number, d.channels[1][t], "channel 2")
        }
        XCTAssertEqual(con["K\(5 + r.model.dataset.periodCount - 1)"]?.string, "holdout")
        XCTAssertTrue(try XlsxReader.part(Self.written.url, "xl/charts/chart3.xml").contains("<c:grouping val=\"stacked\"/>"))

        let fr = try reader.cells("Frontier")
        for (i, p) in r.frontier!.points.enumerated() {
            close(fr["B\(5 + i)"]?.number, p.budget, "frontier budget")
            close(fr["D\(5 + i)"]?.number, p.response.mean, "frontier mean")
            close(fr["H\(5 + i)"]?.number, p.allocation[0], "frontier allocation")
        }
        let sc = try reader.cells("Scenarios")
        XCTAssertEqual(sc["A5"]?.string, WorkbookFixture.scenarioName)
        close(sc["D5"]?.number, r.scenarios[0].plan.response.mean, "scenario response")
        close(sc["K5"]?.number, r.scenarios[0].plan.probabilityBetter, "scenario P(better)")

        let dg = try reader.cells("Diagnostics")
        let params = r.model.sampler.parameters
        let first = try XCTUnwrap(dg.values.first { $0.string == params[0].name })
        let n = XlsxReader.parse(first.ref).1
        for (k, p) in params.enumerated() {
            XCTAssertEqual(dg["A\(n + k)"]?.string, p.name)
            close(dg["B\(n + k)"]?.number, p.mean, "\(p.name) mean")
            close(dg["H\(n + k)"]?.number, p.essBulk, "\(p.name) ESS")
            close(dg["J\(n + k)"]?.number, p.rhat, "\(p.name) R-hat")
        }
        let xml = try reader.sheetXML("Diagnostics")
        XCTAssertEqual(xml.descendants("cfRule").count, 2, "R-hat and ESS highlighting")

        let charts = try reader.sheetXML("Charts")
        XCTAssertEqual(charts.descendants("drawing").count, 1)
        let images = try XlsxReader.part(Self.written.url, "xl/worksheets/_rels/sheet8.xml.rels")
        XCTAssertTrue(images.contains("drawing"))
        let pictures = try XlsxReader.part(Self.written.url, "xl/drawings/drawing4.xml")
        XCTAssertEqual(pictures.components(separatedBy: "<xdr:pic>").count - 1, WorkbookFixture.chartFiles.count)
    }

    /// Same results ⇒ same bytes; and a failed write leaves the previous file untouched.
    func testDeterministicAndAtomic() throws {
        let a = WorkbookFixture.temporaryWorkbook("same-a.xlsx"), b = WorkbookFixture.temporaryWorkbook("same-b.xlsx")
        try WorkbookWriter.write(WorkbookFixture.optimised, chartFiles: WorkbookFixture.chartFiles, to: a)
        try WorkbookWriter.write(WorkbookFixture.optimised, chartFiles: WorkbookFixture.chartFiles, to: b)
        XCTAssertEqual(try Data(contentsOf: a), try Data(contentsOf: b))

        let before = try Data(contentsOf: a)
        let missing = URL(fileURLWithPath: "/nonexistent/chart.png")
        XCTAssertThrowsError(try WorkbookWriter.write(WorkbookFixture.optimised, chartFiles: [missing], to: a)) { error in
            XCTAssertTrue(error is InputError && "\(error)".contains("/nonexistent/chart.png"), "\(error)")
        }
        let unwritable = URL(fileURLWithPath: "/nonexistent-folder/mixplan.xlsx")
        XCTAssertThrowsError(try WorkbookWriter.write(WorkbookFixture.optimised, chartFiles: [], to: unwritable)) { error in
            XCTAssertTrue(error is InputError && "\(error)".contains("/nonexistent-folder/mixplan.xlsx"), "\(error)")
        }
        XCTAssertEqual(try Data(contentsOf: a), before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: a.deletingLastPathComponent().path).filter { $0.contains(".tmp-") }
        XCTAssertEqual(leftovers, [])
    }

    /// Without an optimisation the planner starts from current spend and the plan-only columns go.
    func testWithoutOptimisationThePlannerStartsFromCurrentSpend() throws {
        let r = WorkbookFixture.unoptimised
        let url = WorkbookFixture.temporaryWorkbook("unoptimised.xlsx")
        try WorkbookWriter.write(r, chartFiles: [], to: url)
        let reader = try XlsxReader(url)
        let cells = try reader.cells("Allocation")
        XCTAssertEqual(cells["C7"]?.string, "Your spend / period (type here)")
        let current = r.model.currentSpend()
        for c in current.indices {
            close(cells["B\(8 + c)"]?.number, current[c], "current")
            close(cells["C\(8 + c)"]?.number, current[c], "input prefilled with current spend")
        }
        close(cells["B5"]?.number, 3, "the config's horizon")
        XCTAssertTrue(try reader.cells("Frontier").values.contains { $0.string == "No budget frontier was computed for this run." })
        XCTAssertTrue(try reader.cells("Summary").values.contains { $0.string?.hasPrefix("No optimisation was run") == true })
    }

    static func column(_ i: Int) -> String {
        var n = i + 1, s = ""
        while n > 0 { s = String(UnicodeScalar(UInt8(65 + (n - 1) % 26))) + s; n = (n - 1) / 26 }
        return s
    }
}
