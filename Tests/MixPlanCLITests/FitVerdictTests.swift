import MixTestSupport
import Foundation
import XCTest

/// `mixplan fit` prints every failed check of the verdict with what to try next, exits 1 for it,
/// and a plan from that fit carries the caveat beside its probability (text and JSON).
final class FitVerdictTests: XCTestCase {
    func testUnconvergedFitPrintsEachFailureWithWhatToTryNext() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let config = Fixtures.sample("weekly-2ch").appendingPathComponent("mixplan.yaml").path
        let model = dir.appendingPathComponent("model").path
        // 2 chains × 60 draws cannot reach 400 effective draws: the ESS checks must fail.
        let fit = try MixPlanProcess.run(["fit", "--config", config, "--out", model, "--chains", "2", "--warmup", "100",
                                          "--draws", "60", "--backtest", "off"])
        XCTAssertEqual(fit.status, 1, fit.stderr)
        let failures = fit.stdout.split(separator: "\n").filter { $0.hasPrefix("  - ") }
        let nextSteps = fit.stdout.split(separator: "\n").filter { $0.hasPrefix("    try next: ") }
        XCTAssertGreaterThanOrEqual(failures.count, 1, fit.stdout)
        XCTAssertEqual(failures.count, nextSteps.count, "one next step per failure: \(fit.stdout)")
        XCTAssertTrue(failures.contains { $0.contains("min bulk ESS") }, fit.stdout)
        XCTAssertTrue(fit.stdout.contains("fit: NOT converged ("), fit.stdout)
        XCTAssertTrue(fit.stdout.contains("Media share of the target:"), fit.stdout)

        let whatif = try MixPlanProcess.run(["whatif", "--model", model, "--spend", "x1=1000"])
        XCTAssertEqual(whatif.status, 0, whatif.stderr)
        XCTAssertTrue(whatif.stdout.contains("probability the plan beats current"), whatif.stdout)
        XCTAssertTrue(whatif.stdout.contains("Caveat: The fit did not converge"), whatif.stdout)
        let json = try MixPlanProcess.run(["optimize", "--model", model, "--json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let plan = try XCTUnwrap(object["plan"] as? [String: Any])
        XCTAssertTrue((plan["caveat"] as? String)?.contains("did not converge") ?? false, json.stdout)
    }

    /// `fit` and the report print the same "narrowed" figure for each channel: both compute it
    /// from every posterior draw (the report once used a thinned subset of 500, so with 1,200
    /// draws it printed a figure several points off `fit`'s), and both write it one way.
    func testFitAndReportPrintTheSameNarrowedFigure() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let config = Fixtures.sample("weekly-2ch").appendingPathComponent("mixplan.yaml").path
        let model = dir.appendingPathComponent("model").path
        let fit = try MixPlanProcess.run(["fit", "--config", config, "--out", model, "--chains", "4", "--warmup", "300",
                                          "--draws", "300", "--backtest", "off", "--allow-unconverged"])
        XCTAssertEqual(fit.status, 0, fit.stderr)
        let line = try XCTUnwrap(fit.stdout.split(separator: "\n").first { $0.hasPrefix("ROAS prior narrowed by the data") }, fit.stdout)
        let out = dir.appendingPathComponent("pack")
        let report = try MixPlanProcess.run(["report", "--model", model, "--no-plan", "--out", out.path])
        XCTAssertEqual(report.status, 0, report.stderr)
        let markdown = try String(contentsOf: out.appendingPathComponent("report.md"), encoding: .utf8)
        for channel in ["x1", "x2"] {
            // fit: "…: x1 97 %, x2 99 %."; report: "| x1 | prior | posterior | 97 % | …".
            let printed = try XCTUnwrap(line.components(separatedBy: ": ").last?.split(separator: ",")
                .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " .")) }
                .first { $0.hasPrefix(channel + " ") }?.dropFirst(channel.count + 1), String(line))
            let lines = markdown.split(separator: "\n")
            let header = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("| Channel | ROAS prior | ROAS posterior | Narrowed |") }, markdown)
            let row = try XCTUnwrap(lines[header...].first { $0.hasPrefix("| \(channel) |") }, markdown)
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            XCTAssertEqual(cells[3], String(printed), "\(channel): fit printed \(printed), the report \(cells[3])")
            XCTAssertTrue(cells[3].hasSuffix(" %") && Double(cells[3].dropLast(2)) != nil, cells[3])
        }
    }

    /// A bad --backtest value is a usage error naming the flag.
    func testBadBacktestValueIsRefused() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let config = Fixtures.sample("weekly-2ch").appendingPathComponent("mixplan.yaml").path
        let result = try MixPlanProcess.run(["fit", "--config", config, "--out", dir.appendingPathComponent("m").path, "--backtest", "lots"])
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("--backtest"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("m").path), "nothing written")
    }
}
