import MixTestSupport
import Foundation
import XCTest
import MixModel

/// A fit of simulated data with a known truth (the bundled weekly-2ch sample, `simulate --seed 1`)
/// must converge cleanly and find the truth: no divergences, R-hat ≤ 1.01, every channel's true
/// total contribution inside its 94 % interval, and in-sample R² > 0.9.
///
/// Shortened to 4 chains × 500 warm-up × 1000 draws with the dense metric (which needs about half
/// the gradient evaluations of the diagonal one on this sample) to take seconds; the run is
/// seeded, so the result is the same on every run of the same build. (With the default ROAS
/// priors 500 draws left max R̂ at 1.0104, just over the gate.)
final class RecoveryTests: XCTestCase {
    func testSmallPresetConvergesAndRecoversTheTruth() throws {
        let dir = Fixtures.sample("weekly-2ch")
        var config = try ConfigLoader.load(path: dir.appendingPathComponent("mixplan.yaml").path)
        config.sampler.warmup = 500
        config.sampler.draws = 1000
        config.sampler.metric = .dense
        let data = try DatasetLoader().load(config).dataset
        let truth = try JSONDecoder().decode(SimulationTruth.self, from: Data(contentsOf: dir.appendingPathComponent("truth.json")))
        let model = try ModelFitter.fit(dataset: data, config: config)

        XCTAssertEqual(model.sampler.divergences, 0)
        XCTAssertLessThanOrEqual(model.sampler.maxRhat, 1.01)
        XCTAssertGreaterThan(model.sampler.minEssBulk, 400)
        let q = PosteriorQuantities(model: model)
        for (c, name) in data.channelNames.enumerated() {
            let interval = q.channels[c].contribution
            let expected = try XCTUnwrap(truth.contributions[name])
            XCTAssertTrue(interval.lower <= expected && expected <= interval.upper,
                          "\(name): true contribution \(expected) outside [\(interval.lower), \(interval.upper)]")
        }
        XCTAssertGreaterThan(q.inSample.r2, 0.9)
    }
}
