import MixTestSupport
import Foundation
import XCTest
import MixReport

/// The README's "Library" example, run as written (with fewer draws): the same pipeline as
/// `mixplan weekly`, from Swift.
final class LibraryPipelineTests: XCTestCase {
    func testTheReadmePipelineWritesACompletePack() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("mixplan-library-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: out) }

        var config = try ConfigLoader.load(path: Fixtures.sample("weekly-2ch").appendingPathComponent("mixplan.yaml").path)
        config.sampler.chains = 2
        config.sampler.warmup = 150
        config.sampler.draws = 100
        let data = try DatasetLoader().load(config).dataset
        let model = try ModelFitter.fit(dataset: data, config: config)
        let results = try DefaultPlan.run(model: model)
        XCTAssertEqual(results.quantities.channels.map(\.name), ["x1", "x2"])
        XCTAssertFalse(try XCTUnwrap(results.optimization).plan.renderTable().isEmpty)
        try ReportPack.writeAtomically(results, previous: nil, templates: nil, to: out.appendingPathComponent("pack"))

        let pack = out.appendingPathComponent("pack")
        for file in ["mixplan.xlsx", "report.md", "report.html", "summary.json", "plan.json", "charts/response-curves.png"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: pack.appendingPathComponent(file).path), file)
        }
        let snapshot = try XCTUnwrap(ReportPack.snapshot(inPack: pack))
        XCTAssertEqual(snapshot, ReportSnapshot(results), "summary.json reads back as the run's snapshot")
        let plan = try JSONDecoder().decode(OptimizationResult.self, from: Data(contentsOf: pack.appendingPathComponent("plan.json")))
        XCTAssertEqual(plan.plan.totalSpend, results.optimization!.plan.totalSpend, accuracy: 1e-6 * plan.plan.totalSpend)
        // Only the pack: no temporary sibling left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path), ["pack"])
    }
}
