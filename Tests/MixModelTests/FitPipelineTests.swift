import MixTestSupport
import Foundation
import XCTest
import MixModel

/// A short real fit of the bundled weekly-2ch sample, then the posterior summaries and the saved
/// model checked against independent recomputation.
final class FitPipelineTests: XCTestCase {
    static let fitted: FittedModel = {
        var config = try! ConfigLoader.load(path: Fixtures.sample("weekly-2ch").appendingPathComponent("mixplan.yaml").path)
        config.sampler.chains = 2
        config.sampler.warmup = 300
        config.sampler.draws = 200
        let data = try! DatasetLoader().load(config).dataset
        return try! ModelFitter.fit(dataset: data, config: config, holdout: 8)
    }()

    func testFitHasTheRequestedShapeAndHoldout() {
        let m = Self.fitted
        XCTAssertEqual(m.drawCount, 400)
        XCTAssertEqual(m.draws.count, 400 * m.structure.dimension)
        XCTAssertEqual(m.structure.periodCount, m.dataset.periodCount - 8)
        XCTAssertEqual(m.sampler.parameters.map(\.name), m.parameterNames)
        XCTAssertTrue(m.draws.allSatisfy(\.isFinite))
    }

    /// Contributions and ROAS are summaries of per-draw recomputations with the evaluator.
    func testQuantitiesMatchDirectRecomputation() {
        let m = Self.fitted
        let q = PosteriorQuantities(model: m)
        let evaluator = m.evaluator
        let trainT = m.dataset.periodCount - m.holdout
        for c in 0..<m.structure.channels.count {
            let totals = (0..<m.drawCount).map { evaluator.decompose(m.draw($0)).channels[c][0..<trainT].reduce(0, +) }
            let expected = Interval(draws: totals)
            XCTAssertEqual(q.channels[c].contribution.mean, expected.mean, accuracy: 1e-9 * abs(expected.mean))
            XCTAssertEqual(q.channels[c].contribution.lower, expected.lower, accuracy: 1e-9 * abs(expected.mean))
            let spend = m.dataset.spend[c][0..<trainT].reduce(0, +)
            XCTAssertEqual(q.channels[c].roas.mean, expected.mean / spend, accuracy: 1e-9 * abs(expected.mean / spend))
            XCTAssertLessThanOrEqual(q.channels[c].roas.lower, q.channels[c].roas.upper)
        }
        let shareSum = q.channels.map(\.share.mean).reduce(0, +)
        XCTAssertEqual(shareSum, 1, accuracy: 1e-9)
        XCTAssertNotNil(q.outOfSample)
        XCTAssertEqual(q.outOfSample?.periods, 8)
        XCTAssertEqual(q.predictive.count, m.dataset.periodCount)
    }

    /// The decomposition's parts add up to μ, and μ at the posterior mean tracks the target.
    func testDecompositionAddsUpAndFits() {
        let m = Self.fitted
        let parts = m.evaluator.decompose(m.posteriorMean)
        let mu = parts.total
        for t in 0..<mu.count {
            var sum = parts.baseline[t] + parts.controls[t] + parts.seasonality[t] + parts.trend[t]
            for c in parts.channels.indices { sum += parts.channels[c][t] }
            XCTAssertEqual(mu[t], sum, accuracy: 1e-9 * abs(sum))
        }
        let q = PosteriorQuantities(model: m, maxDraws: 200)
        XCTAssertGreaterThan(q.inSample.r2, 0.8, "the model explains most of the simulated target")
    }

    /// A saved model loads back with bit-identical draws, data and results.
    func testSaveAndLoadReproduceResultsExactly() throws {
        let m = Self.fitted
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mixplan-model-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try ModelStore.save(m, to: dir)
        for file in ["model.json", "draws.csv", "summary.csv", "data.csv"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent(file).path), file)
        }
        let loaded = try ModelStore.load(from: dir)
        XCTAssertEqual(loaded.draws, m.draws)
        XCTAssertEqual(loaded.dataset.target, m.dataset.target)
        XCTAssertEqual(loaded.structure.scaling, m.structure.scaling)
        XCTAssertEqual(loaded.holdout, m.holdout)
        XCTAssertEqual(PosteriorQuantities(model: loaded, maxDraws: 100), PosteriorQuantities(model: m, maxDraws: 100))
        XCTAssertEqual(ResponseCurveSummary(model: loaded, channel: 0, maxDraws: 100), ResponseCurveSummary(model: m, channel: 0, maxDraws: 100))
        // Saving again over the same folder replaces it atomically.
        try ModelStore.save(loaded, to: dir)
        XCTAssertEqual(try ModelStore.load(from: dir).draws, m.draws)
    }

    func testLoadingSomethingElseIsAClearError() {
        XCTAssertThrowsError(try ModelStore.load(from: URL(fileURLWithPath: "/nonexistent/model"))) { error in
            XCTAssertTrue(String(describing: error).contains("model.json"), String(describing: error))
        }
    }
}
