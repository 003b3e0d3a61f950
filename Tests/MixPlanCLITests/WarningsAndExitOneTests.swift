import MixTestSupport
import Foundation
import XCTest

/// Exit 1 is explained where the user looks: every warning that makes `weekly` exit 1 is in its
/// log, and each command's help says what (if anything) gives it exit 1.
final class WarningsAndExitOneTests: XCTestCase {
    /// The bundled weekly-2ch sample has x2 paused in the last 4 weeks, a plan warning that
    /// used to reach only report.md: the log must carry it, and one warning line per counted one.
    func testWeeklyLogsEveryWarningItCountsAtLevelWarning() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let sample = Fixtures.sample("weekly-2ch")
        let input = dir.appendingPathComponent("input")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        for file in ["data.csv", "mixplan.yaml"] {
            try FileManager.default.copyItem(at: sample.appendingPathComponent(file), to: input.appendingPathComponent(file))
        }
        let result = try MixPlanProcess.run(["weekly", "--config", input.appendingPathComponent("mixplan.yaml").path,
                                             "--out", dir.appendingPathComponent("reports").path,
                                             "--chains", "2", "--warmup", "150", "--draws", "100"])
        XCTAssertEqual(result.status, 1, result.stderr)
        let counted = try XCTUnwrap(result.stdout.firstMatch(of: #/; (\d+) warnings?\)/#), result.stdout)
        let warningLines = result.stderr.split(separator: "\n").filter { $0.contains(" level=warning ") }
        XCTAssertEqual(warningLines.count, Int(counted.1), "one level=warning line per warning counted in: \(result.stdout)\n\(result.stderr)")
        let paused = try XCTUnwrap(warningLines.first { $0.contains("x2 had no spend in the last 4 weeks") }, result.stderr)
        XCTAssertTrue(paused.contains("stage=optimize"), String(paused))
    }

    /// Commands without --strict must not promise that --strict changes their exit code, and the
    /// ones that never exit 1 say so.
    func testHelpSaysWhatGivesExitOneForEachCommand() throws {
        for command in ["init", "config", "optimize", "whatif", "report", "elicit"] {
            let help = try MixPlanProcess.run([command, "--help"])
            XCTAssertEqual(help.status, 0)
            let text = flat(help.stdout)
            XCTAssertFalse(text.contains("--strict"), "\(command) has no --strict: \(text)")
            XCTAssertTrue(text.contains("never exits 1"), "\(command): \(text)")
            XCTAssertNotEqual(try MixPlanProcess.run([command, "--strict"]).status, 0, "\(command) really has no --strict")
        }
        let fit = flat(try MixPlanProcess.run(["fit", "--help"]).stdout)
        XCTAssertFalse(fit.contains("--strict"), fit)
        XCTAssertTrue(fit.contains("1 the model was saved but the fit did not converge"), fit)
        let weekly = flat(try MixPlanProcess.run(["weekly", "--help"]).stdout)
        XCTAssertTrue(weekly.contains("plan warnings") && weekly.contains("level=warning"), weekly)
        let check = flat(try MixPlanProcess.run(["check", "--help"]).stdout)
        XCTAssertTrue(check.contains("1 there were data warnings and --strict was given"), check)
        let top = flat(try MixPlanProcess.run(["--help"]).stdout)
        XCTAssertFalse(top.contains("data warnings under --strict"), top)
        XCTAssertTrue(top.contains("`weekly` on any warning"), top)
    }

    /// Help text with its line wrapping undone (the parser wraps discussions to the width).
    private func flat(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
    }
}
