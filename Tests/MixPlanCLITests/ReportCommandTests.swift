import MixTestSupport
import Foundation
import XCTest

/// `mixplan report` on a saved model: the files, a given optimiser result, and atomicity when a
/// template is broken.
final class ReportCommandTests: XCTestCase {
    func testReportWritesThePackAndABrokenTemplateLeavesTheOldOneUntouched() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let config = Fixtures.sample("weekly-2ch").appendingPathComponent("mixplan.yaml").path
        let model = dir.appendingPathComponent("model").path
        let fit = try MixPlanProcess.run(["fit", "--config", config, "--out", model, "--chains", "2", "--warmup", "150",
                                          "--draws", "100", "--allow-unconverged", "--quiet"])
        XCTAssertEqual(fit.status, 0, fit.stderr)

        // An optimiser result from `optimize --json` is shown as given.
        let optimize = try MixPlanProcess.run(["optimize", "--model", model, "--budget", "4000", "--json"])
        XCTAssertEqual(optimize.status, 0, optimize.stderr)
        let planFile = dir.appendingPathComponent("plan.json")
        try optimize.stdout.write(to: planFile, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("report")
        let report = try MixPlanProcess.run(["report", "--model", model, "--optimization", planFile.path, "--out", out.path])
        XCTAssertEqual(report.status, 0, report.stderr)
        for file in ["mixplan.xlsx", "report.md", "report.html", "summary.json", "plan.json", "charts/allocation.png"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), file)
        }
        let written = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("plan.json"))) as? [String: Any]
        XCTAssertEqual(written?["budget"] as? Double, 4000)
        let before = try Data(contentsOf: out.appendingPathComponent("report.md"))

        // A broken template: exit 2 naming the file, and the previous report folder is untouched.
        let templates = dir.appendingPathComponent("templates")
        try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
        try "# {{#channels}} never closed\n".write(to: templates.appendingPathComponent("report.md.mustache"), atomically: true, encoding: .utf8)
        try "<p>{{title}}</p>\n".write(to: templates.appendingPathComponent("report.html.mustache"), atomically: true, encoding: .utf8)
        let broken = try MixPlanProcess.run(["report", "--model", model, "--templates", templates.path, "--out", out.path])
        XCTAssertEqual(broken.status, 2, broken.stderr)
        XCTAssertTrue(broken.stderr.contains("report.md.mustache"), broken.stderr)
        XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("report.md")), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(),
                       ["model", "plan.json", "report", "templates"], "no temporary folder left beside the report")

        // A plan for other channels is refused.
        try optimize.stdout.replacingOccurrences(of: "\"x1\"", with: "\"tv\"").write(to: planFile, atomically: true, encoding: .utf8)
        let mismatch = try MixPlanProcess.run(["report", "--model", model, "--optimization", planFile.path, "--out", out.path])
        XCTAssertEqual(mismatch.status, 2, mismatch.stderr)
        XCTAssertTrue(mismatch.stderr.contains("tv"), mismatch.stderr)
    }
}

/// `report --chart-scale 2` (and `report.chart_scale`) draws every chart at twice the pixels;
/// a scale outside 1…4 is refused before anything is written.
final class ChartScaleTests: XCTestCase {
    func pngWidth(_ url: URL) throws -> Int {
        let b = [UInt8](try Data(contentsOf: url).prefix(24))
        return b[16..<20].reduce(0) { $0 << 8 | Int($1) }
    }

    func testChartScaleTwoDoublesThePixelsAndABadScaleExitsTwo() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let model = Fixtures.url("charts/weekly-2ch-model").path
        let out = dir.appendingPathComponent("report")
        let run = try MixPlanProcess.run(["report", "--model", model, "--out", out.path, "--chart-scale", "2", "--no-plan"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let charts = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("charts").path)
        XCTAssertTrue(charts.contains("residuals.png") && charts.contains("spend-effect-share.png"), "\(charts)")
        for name in charts { XCTAssertEqual(try pngWidth(out.appendingPathComponent("charts/" + name)), 1920, name) }

        let bad = dir.appendingPathComponent("bad")
        let refused = try MixPlanProcess.run(["report", "--model", model, "--out", bad.path, "--chart-scale", "9"])
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--chart-scale") && refused.stderr.contains("from 1 to 4"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: bad.path))
    }
}
