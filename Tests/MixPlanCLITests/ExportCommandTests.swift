import Foundation
import MixModel
import MixTestSupport
import XCTest

/// `mixplan fit` keeps the sampler's per-draw statistics and prints figures from every draw;
/// `mixplan export --format netcdf` writes them with the draws, refuses bad input with exit 2
/// and never overwrites a file unless told to.
final class ExportCommandTests: XCTestCase {
    /// One short fit of weekly-2ch with more than 1,000 kept draws (the old thinning limit).
    func fitModel(in dir: URL) throws -> (path: String, stdout: String) {
        let config = Fixtures.sample("weekly-2ch").appendingPathComponent("mixplan.yaml").path
        let model = dir.appendingPathComponent("model").path
        let fit = try MixPlanProcess.run(["fit", "--config", config, "--out", model, "--chains", "2", "--warmup", "150",
                                          "--draws", "700", "--seed", "3", "--allow-unconverged"])
        XCTAssertEqual(fit.status, 0, fit.stderr)
        return (model, fit.stdout)
    }

    func testFitPrintsFiguresFromAllDrawsAndKeepsSampleStats() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let (path, stdout) = try fitModel(in: dir)
        let model = try ModelStore.load(from: URL(fileURLWithPath: path))
        XCTAssertEqual(model.drawCount, 1400)

        // sample_stats.csv: one row per kept draw, agreeing with the sampler's own counts.
        let stats = try XCTUnwrap(model.sampleStats)
        XCTAssertEqual(stats.diverging.count, 1400)
        XCTAssertEqual(stats.diverging.filter { $0 }.count, model.sampler.divergences)
        XCTAssertEqual(stats.treeDepth.filter { $0 >= model.sampler.maxTreeDepth }.count, model.sampler.maxTreeDepthHits)
        XCTAssertTrue(stats.stepSize.allSatisfy { $0 > 0 })

        // The channel table's ROAS is the mean over all 1,400 draws (printed with 2 decimals).
        let all = PosteriorQuantities(model: model)
        let lines = stdout.split(separator: "\n").map(String.init)
        let table = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("Channels (") })
        for c in all.channels {
            let row = try XCTUnwrap(lines[table...].first { $0.hasPrefix(c.name + " ") }, c.name)
            let roas = String(format: "%.2f [%.2f, %.2f]", c.roas.mean, c.roas.lower, c.roas.upper)
            XCTAssertTrue(row.contains(roas), "\(c.name): expected ROAS \(roas) from all draws in \(row)")
        }
    }

    func testExportWritesOnceRefusesToOverwriteAndRejectsBadInput() throws {
        let dir = try MixPlanProcess.temporaryDirectory(for: self)
        let model = Fixtures.url("arviz/model").path
        let out = dir.appendingPathComponent("model.nc")

        let first = try MixPlanProcess.run(["export", "--model", model, "--format", "netcdf", "--out", out.path])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stdout.contains("InferenceData written to"), first.stdout)
        let bytes = try Data(contentsOf: out)
        XCTAssertEqual(Array(bytes.prefix(4)), [0x89, 0x48, 0x44, 0x46], "a netCDF-4 (HDF5) file")

        // An existing file is kept unless --force.
        try Data("mine\n".utf8).write(to: out)
        let again = try MixPlanProcess.run(["export", "--model", model, "--out", out.path])
        XCTAssertEqual(again.status, 2, again.stderr)
        XCTAssertTrue(again.stderr.contains(out.path) && again.stderr.contains("--force"), again.stderr)
        XCTAssertEqual(try String(contentsOf: out, encoding: .utf8), "mine\n")
        let forced = try MixPlanProcess.run(["export", "--model", model, "--out", out.path, "--force"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertEqual(try Data(contentsOf: out).count, bytes.count)

        // Not a model folder, a missing output folder, an unknown format: exit 2, nothing written.
        let fresh = dir.appendingPathComponent("fresh.nc")
        let notModel = try MixPlanProcess.run(["export", "--model", dir.path, "--out", fresh.path])
        XCTAssertEqual(notModel.status, 2, notModel.stderr)
        XCTAssertTrue(notModel.stderr.contains("model.json"), notModel.stderr)
        let missing = dir.appendingPathComponent("no/such/folder/model.nc")
        let noFolder = try MixPlanProcess.run(["export", "--model", model, "--out", missing.path])
        XCTAssertEqual(noFolder.status, 2, noFolder.stderr)
        XCTAssertTrue(noFolder.stderr.contains("does not exist"), noFolder.stderr)
        let format = try MixPlanProcess.run(["export", "--model", model, "--format", "zarr", "--out", fresh.path])
        XCTAssertEqual(format.status, 2, format.stderr)
        XCTAssertTrue(format.stderr.contains("netcdf"), format.stderr)
        let intoFolder = try MixPlanProcess.run(["export", "--model", model, "--out", dir.path])
        XCTAssertEqual(intoFolder.status, 2, intoFolder.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["model.nc"])

        // A damaged sample_stats.csv is bad input naming the file, row and column.
        let copy = dir.appendingPathComponent("copy")
        try FileManager.default.copyItem(atPath: model, toPath: copy.path)
        let statsURL = copy.appendingPathComponent("sample_stats.csv")
        var text = try String(contentsOf: statsURL, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var fields = text[3].split(separator: ",").map(String.init)
        fields[5] = "warm"
        text[3] = fields.joined(separator: ",")
        try text.joined(separator: "\n").write(to: statsURL, atomically: true, encoding: .utf8)
        let damaged = try MixPlanProcess.run(["export", "--model", copy.path, "--out", fresh.path])
        XCTAssertEqual(damaged.status, 2, damaged.stderr)
        XCTAssertTrue(damaged.stderr.contains("sample_stats.csv") && damaged.stderr.contains("energy") && damaged.stderr.contains("warm"), damaged.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: fresh.path))
    }
}
