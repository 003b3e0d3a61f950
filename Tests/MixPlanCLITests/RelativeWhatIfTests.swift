import MixTestSupport
import Foundation
import XCTest

/// `whatif --spend tv=-20%` and `--against plan.json` on the committed two-channel model.
final class RelativeWhatIfTests: XCTestCase {
    private var model: String { Fixtures.url("bad-input/model-2ch").path }

    private func json(_ arguments: [String]) throws -> [String: Any] {
        let r = try MixPlanProcess.run(arguments + ["--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    private func channels(_ plan: [String: Any]) throws -> [[String: Any]] { try XCTUnwrap(plan["channels"] as? [[String: Any]]) }
    private func number(_ object: [String: Any]?, _ key: String) throws -> Double { try XCTUnwrap(object?[key] as? Double) }

    func testPercentChangesApplyToCurrentSpend() throws {
        let plan = try json(["whatif", "--model", model, "--spend", "x1=-20%,x2=+10%"])
        for (c, factor) in zip(try channels(plan), [0.8, 1.1]) {
            let current = try number(c, "currentSpendPerPeriod")
            XCTAssertEqual(try number(c, "spendPerPeriod"), factor * current, accuracy: 1e-12 * current)
        }
        for (spec, phrase) in [("x1=20%", "needs its sign"), ("x1=-120%", "cannot exceed -100%"), ("x1=-2x%", "needs its sign")] {
            let r = try MixPlanProcess.run(["whatif", "--model", model, "--spend", spec])
            XCTAssertEqual(r.status, 2, r.stderr)
            XCTAssertTrue(r.stderr.contains("--spend") && r.stderr.contains(phrase), r.stderr)
        }
    }

    /// Against a saved plan: unnamed channels and changes start from the plan, and the
    /// comparison's change is the difference of the two responses.
    func testAgainstASavedPlan() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let saved = try MixPlanProcess.run(["optimize", "--model", model, "--json"])
        XCTAssertEqual(saved.status, 0, saved.stderr)
        let planFile = dir.appendingPathComponent("plan.json")
        try saved.stdout.write(to: planFile, atomically: true, encoding: .utf8)
        let base = try XCTUnwrap((try XCTUnwrap(JSONSerialization.jsonObject(with: Data(saved.stdout.utf8)) as? [String: Any]))["plan"] as? [String: Any])
        let baseSpend = try channels(base).map { try number($0, "spendPerPeriod") }

        let r = try json(["whatif", "--model", model, "--spend", "x1=+10%", "--against", planFile.path])
        let plan = try XCTUnwrap(r["plan"] as? [String: Any]), against = try XCTUnwrap(r["against"] as? [String: Any])
        let spend = try channels(plan).map { try number($0, "spendPerPeriod") }
        XCTAssertEqual(spend[0], 1.1 * baseSpend[0], accuracy: 1e-12 * baseSpend[0])
        XCTAssertEqual(spend[1], baseSpend[1], accuracy: 1e-12 * baseSpend[1])
        let response = try number(plan["response"] as? [String: Any], "mean")
        let baseline = try number(against["baselineResponse"] as? [String: Any], "mean")
        XCTAssertEqual(baseline, try number(base["response"] as? [String: Any], "mean"), accuracy: 1e-9 * baseline)
        // A mean of differences is the difference of means (up to rounding).
        XCTAssertEqual(try number(against["change"] as? [String: Any], "mean"), response - baseline, accuracy: 1e-9 * abs(baseline))
        XCTAssertEqual(against["baseline"] as? String, "plan.json")

        let table = try MixPlanProcess.run(["whatif", "--model", model, "--spend", "x1=+10%", "--against", planFile.path])
        XCTAssertTrue(table.stdout.contains("Change versus plan.json"), table.stdout)
        let missing = try MixPlanProcess.run(["whatif", "--model", model, "--spend", "x1=+10%", "--against", dir.appendingPathComponent("nope.json").path])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("nope.json"), missing.stderr)
    }
}
