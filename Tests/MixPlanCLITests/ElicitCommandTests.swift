import MixTestSupport
import Foundation
import MixData
import XCTest

/// `mixplan elicit` end to end on the lift-cut-2ch sample: the printed table and JSON, the
/// config written back (loads, holds exactly the printed priors, keeps every other line), and
/// errors that name the file, row and column.
final class ElicitCommandTests: XCTestCase {
    func sampleCopy() throws -> URL {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        for name in ["data.csv", "lift_tests.csv", "mixplan-uncalibrated.yaml"] {
            try FileManager.default.copyItem(at: Fixtures.sample("lift-cut-2ch").appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        return dir
    }

    struct Report: Decodable {
        struct Channel: Decodable {
            var channel: String
            var shape_identified: Bool
            var parameters: [Parameter]
            var lift_roi_prior: Return
        }
        struct Return: Decodable {
            var spend: Double
            var spend_change: Double
            var fitted_prior: String
            var fitted_parameters: [String: Double]
            var interval: [Double]
            var achieved_mass: Double
        }
        struct Parameter: Decodable {
            var key: String
            var fitted_prior: String
            var fitted_parameters: [String: Double]
            var interval: [Double]
            var achieved_mass: Double
        }
        var mass: Double
        var channels: [Channel]
    }

    func testOutWritesPriorsThatLoadBackExactly() throws {
        let dir = try sampleCopy()
        let original = try String(contentsOf: dir.appendingPathComponent("mixplan-uncalibrated.yaml"), encoding: .utf8)
        let run = try MixPlanProcess.run(["elicit", "--tests", "lift_tests.csv", "--config", "mixplan-uncalibrated.yaml",
                                          "--out", "elicited.yaml", "--json", "--mass", "0.9"], in: dir,
                                         environment: ["SOURCE_DATE_EPOCH": "1700000000"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let report = try JSONDecoder().decode(Report.self, from: Data(run.stdout.utf8))
        XCTAssertEqual(report.channels.map(\.channel), ["social"])
        // One test: no shape prior, only the prior on the test's incremental return.
        XCTAssertFalse(report.channels[0].shape_identified)
        XCTAssertEqual(report.channels[0].parameters.map(\.key), [])
        let r = report.channels[0].lift_roi_prior
        XCTAssertEqual(r.spend, 18674.22)
        XCTAssertEqual(r.spend_change, -16806.80)

        let written = try String(contentsOf: dir.appendingPathComponent("elicited.yaml"), encoding: .utf8)
        let config = try ConfigLoader.load(path: dir.appendingPathComponent("elicited.yaml").path)
        let setting = try XCTUnwrap(config.model.channels["social"]?.liftROIPrior)
        XCTAssertEqual(setting, MixPlanConfig.LiftROIPrior(spend: 18674.22, spendChange: -16806.80, prior: PriorSpec(.gamma, r.fitted_parameters)))
        XCTAssertEqual(setting.prior.description, r.fitted_prior)
        XCTAssertEqual(config.model.channels["social"]?.priors, [:])
        // The written prior's central mass on the elicited interval: the requested 0.9 to the
        // solver's 1e-4 (recomputed from the prior's CDF in `ElicitationAcceptanceTests`).
        XCTAssertEqual(r.achieved_mass, 0.9, accuracy: 1e-4)
        // The interval is around the test's own rate Δy/Δx = 52885.63/16806.80 = 3.1467.
        XCTAssertTrue(r.interval[0] < 3.1467 && 3.1467 < r.interval[1], "\(r.interval)")
        XCTAssertEqual(written.components(separatedBy: "# mixplan elicit: from lift_tests.csv (1 test), 2023-11-14, central 90 % mass").count - 1, 1, written)
        for line in original.components(separatedBy: "\n") where !line.isEmpty { XCTAssertTrue(written.contains(line), "kept: \(line)") }
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("mixplan-uncalibrated.yaml"), encoding: .utf8), original, "--out leaves the config alone")
    }

    func testWriteInPlaceIsRepeatable() throws {
        let dir = try sampleCopy()
        let args = ["elicit", "--tests", "lift_tests.csv", "--config", "mixplan-uncalibrated.yaml", "--write"]
        let env = ["SOURCE_DATE_EPOCH": "1700000000"]
        let first = try MixPlanProcess.run(args, in: dir, environment: env)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("lift_roi_prior"), first.stdout)
        XCTAssertTrue(first.stdout.contains("(replaces saturation_beta)"), first.stdout)
        XCTAssertTrue(first.stdout.contains("Shape priors kept"), "one test: the table says why λ keeps its prior: \(first.stdout)")
        XCTAssertTrue(first.stdout.contains("Wrote 1 prior for 1 channel to mixplan-uncalibrated.yaml"), first.stdout)
        let once = try String(contentsOf: dir.appendingPathComponent("mixplan-uncalibrated.yaml"), encoding: .utf8)
        // The second run starts again from the defaults (the written priors carry the elicit
        // marker), so with the same seed it writes the same bytes.
        let second = try MixPlanProcess.run(args, in: dir, environment: env)
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("mixplan-uncalibrated.yaml"), encoding: .utf8), once)
        XCTAssertEqual(first.stdout, second.stdout)
    }

    func testErrorsNameFileRowAndColumn() throws {
        let dir = try sampleCopy()
        func run(_ csv: String) throws -> MixPlanProcess.Output {
            try csv.write(to: dir.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
            return try MixPlanProcess.run(["elicit", "--tests", "t.csv", "--config", "mixplan-uncalibrated.yaml", "--write"], in: dir)
        }
        let unknown = try run("channel,x,delta_x,delta_y,sigma\nsocial,7000,-6000,-15000,300\nsocail,100,50,20,5\n")
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("t.csv, row 3, column \"channel\""), unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("social"), "did you mean: \(unknown.stderr)")
        let number = try run("channel,x,delta_x,delta_y,sigma\nsocial,7000,lots,-15000,300\n")
        XCTAssertEqual(number.status, 2)
        XCTAssertTrue(number.stderr.contains("t.csv, row 2, column \"delta_x\""), number.stderr)
        let sign = try run("channel,x,delta_x,delta_y,sigma\nsocial,7000,-6000,15000,300\n")
        XCTAssertEqual(sign.status, 2)
        XCTAssertTrue(sign.stderr.contains("t.csv, row 2") && sign.stderr.contains("opposite sign"), sign.stderr)
        let empty = try run("channel,x,delta_x,delta_y,sigma\n")
        XCTAssertEqual(empty.status, 2)
        XCTAssertTrue(empty.stderr.contains("no tests"), empty.stderr)
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("mixplan-uncalibrated.yaml"), encoding: .utf8),
                       try String(contentsOf: Fixtures.sample("lift-cut-2ch").appendingPathComponent("mixplan-uncalibrated.yaml"), encoding: .utf8),
                       "a failed run writes nothing")
        // A tested channel with a hand-set prior on its effect size: the lift_roi_prior would
        // replace it, so --write refuses before sampling and names the key.
        let config = dir.appendingPathComponent("mixplan-uncalibrated.yaml")
        let original = try String(contentsOf: config, encoding: .utf8)
        let withBeta = original.replacingOccurrences(of: "  likelihood: normal\n", with: "  likelihood: normal\n  priors:\n    saturation_beta: HalfNormal(2)\n")
        XCTAssertNotEqual(withBeta, original)
        try withBeta.write(to: dir.appendingPathComponent("beta.yaml"), atomically: true, encoding: .utf8)
        let beta = try MixPlanProcess.run(["elicit", "--tests", "lift_tests.csv", "--config", "beta.yaml", "--write"], in: dir)
        XCTAssertEqual(beta.status, 2, beta.stderr)
        XCTAssertTrue(beta.stderr.contains("model.priors.saturation_beta") && beta.stderr.contains("lift_roi_prior"), beta.stderr)
        let both = try MixPlanProcess.run(["elicit", "--tests", "lift_tests.csv", "--config", "mixplan-uncalibrated.yaml", "--write", "--out", "x.yaml"], in: dir)
        XCTAssertEqual(both.status, 2)
        XCTAssertTrue(both.stderr.contains("not both"), both.stderr)
    }

    func testHelpExplainsTheMethod() throws {
        let help = try MixPlanProcess.run(["elicit", "--help"])
        XCTAssertEqual(help.status, 0)
        let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ") // undo line wrapping
        for phrase in ["delta_y/delta_x", "average slope", "NUTS", "central interval", "--write", "--out", "# mixplan elicit:",
                       "model.channels.<channel>.lift_roi_prior", "model.channels.<channel>.priors", "two or more different spend intervals",
                       "most informative"] {
            XCTAssertTrue(text.contains(phrase), "help mentions \(phrase)")
        }
    }
}
