import MixTestSupport
import Foundation
import XCTest

/// `mixplan weekly` and `mixplan report` on the bundled geo sample (samples/geo-4x104): the full
/// pack is written, the workbook's numbers are the ones summary.json holds (read back from the
/// files), the report puts the national summary before the geos, `report --model` on the pack's
/// model/ redraws the same charts, and flags the geo path cannot honour are refused, not ignored.
final class GeoWeeklyCommandTests: XCTestCase {
    /// Short run: enough draws for every output to exist; convergence is not the point here
    /// (exit 1 "pack written with warnings" is accepted alongside 0).
    static let shortRun = ["--chains", "2", "--warmup", "150", "--draws", "100", "--seed", "3"]
    /// Workbook numbers against summary.json: both come from the same posterior draws (the pack
    /// re-reads draws.csv, written as the shortest text that reads back to the same Double), so
    /// only the xlsx writer's decimal rendering (17 significant digits) and summation order can
    /// differ: a relative 1e-9 is far above that and far below any real disagreement.
    static let tolerance = 1e-9

    func testWeeklyOnTheGeoSampleWritesTheFullPackAndTheWorkbookAgreesWithSummaryJSON() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let config = Fixtures.sample("geo-4x104").appendingPathComponent("mixplan.yaml").path
        let reports = dir.appendingPathComponent("reports")
        let run = try MixPlanProcess.run(["weekly", "--config", config, "--out", reports.path, "--log-level", "warning"] + Self.shortRun)
        XCTAssertTrue(run.status == 0 || run.status == 1, run.stderr)
        XCTAssertTrue(run.stdout.contains("geo model, 4 geos"), run.stdout)
        let weeks = try FileManager.default.contentsOfDirectory(atPath: reports.path).filter { $0.contains("-W") }
        XCTAssertEqual(weeks.count, 1, "\(weeks)")
        let pack = reports.appendingPathComponent(weeks[0])
        for file in ["report.md", "report.html", "mixplan.xlsx", "summary.json", "model/geo-model.json", "model/panel.csv", "model/draws.csv"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: pack.appendingPathComponent(file).path), file)
        }
        let charts = try FileManager.default.contentsOfDirectory(atPath: pack.appendingPathComponent("charts").path).sorted()
        XCTAssertEqual(charts, ["actual-vs-fitted.png", "geo-fit.png", "geo-response-curves.png", "geo-roas.png", "roas.png", "spend-effect-share.png"])

        // summary.json of the pack is the model's.
        let summaryData = try Data(contentsOf: pack.appendingPathComponent("summary.json"))
        XCTAssertEqual(summaryData, try Data(contentsOf: pack.appendingPathComponent("model/summary.json")))
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: summaryData) as? [String: Any])
        let national = try XCTUnwrap(summary["channels"] as? [[String: Any]])
        let geos = try XCTUnwrap(summary["geos"] as? [[String: Any]])

        // Geos sheet: one row per geo × channel from row 5 (header on row 4), values = summary.json.
        let book = try XlsxReader(pack.appendingPathComponent("mixplan.xlsx"))
        XCTAssertEqual(book.sheetNames, ["Summary", "Geos", "Charts"])
        let cells = try book.cells("Geos")
        func number(_ col: String, _ row: Int) -> Double? { cells["\(col)\(row)"]?.number }
        func text(_ col: String, _ row: Int) -> String? { cells["\(col)\(row)"]?.string }
        func close(_ a: Double?, _ b: Double, _ what: String) {
            guard let a else { return XCTFail("\(what): empty cell") }
            XCTAssertEqual(a, b, accuracy: Self.tolerance * max(1, abs(b)), what)
        }
        func interval(_ x: [String: Any], _ key: String) -> (Double, Double, Double) {
            let i = x[key] as! [String: Any]
            return (i["mean"] as! Double, i["lower"] as! Double, i["upper"] as! Double)
        }
        var row = 5, checked = 0
        for geo in geos {
            let name = geo["name"] as! String
            let active = geo["channels"] as! [[String: Any]]
            let spendTotal = active.reduce(0) { $0 + ($1["spend"] as! Double) }
            for channel in national.map({ $0["name"] as! String }) {
                XCTAssertEqual(text("A", row), name)
                XCTAssertEqual(text("B", row), channel)
                if let cell = active.first(where: { $0["name"] as! String == channel }) {
                    close(number("C", row), cell["spend"] as! Double, "\(name)/\(channel) spend")
                    close(number("D", row), (cell["spend"] as! Double) / spendTotal, "\(name)/\(channel) spend share")
                    for (k, key) in ["contribution", "roas", "marginalRoas"].enumerated() {
                        let (m, lo, hi) = interval(cell, key)
                        let cols = [["E", "F", "G"], ["H", "I", "J"], ["K", "L", "M"]][k]
                        close(number(cols[0], row), m, "\(name)/\(channel) \(key)")
                        close(number(cols[1], row), lo, "\(name)/\(channel) \(key) low")
                        close(number(cols[2], row), hi, "\(name)/\(channel) \(key) high")
                    }
                    close(number("N", row), interval(cell, "share").0, "\(name)/\(channel) effect share")
                    checked += 1
                } else {
                    XCTAssertTrue((geo["inactiveChannels"] as! [String]).contains(channel))
                    XCTAssertTrue(text("D", row)?.contains("no spend") == true, "\(name)/\(channel)")
                }
                row += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 12, "most cells of geo-4x104 are live")
        // Summary sheet: the national table (ROAS recomputed: national contribution ÷ spend).
        let summarySheet = try book.cells("Summary")
        let header = try XCTUnwrap(summarySheet.first { $0.value.string == "Channel" }?.key)
        let headerRow = XlsxReader.parse(header).1
        for (k, channel) in national.enumerated() {
            let r = headerRow + 1 + k
            XCTAssertEqual(summarySheet["A\(r)"]?.string, channel["name"] as? String)
            let spend = channel["spend"] as! Double
            close(summarySheet["B\(r)"]?.number, spend, "national spend")
            close(summarySheet["C\(r)"]?.number, interval(channel, "contribution").0, "national contribution")
            close(summarySheet["F\(r)"]?.number, interval(channel, "roas").0, "national ROAS")
            close(summarySheet["F\(r)"]?.number, interval(channel, "contribution").0 / spend, "national ROAS = contribution ÷ spend")
        }

        // The report: verdict, national summary, then the geos that move most, then every geo.
        let report = try String(contentsOf: pack.appendingPathComponent("report.md"), encoding: .utf8)
        let order = ["**Verdict:", "## National summary", "## The geos that move most", "## Every geo"].map { report.range(of: $0)?.lowerBound }
        XCTAssertFalse(order.contains(nil), report)
        XCTAssertEqual(order.compactMap { $0 }, order.compactMap { $0 }.sorted())
        for geo in geos { XCTAssertTrue(report.contains("### \(geo["name"] as! String)"), "geo section") }
        XCTAssertTrue(report.contains("No backtest: refitting"), "the skipped backtest is said, not silent")
        XCTAssertTrue(report.contains("charts/geo-roas.png"))
        let html = try String(contentsOf: pack.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("data:image/png;base64,"), "charts embedded")

        // `report --model` on the pack's model/ redraws the same charts from the folder alone.
        let again = dir.appendingPathComponent("again")
        let redo = try MixPlanProcess.run(["report", "--model", pack.appendingPathComponent("model").path, "--out", again.path])
        XCTAssertEqual(redo.status, 0, redo.stderr)
        for chart in charts {
            XCTAssertEqual(try Data(contentsOf: again.appendingPathComponent("charts/" + chart)),
                           try Data(contentsOf: pack.appendingPathComponent("charts/" + chart)), chart)
        }
    }

    func testFlagsTheGeoPathCannotHonourAreRefusedBeforeAnyWork() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let config = Fixtures.sample("geo-4x104").appendingPathComponent("mixplan.yaml").path
        let reports = dir.appendingPathComponent("reports")
        let weekly = try MixPlanProcess.run(["weekly", "--config", config, "--out", reports.path, "--backtest", "8"] + Self.shortRun)
        XCTAssertEqual(weekly.status, 2, weekly.stderr)
        XCTAssertTrue(weekly.stderr.contains("--backtest") && weekly.stderr.contains("not supported for geo panels"), weekly.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: reports.path))
        let model = dir.appendingPathComponent("model")
        let fit = try MixPlanProcess.run(["fit", "--config", config, "--out", model.path, "--backtest", "8"] + Self.shortRun)
        XCTAssertEqual(fit.status, 2, fit.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: model.path))
    }
}
