import MixTestSupport
import Foundation
import XCTest

/// `--out` never deletes what is not MixPlan's: a model or report folder replaces only an earlier
/// one of its kind (or an empty folder), a file or the current folder is refused, and simulate
/// and elicit do not write over a dataset or the config. Each refusal exits 2 before any work
/// and leaves every file as it was.
final class OutputGuardTests: XCTestCase {
    /// A copy of the weekly-2ch sample with a user's own file beside it.
    func userFolder() throws -> (dir: URL, data: URL) {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let data = dir.appendingPathComponent("data")
        try FileManager.default.copyItem(at: Fixtures.sample("weekly-2ch"), to: data)
        try Data("my notes\n".utf8).write(to: data.appendingPathComponent("notes.txt"))
        return (dir, data)
    }

    func contents(_ url: URL) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: url.path).sorted() }

    func testFitRefusesTheDataFolderAFileAndTheCurrentFolder() throws {
        let (dir, data) = try userFolder()
        let before = try contents(data)
        let config = data.appendingPathComponent("mixplan.yaml").path
        let quick = ["--chains", "1", "--warmup", "20", "--draws", "20", "--allow-unconverged", "--quiet"]

        let intoData = try MixPlanProcess.run(["fit", "--config", config, "--out", data.path] + quick)
        XCTAssertEqual(intoData.status, 2, intoData.stderr)
        XCTAssertTrue(intoData.stderr.contains("is not a model folder (it has no model.json"), intoData.stderr)
        XCTAssertTrue(intoData.stderr.contains("mixplan.yaml"), "names what would be lost: \(intoData.stderr)")
        XCTAssertEqual(try contents(data), before)

        let file = dir.appendingPathComponent("precious.txt")
        try Data("important\n".utf8).write(to: file)
        let intoFile = try MixPlanProcess.run(["fit", "--config", config, "--out", file.path] + quick)
        XCTAssertEqual(intoFile.status, 2, intoFile.stderr)
        XCTAssertTrue(intoFile.stderr.contains("is a file"), intoFile.stderr)
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), "important\n")

        let here = try MixPlanProcess.run(["fit", "--config", "mixplan.yaml", "--out", "."] + quick, in: data)
        XCTAssertEqual(here.status, 2, here.stderr)
        XCTAssertTrue(here.stderr.contains("is the current folder"), here.stderr)
        XCTAssertEqual(try contents(data), before)
        XCTAssertEqual(here.stdout, "", "refused before fitting")
    }

    /// A model folder is replaced by a new fit; an empty folder is filled.
    func testFitReplacesAnEarlierModelAndFillsAnEmptyFolder() throws {
        let (dir, data) = try userFolder()
        let config = data.appendingPathComponent("mixplan.yaml").path
        let quick = ["--chains", "1", "--warmup", "20", "--draws", "20", "--allow-unconverged", "--quiet"]
        let model = dir.appendingPathComponent("model")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: false)
        for round in 1...2 {
            let fit = try MixPlanProcess.run(["fit", "--config", config, "--out", model.path] + quick)
            XCTAssertEqual(fit.status, 0, "round \(round): \(fit.stderr)")
            XCTAssertTrue(try contents(model).contains("model.json"))
        }
    }

    func testReportRefusesAFolderOfWeeklyPacks() throws {
        let (dir, _) = try userFolder()
        let reports = dir.appendingPathComponent("reports")
        let week = reports.appendingPathComponent("2021-W35")
        try FileManager.default.createDirectory(at: week, withIntermediateDirectories: true)
        try Data("# week 35\n".utf8).write(to: week.appendingPathComponent("report.md"))
        let report = try MixPlanProcess.run(["report", "--model", week.appendingPathComponent("model").path, "--out", reports.path])
        XCTAssertEqual(report.status, 2, report.stderr)
        XCTAssertTrue(report.stderr.contains("is not a report folder (it has no report.md, but 1 other item: 2021-W35)"), report.stderr)
        XCTAssertEqual(try contents(reports), ["2021-W35"])
    }

    func testSimulateKeepsAnExistingDatasetUnlessForced() throws {
        let (_, data) = try userFolder()
        let original = try Data(contentsOf: data.appendingPathComponent("data.csv"))
        let refused = try MixPlanProcess.run(["simulate", "--preset", "weekly-5ch", "--seed", "3", "--out", data.path])
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("already has data.csv, truth.json, mixplan.yaml"), refused.stderr)
        XCTAssertEqual(try Data(contentsOf: data.appendingPathComponent("data.csv")), original)
        let forced = try MixPlanProcess.run(["simulate", "--preset", "weekly-5ch", "--seed", "3", "--out", data.path, "--force"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertNotEqual(try Data(contentsOf: data.appendingPathComponent("data.csv")), original)
    }

    func testElicitWritesOnlyAYAMLConfigAndNotTestsTheLikelihoodUses() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let sample = dir.appendingPathComponent("lift")
        try FileManager.default.copyItem(at: Fixtures.sample("lift-cut-2ch"), to: sample)
        let data = try Data(contentsOf: sample.appendingPathComponent("data.csv"))
        let overData = try MixPlanProcess.run(["elicit", "--tests", "lift_tests.csv", "--config", "mixplan-uncalibrated.yaml",
                                               "--out", "data.csv"], in: sample)
        XCTAssertEqual(overData.status, 2, overData.stderr)
        XCTAssertTrue(overData.stderr.contains("must end in .yaml or .yml"), overData.stderr)
        XCTAssertEqual(try Data(contentsOf: sample.appendingPathComponent("data.csv")), data)

        let itself = try MixPlanProcess.run(["elicit", "--tests", "lift_tests.csv", "--config", "mixplan-uncalibrated.yaml",
                                             "--out", "./mixplan-uncalibrated.yaml"], in: sample)
        XCTAssertEqual(itself.status, 2, itself.stderr)
        XCTAssertTrue(itself.stderr.contains("use --write"), itself.stderr)

        // mixplan.yaml already puts lift_tests.csv in the likelihood (calibration.lift_tests).
        let twice = try MixPlanProcess.run(["elicit", "--tests", "lift_tests.csv", "--config", "mixplan.yaml", "--out", "both.yaml"], in: sample)
        XCTAssertEqual(twice.status, 2, twice.stderr)
        XCTAssertTrue(twice.stderr.contains("would count the same experiment twice"), twice.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: sample.appendingPathComponent("both.yaml").path))
    }
}
