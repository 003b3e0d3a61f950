import MixTestSupport
import Foundation
import XCTest
import MixReport

/// Issue 20 item 8: the outputs a planner reads say which channels are modelled on exposures, in
/// what unit, and at what cost per unit — the report (Markdown and HTML), the workbook's Summary
/// and summary.json. The cost per unit is recomputed here from the sample's own columns (total
/// tv_spend / total tv_imps), not taken from the model.
final class ExposureReportingTests: XCTestCase {
    /// One short fit of the exposure sample (x1 in money, tv in impressions with tv_spend).
    static let results: PlanningResults = {
        let config = try! ConfigLoader.load(path: Fixtures.exposureSampleConfig)
        let model = try! ModelFitter.fit(dataset: try! DatasetLoader().load(config).dataset, config: config)
        return PlanningResults(model: model, curvePoints: 15, maxDraws: 100)
    }()

    /// Total spend / total impressions over the file's rows, and that number as outputs print it.
    static var costPerUnit: (value: Double, text: String) {
        let (impressions, spend) = Fixtures.exposureSampleColumns()
        let value = spend.reduce(0, +) / impressions.reduce(0, +)
        return (value, String(format: "%.4g", value))
    }

    func testReportSaysWhichChannelIsMeasuredInExposuresAndAtWhatCost() throws {
        let (md, html) = try ReportWriter(templatesDirectory: nil).render(Self.results, previous: nil, chartFiles: [])
        let cost = Self.costPerUnit.text
        // One paragraph under the model line, before the verdict, naming unit, column and cost.
        let model = try XCTUnwrap(md.range(of: "Model: "))
        let verdict = try XCTUnwrap(md.range(of: "**Verdict: "))
        let note = try XCTUnwrap(md.range(of: "tv is measured in exposures (impression)"), md)
        XCTAssertTrue(model.lowerBound < note.lowerBound && note.lowerBound < verdict.lowerBound)
        let paragraph = md[note.lowerBound...].prefix { $0 != "\n" }
        XCTAssertTrue(paragraph.contains("its money is exposures × \(cost) per impression"), String(paragraph))
        XCTAssertTrue(paragraph.contains("tv") && paragraph.contains("spend") && paragraph.contains("imps"), String(paragraph))
        XCTAssertFalse(md.contains("x1 is measured in exposures"), "x1 is money")
        XCTAssertEqual(html.components(separatedBy: "is measured in exposures").count - 1, 1, "one note in the HTML")
        XCTAssertTrue(html.contains("<p class=\"meta\">tv is measured in exposures (impression) (column tv_imps)"), "HTML note")
        XCTAssertTrue(html.contains("× \(cost) per impression"))

        // A model without exposure channels gets no such paragraph.
        let (plainMD, plainHTML) = try ReportWriter(templatesDirectory: nil).render(ReportTestModel.withConvergence(true), previous: nil, chartFiles: [])
        XCTAssertFalse(plainMD.contains("measured in exposures"))
        XCTAssertFalse(plainHTML.contains("measured in exposures"))
    }

    func testWorkbookSummaryNamesTheUnitAndCostPerUnit() throws {
        let folder = ReportTestModel.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("exposure.xlsx")
        try WorkbookWriter.write(Self.results, chartFiles: [], to: url)
        let cells = try XlsxReader(url).cells("Summary")
        let labels = cells.values.filter { $0.string == "  Measured in exposures" }
        XCTAssertEqual(labels.count, 1, "one row, for tv")
        let label = try XCTUnwrap(labels.first)
        let value = try XCTUnwrap(cells["B\(XlsxReader.parse(label.ref).1)"]?.string)
        XCTAssertTrue(value.hasPrefix("tv is measured in exposures (impression) (column tv_imps)"), value)
        XCTAssertTrue(value.contains("× \(Self.costPerUnit.text) per impression (total tv_spend / total tv_imps over the data's rows)"), value)
    }

    func testSummaryJSONCarriesEachChannelsCostPerUnit() throws {
        let snapshot = ReportSnapshot(Self.results)
        let url = ReportTestModel.temporaryFolder().appendingPathComponent("summary.json")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        try snapshot.jsonData().write(to: url)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let channels = try XCTUnwrap(json["channels"] as? [[String: Any]])
        let tv = try XCTUnwrap(channels.first { $0["name"] as? String == "tv" })
        let x1 = try XCTUnwrap(channels.first { $0["name"] as? String == "x1" })
        XCTAssertNil(x1["exposure"], "x1 is measured in money")
        let exposure = try XCTUnwrap(tv["exposure"] as? [String: Any])
        XCTAssertEqual(exposure["unit"] as? String, "impression")
        XCTAssertEqual(exposure["exposureColumn"] as? String, "tv_imps")
        XCTAssertEqual(exposure["spendColumn"] as? String, "tv_spend")
        let perUnit = try XCTUnwrap(exposure["costPerUnit"] as? Double)
        XCTAssertEqual(perUnit, Self.costPerUnit.value, accuracy: 1e-12 * perUnit)
        // tv's "spend" is money: its total over the rows is the file's total tv_spend (the
        // average-price rule keeps the total), to rounding.
        let (_, spend) = Fixtures.exposureSampleColumns()
        let total = spend.reduce(0, +)
        XCTAssertEqual(try XCTUnwrap(tv["spend"] as? Double), total, accuracy: 1e-9 * total)
        let back = try ReportSnapshot.load(from: url)
        XCTAssertEqual(back.channels.map(\.exposure), snapshot.channels.map(\.exposure), "reads back")
    }
}
