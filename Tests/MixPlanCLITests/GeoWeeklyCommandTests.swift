import MixTestSupport
import Foundation
import XCTest

/// `mixplan weekly` and `mixplan report` on the bundled geo sample (samples/geo-4x104): the full
/// pack is written, the workbook's numbers are the ones summary.json holds (read back from the
/// files), the geo plan (plan.json, plan.csv, the allocation chart, the Allocation sheet by geo ×
/// channel and the report's plan section) exists and agrees with itself, the report puts the
/// national summary before the plan and the geos, `report --model` on the pack's model/ redraws
/// the same pack, a national plan is refused for a geo model and a geo plan for a national one,
/// and flags the geo path cannot honour are refused, not ignored.
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
        XCTAssertTrue(run.stdout.contains("geo model, 4 geos; recommended geo plan"), run.stdout)
        let weeks = try FileManager.default.contentsOfDirectory(atPath: reports.path).filter { $0.contains("-W") }
        XCTAssertEqual(weeks.count, 1, "\(weeks)")
        let pack = reports.appendingPathComponent(weeks[0])
        for file in ["report.md", "report.html", "mixplan.xlsx", "summary.json", "plan.json", "plan.csv",
                     "model/geo-model.json", "model/panel.csv", "model/draws.csv"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: pack.appendingPathComponent(file).path), file)
        }
        let charts = try FileManager.default.contentsOfDirectory(atPath: pack.appendingPathComponent("charts").path).sorted()
        XCTAssertEqual(charts, ["actual-vs-fitted.png", "geo-allocation.png", "geo-fit.png", "geo-response-curves.png", "geo-roas.png", "roas.png",
                                "spend-effect-share.png"])

        // summary.json of the pack is the model's.
        let summaryData = try Data(contentsOf: pack.appendingPathComponent("summary.json"))
        XCTAssertEqual(summaryData, try Data(contentsOf: pack.appendingPathComponent("model/summary.json")))
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: summaryData) as? [String: Any])
        let national = try XCTUnwrap(summary["channels"] as? [[String: Any]])
        let geos = try XCTUnwrap(summary["geos"] as? [[String: Any]])

        // Geos sheet: one row per geo × channel from row 5 (header on row 4), values = summary.json.
        let book = try XlsxReader(pack.appendingPathComponent("mixplan.xlsx"))
        XCTAssertEqual(book.sheetNames, ["Summary", "Geos", "Allocation", "Charts", "Planner model"])
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

        // The plan: plan.json spends exactly the budget within every cell's bounds; the Allocation
        // sheet's rows, plan.csv and the report's tables are its cells and totals.
        let planData = try Data(contentsOf: pack.appendingPathComponent("plan.json"))
        let plan = try XCTUnwrap(JSONSerialization.jsonObject(with: planData) as? [String: Any])
        let planCells = try XCTUnwrap(plan["cells"] as? [[String: Any]])
        let periods = try XCTUnwrap((plan["plan"] as? [String: Any])?["periods"] as? Int)
        let budget = try XCTUnwrap(plan["budget"] as? Double)
        let planned = planCells.reduce(0) { $0 + ($1["spendPerPeriod"] as! Double) }
        XCTAssertEqual(planned * Double(periods), budget, accuracy: 1e-6 * budget, "the plan spends exactly the budget")
        XCTAssertEqual(planCells.count, checked, "one plan cell per live geo × channel cell")
        let allocation = try book.cells("Allocation")
        let csvRows = try String(contentsOf: pack.appendingPathComponent("plan.csv"), encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        XCTAssertEqual(csvRows.count, planCells.count)
        for (i, cell) in planCells.enumerated() {
            let spend = cell["spendPerPeriod"] as! Double, current = cell["currentSpendPerPeriod"] as! Double
            XCTAssertGreaterThanOrEqual(spend, (cell["lowerBound"] as! Double) - 1e-9 * max(1, spend))
            XCTAssertLessThanOrEqual(spend, (cell["upperBound"] as! Double) + 1e-9 * max(1, spend))
            let r = 8 + i
            XCTAssertEqual(allocation["A\(r)"]?.string, cell["geo"] as? String)
            XCTAssertEqual(allocation["B\(r)"]?.string, cell["channel"] as? String)
            close(allocation["C\(r)"]?.number, current, "Allocation current \(i)")
            close(allocation["D\(r)"]?.number, spend, "Allocation recommended \(i)")
            close(allocation["I\(r)"]?.number, spend, "planner cell pre-filled \(i)")
            XCTAssertNotNil(allocation["J\(r)"]?.formula, "live cell \(i) is a formula")
            XCTAssertEqual(String(csvRows[i][0]), cell["geo"] as? String)
            XCTAssertEqual(String(csvRows[i][1]), cell["channel"] as? String)
            close(Double(csvRows[i][2]), spend, "plan.csv spend \(i)")
        }
        let channelTotals = try XCTUnwrap(plan["channels"] as? [[String: Any]]), geoTotals = try XCTUnwrap(plan["geos"] as? [[String: Any]])
        for t in channelTotals {
            let name = t["name"] as! String
            close(t["spendPerPeriod"] as? Double, planCells.filter { $0["channel"] as! String == name }.reduce(0) { $0 + ($1["spendPerPeriod"] as! Double) },
                  "channel total \(name)")
        }
        XCTAssertEqual(geoTotals.map { $0["name"] as! String }, geos.map { $0["name"] as! String })

        // The report: verdict, national summary, the plan (national totals, then the geos that
        // move most, then geo totals), then the geos that move most by effect, then every geo.
        let report = try String(contentsOf: pack.appendingPathComponent("report.md"), encoding: .utf8)
        let planMarks = ["## National summary", "## Recommended plan", "National channel totals", "The geos whose allocation moves most",
                         "Geo totals", "charts/geo-allocation.png", "## The geos that move most"].map { report.range(of: $0)?.lowerBound }
        XCTAssertFalse(planMarks.contains(nil), report)
        XCTAssertEqual(planMarks.compactMap { $0 }, planMarks.compactMap { $0 }.sorted())
        let planSection = String(report[report.range(of: "## Recommended plan")!.lowerBound..<report.range(of: "## The geos that move most")!.lowerBound])
        for t in channelTotals + geoTotals { XCTAssertTrue(planSection.contains("| \(t["name"] as! String) | "), "plan row for \(t["name"]!)") }
        if let caveat = (plan["plan"] as? [String: Any])?["caveat"] as? String {
            XCTAssertTrue(planSection.contains("*Caveat: \(caveat)*"), "the caveat beside P(better)")
        }
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
        for file in charts.map({ "charts/" + $0 }) + ["plan.json"] {
            XCTAssertEqual(try Data(contentsOf: again.appendingPathComponent(file)), try Data(contentsOf: pack.appendingPathComponent(file)), file)
        }
        // … and shows a given geo plan.json as given; --no-plan leaves the plan out.
        let given = dir.appendingPathComponent("given")
        let shown = try MixPlanProcess.run(["report", "--model", pack.appendingPathComponent("model").path, "--optimization",
                                            pack.appendingPathComponent("plan.json").path, "--out", given.path])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertEqual(try Data(contentsOf: given.appendingPathComponent("plan.json")), planData)
        let bare = dir.appendingPathComponent("bare")
        let none = try MixPlanProcess.run(["report", "--model", pack.appendingPathComponent("model").path, "--no-plan", "--out", bare.path])
        XCTAssertEqual(none.status, 0, none.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: bare.appendingPathComponent("plan.json").path))
        XCTAssertTrue(try String(contentsOf: bare.appendingPathComponent("report.md"), encoding: .utf8).contains("No optimisation was run"))

        // A national plan on the geo model, and the geo plan on a national model: exit 2, naming the file, nothing written.
        let nationalModel = dir.appendingPathComponent("national")
        let fit = try MixPlanProcess.run(["fit", "--config", Fixtures.sample("weekly-2ch").appendingPathComponent("mixplan.yaml").path, "--out", nationalModel.path,
                                          "--chains", "1", "--warmup", "100", "--draws", "50", "--allow-unconverged", "--quiet"])
        XCTAssertEqual(fit.status, 0, fit.stderr)
        let optimize = try MixPlanProcess.run(["optimize", "--model", nationalModel.path, "--json"])
        XCTAssertEqual(optimize.status, 0, optimize.stderr)
        let nationalPlan = dir.appendingPathComponent("national-plan.json")
        try optimize.stdout.write(to: nationalPlan, atomically: true, encoding: .utf8)
        let refused = dir.appendingPathComponent("refused")
        let onGeo = try MixPlanProcess.run(["report", "--model", pack.appendingPathComponent("model").path, "--optimization", nationalPlan.path, "--out", refused.path])
        XCTAssertEqual(onGeo.status, 2, onGeo.stderr)
        XCTAssertTrue(onGeo.stderr.contains("national-plan.json") && onGeo.stderr.contains("is a national plan"), onGeo.stderr)
        let onNational = try MixPlanProcess.run(["report", "--model", nationalModel.path, "--optimization", pack.appendingPathComponent("plan.json").path, "--out", refused.path])
        XCTAssertEqual(onNational.status, 2, onNational.stderr)
        XCTAssertTrue(onNational.stderr.contains("plan.json") && onNational.stderr.contains("is a geo plan"), onNational.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: refused.path))
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
