import MixTestSupport
import Foundation
import XCTest

/// The executable end to end: fit a bundled sample briefly, then optimise and run a what-if on
/// the saved model, checking exit codes and the JSON the planner's scripts would read.
final class FitOptimizeTests: XCTestCase {
    func testFitThenOptimizeThenWhatIf() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let config = Fixtures.sample("weekly-2ch").appendingPathComponent("mixplan.yaml").path
        let model = dir.appendingPathComponent("model").path
        let fit = try MixPlanProcess.run(["fit", "--config", config, "--out", model, "--chains", "2", "--warmup", "200",
                                          "--draws", "150", "--allow-unconverged", "--quiet"])
        XCTAssertEqual(fit.status, 0, fit.stderr)
        XCTAssertTrue(fit.stdout.contains("model saved to"), fit.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: model + "/draws.csv"))

        let opt = try MixPlanProcess.run(["optimize", "--model", model, "--budget", "7000", "--periods", "2", "--json"])
        XCTAssertEqual(opt.status, 0, opt.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(opt.stdout.utf8)) as? [String: Any])
        let plan = try XCTUnwrap(json["plan"] as? [String: Any])
        let channels = try XCTUnwrap(plan["channels"] as? [[String: Any]])
        let total = channels.compactMap { $0["spendOverHorizon"] as? Double }.reduce(0, +)
        XCTAssertEqual(total, 7000, accuracy: 1e-6, "the allocation spends exactly the budget")

        let whatif = try MixPlanProcess.run(["whatif", "--model", model, "--spend", "x1=1000", "--json"])
        XCTAssertEqual(whatif.status, 0, whatif.stderr)
        XCTAssertTrue(whatif.stdout.contains("\"x1\""), whatif.stdout)

        let bad = try MixPlanProcess.run(["optimize", "--model", model, "--bounds", "nope=1:2"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("nope"), bad.stderr)
        XCTAssertEqual(bad.stdout, "")

        let negative = try MixPlanProcess.run(["optimize", "--model", model, "--budget", "-5"])
        XCTAssertEqual(negative.status, 2, negative.stderr + negative.stdout)
    }

    /// --holdout must leave the fit the periods the model needs (weekly-2ch: 28 of 179, so at
    /// most 151 held out), in fit and weekly alike, and is refused before any sampling.
    func testHoldoutLeavesEnoughPeriodsToFit() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let config = Fixtures.sample("weekly-2ch").appendingPathComponent("mixplan.yaml").path
        for command in [["fit", "--out", dir.appendingPathComponent("m").path], ["weekly", "--out", dir.appendingPathComponent("r").path]] {
            let run = try MixPlanProcess.run(command + ["--config", config, "--holdout", "152"])
            XCTAssertEqual(run.status, 2, "\(command[0]): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains("--holdout: keeps 152 of the 179 periods out of the fit, leaving 27"), run.stderr)
            XCTAssertTrue(run.stderr.contains("needs at least 28 periods to fit, so the holdout can be 0 to 151 periods"), run.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("m").path))
        }
    }

    func testFitWithBadConfigExitsTwoAndWritesNothing() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let config = dir.appendingPathComponent("mixplan.yaml")
        try "data:\n  file: missing.csv\n".write(to: config, atomically: true, encoding: .utf8)
        let result = try MixPlanProcess.run(["fit", "--config", config.path, "--out", dir.appendingPathComponent("m").path])
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("missing.csv"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("m").path))
    }
}
