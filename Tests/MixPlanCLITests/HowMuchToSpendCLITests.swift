import MixTestSupport
import Foundation
import XCTest

/// `mixplan optimize --target-response / --min-marginal-roas / --frontier` on the committed
/// two-channel model, checked by replaying the answers through `whatif`.
final class HowMuchToSpendCLITests: XCTestCase {
    private var model: String { Fixtures.url("bad-input/model-2ch").path }

    private func json(_ arguments: [String]) throws -> [String: Any] {
        let r = try MixPlanProcess.run(arguments + ["--json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    private func spends(_ plan: [String: Any]) throws -> [String: Double] {
        let channels = try XCTUnwrap(plan["channels"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: try channels.map { (try XCTUnwrap($0["channel"] as? String), try XCTUnwrap($0["spendPerPeriod"] as? Double)) })
    }

    /// The least budget reaching 105 % of the current response (wide bounds so spend can move):
    /// `whatif` on its plan reaches the target, and 99 % of that budget split the same way does not.
    func testTargetResponseReplaysThroughWhatIf() throws {
        let bounds = ["--bounds", "x1=0:100000,x2=0:100000", "--periods", "4"]
        let base = try json(["optimize", "--model", model] + bounds)
        let current = try XCTUnwrap((base["plan"] as? [String: Any])?["currentResponse"] as? [String: Any])
        let target = 1.05 * (try XCTUnwrap(current["mean"] as? Double))
        let r = try json(["optimize", "--model", model, "--target-response", String(target)] + bounds)
        let result = try XCTUnwrap(r["result"] as? [String: Any])
        let plan = try spends(try XCTUnwrap(result["plan"] as? [String: Any]))
        let spec = plan.keys.sorted().map { "\($0)=\(plan[$0]!)" }.joined(separator: ",")
        let replay = try json(["whatif", "--model", model, "--spend", spec, "--periods", "4"])
        let mean = try XCTUnwrap((replay["response"] as? [String: Any])?["mean"] as? Double)
        XCTAssertGreaterThanOrEqual(mean, target * (1 - 1e-9))
        let cheaper = plan.keys.sorted().map { "\($0)=\(0.99 * plan[$0]!)" }.joined(separator: ",")
        let less = try json(["whatif", "--model", model, "--spend", cheaper, "--periods", "4"])
        XCTAssertLessThan(try XCTUnwrap((less["response"] as? [String: Any])?["mean"] as? Double), target)
    }

    /// A threshold of half the smallest marginal ROAS of the best plan at today's budget: each
    /// channel's answer spends more than in that plan (marginal ROAS falls with spend on these
    /// concave curves) and stops where its marginal ROAS has fallen to the threshold.
    func testMinMarginalROASAndFrontierTable() throws {
        let bounds = ["--bounds", "x1=0:10000000,x2=0:10000000"]
        let base = try json(["optimize", "--model", model] + bounds)
        let current = try XCTUnwrap((base["plan"] as? [String: Any])?["channels"] as? [[String: Any]])
        let threshold = 0.5 * current.compactMap { $0["marginalROAS"] as? Double }.min()!
        let r = try json(["optimize", "--model", model, "--min-marginal-roas", String(threshold)] + bounds)
        let channels = try XCTUnwrap((r["plan"] as? [String: Any])?["channels"] as? [[String: Any]])
        for (c, before) in zip(channels, current) {
            let m = try XCTUnwrap(c["marginalROAS"] as? Double)
            XCTAssertEqual(m, threshold, accuracy: 1e-6 * threshold, "\(c["channel"] ?? "?") stops where its marginal ROAS reaches the threshold")
            XCTAssertGreaterThan(try XCTUnwrap(c["spendPerPeriod"] as? Double), try XCTUnwrap(before["spendPerPeriod"] as? Double))
        }
        let table = try MixPlanProcess.run(["optimize", "--model", model, "--frontier"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("Budget frontier:"), table.stdout)
        XCTAssertTrue(table.stdout.contains("marginal return"), table.stdout)
    }

    func testConflictingGoalsAreBadInput() throws {
        for (arguments, phrase) in [(["--budget", "100", "--target-response", "5"], "give one of"),
                                    (["--probability", "0.8"], "only applies with --target-response"),
                                    (["--target-response", "5", "--probability", "1.5"], "strictly between 0 and 1"),
                                    (["--min-marginal-roas", "0"], "positive number"),
                                    (["--min-marginal-roas", "1", "--objective", "mean"], "cannot be combined")] {
            let r = try MixPlanProcess.run(["optimize", "--model", model] + arguments)
            XCTAssertEqual(r.status, 2, "\(arguments): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(phrase), "\(arguments): \(r.stderr)")
            XCTAssertEqual(r.stdout, "")
        }
    }
}
