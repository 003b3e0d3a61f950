import Foundation
import XCTest

/// `optimize` and `whatif` on a geo model folder, through the executable: plan.json lists cells
/// with their geo and national channel totals; a geo plan CSV read back by whatif gives the same
/// figures; bad plans and bounds exit 2 naming file, row, column and the geo or channel.
final class GeoPlanCommandTests: XCTestCase {
    /// The same draws and arithmetic: agreement to rounding (1e-9 relative).
    static let recomputeTolerance = 1e-9

    /// One brief fit shared by the tests (2 chains × 100 draws is enough to plan with; the plan's
    /// figures are checked for consistency, not for their values), in a folder of its own that
    /// the class removes when its tests are done.
    nonisolated(unsafe) static var folder: URL?

    override class func tearDown() {
        if let folder { try? FileManager.default.removeItem(at: folder) }
        folder = nil
        super.tearDown()
    }

    func fittedModel() throws -> URL {
        if let dir = Self.folder { return dir.appendingPathComponent("model") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mixplan-geoplan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        Self.folder = dir
        let sim = dir.appendingPathComponent("sim")
        let made = try MixPlanProcess.run(["simulate", "--preset", "geo-4x104", "--seed", "2", "--out", sim.path])
        XCTAssertEqual(made.status, 0, made.stderr)
        let model = dir.appendingPathComponent("model")
        let fit = try MixPlanProcess.run(["fit", "--config", sim.appendingPathComponent("mixplan.yaml").path, "--out", model.path,
                                          "--chains", "2", "--warmup", "150", "--draws", "100", "--allow-unconverged"])
        XCTAssertEqual(fit.status, 0, fit.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: model.appendingPathComponent("response-draws.json").path))
        return model
    }

    func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func testOptimizeListsCellsWithGeoAndWhatIfReadsTheCSVBack() throws {
        let model = try fittedModel().path
        let run = try MixPlanProcess.run(["optimize", "--model", model, "--periods", "4",
                                          "--bounds", "search=±20%,geo01=±25%", "--objective", "mean-sd:0.5", "--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let plan = try json(run.stdout)
        let cells = try XCTUnwrap(plan["cells"] as? [[String: Any]])
        let channels = try XCTUnwrap(plan["channels"] as? [[String: Any]])
        XCTAssertEqual(Set(cells.map { $0["geo"] as! String }), ["geo01", "geo02", "geo03", "geo04"])
        XCTAssertEqual(channels.map { $0["name"] as! String }, ["tv", "search", "social", "display"])
        // Spends exactly the budget (per period × 4 periods); the channel total is its cells' sum.
        let spend = cells.map { $0["spendPerPeriod"] as! Double }
        let budget = try XCTUnwrap(plan["budget"] as? Double)
        XCTAssertEqual(spend.reduce(0, +) * 4, budget, accuracy: 1e-9 * budget)
        for channel in channels {
            let name = channel["name"] as! String
            let sum = cells.filter { $0["channel"] as! String == name }.reduce(0.0) { $0 + ($1["spendPerPeriod"] as! Double) }
            XCTAssertEqual(channel["spendPerPeriod"] as! Double, sum, accuracy: 1e-9 * budget)
        }
        let search = channels.first { $0["name"] as! String == "search" }!
        let now = search["currentSpendPerPeriod"] as! Double
        XCTAssertLessThanOrEqual(search["spendPerPeriod"] as! Double, 1.2 * now * (1 + 1e-9))
        XCTAssertNotNil((plan["certificate"] as? [String: Any])?["projectedGradientResidual"])

        // The plan as a CSV with a geo column, read back by whatif: the same response.
        let dir = Self.folder!
        var csv = "geo,channel,spend\n"
        for c in cells { csv += "\(c["geo"]!),\(c["channel"]!),\(String(format: "%.17g", c["spendPerPeriod"] as! Double))\n" }
        let planCSV = dir.appendingPathComponent("geo-plan.csv")
        try Data(csv.utf8).write(to: planCSV)
        let whatIf = try MixPlanProcess.run(["whatif", "--model", model, "--periods", "4", "--plan", planCSV.path, "--json"])
        XCTAssertEqual(whatIf.status, 0, whatIf.stderr)
        let mean = { (p: [String: Any]) in ((p["plan"] as! [String: Any])["response"] as! [String: Any])["mean"] as! Double }
        let answer = mean(plan)
        XCTAssertEqual(mean(try json(whatIf.stdout)), answer, accuracy: Self.recomputeTolerance * abs(answer))

        // The table prints geo × channel, then channel and geo totals.
        let table = try MixPlanProcess.run(["whatif", "--model", model, "--spend", "geo01/tv=1000,geo02/search=-20%"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("National channel totals") && table.stdout.contains("Geo totals"), table.stdout)
    }

    func testHistoricalSplitAndFrontier() throws {
        let model = try fittedModel().path
        let run = try MixPlanProcess.run(["optimize", "--model", model, "--geo-split", "historical", "--frontier", "--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let out = try json(run.stdout)
        let result = try XCTUnwrap(out["result"] as? [String: Any])
        XCTAssertEqual(result["split"] as? String, "historical")
        let cells = try XCTUnwrap(result["cells"] as? [[String: Any]])
        // Each channel's cells keep their current shares.
        for channel in ["tv", "search"] {
            let mine = cells.filter { $0["channel"] as! String == channel }
            let total = mine.reduce(0.0) { $0 + ($1["spendPerPeriod"] as! Double) }
            let now = mine.reduce(0.0) { $0 + ($1["currentSpendPerPeriod"] as! Double) }
            for c in mine {
                XCTAssertEqual((c["spendPerPeriod"] as! Double) / total, (c["currentSpendPerPeriod"] as! Double) / now, accuracy: 1e-12)
            }
        }
        XCTAssertFalse(try XCTUnwrap((out["frontier"] as? [String: Any])?["points"] as? [Any]).isEmpty)
    }

    func testBadPlansAndBoundsExitTwoNamingRowGeoAndColumn() throws {
        let model = try fittedModel().path
        let dir = Self.folder!
        let badPlan = dir.appendingPathComponent("bad-plan.csv")
        try Data("geo,channel,spend\ngeo01,tv,1000\neast,tv,500\n".utf8).write(to: badPlan)
        let a = try MixPlanProcess.run(["whatif", "--model", model, "--plan", badPlan.path])
        XCTAssertEqual(a.status, 2, a.stderr)
        XCTAssertTrue(a.stderr.contains("bad-plan.csv, row 3, column \"geo\"") && a.stderr.contains("unknown geo \"east\""), a.stderr)

        let badBounds = dir.appendingPathComponent("bad-bounds.csv")
        try Data("geo,channel,min,max\ngeo02,radio,0,100\n".utf8).write(to: badBounds)
        let b = try MixPlanProcess.run(["optimize", "--model", model, "--bounds", badBounds.path])
        XCTAssertEqual(b.status, 2, b.stderr)
        XCTAssertTrue(b.stderr.contains("bad-bounds.csv, row 2, column \"channel\"") && b.stderr.contains("unknown channel \"radio\""), b.stderr)

        let c = try MixPlanProcess.run(["optimize", "--model", model, "--geo-split", "regional"])
        XCTAssertEqual(c.status, 2, c.stderr)
        XCTAssertTrue(c.stderr.contains("--geo-split"), c.stderr)

        // A geo total its cells' own limits (±30 % of current by default) cannot meet: the conflict is named.
        let d = try MixPlanProcess.run(["optimize", "--model", model, "--bounds", "geo01=0:1"])
        XCTAssertEqual(d.status, 2, d.stderr)
        XCTAssertTrue(d.stderr.contains("geo \"geo01\" total must lie between 0 and 1 per period"), d.stderr)
        // Geo totals that together cannot meet the budget.
        let e = try MixPlanProcess.run(["optimize", "--model", model, "--bounds", "geo01=±1%,geo02=±1%,geo03=±1%,geo04=±1%", "--budget", "1"])
        XCTAssertEqual(e.status, 2, e.stderr)
        XCTAssertTrue(e.stderr.contains("the budget"), e.stderr)
        // optimize and whatif write nothing into the model folder.
        let files = try FileManager.default.contentsOfDirectory(atPath: model).sorted()
        XCTAssertEqual(files, [".mixplan-files", "draws.csv", "geo-model.json", "panel.csv", "response-draws.json", "sample_stats.csv", "summary.csv", "summary.json"])
    }
}
