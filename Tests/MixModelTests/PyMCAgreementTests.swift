import MixTestSupport
import Foundation
import XCTest
import MixModel

/// Our posterior against PyMC-Marketing's for the same model and data (issue 4, point 7).
///
/// The reference is `Fixtures/model/pymc/pymc_weekly2ch_summary.json`, written once by
/// `make_pymc_fixture.py` (PyMC-Marketing 0.19 `MMM`, NumPyro NUTS, 4 × 2000 draws) for
/// samples/weekly-2ch with geometric adstock (L = 8), Michaelis–Menten saturation, yearly Fourier
/// order 2, the two event controls and PyMC-Marketing's default priors. Our side is
/// `Fixtures/model/pymc/mixplan.yaml`, which spells out the same priors and names the mapping
/// (PyMC-Marketing's saturation `alpha` is our β, its `lam` our λ, `y_sigma` our σ).
///
/// Tolerances. Both sides are Monte Carlo estimates of the same posterior means: the reference's
/// error is sd/√ESS ≤ sd/√2871 ≈ 0.02 sd, ours (default 4 × 1000 draws, bulk ESS ≥ 1000 here)
/// ≤ 0.03 sd, so the difference of two correct fits has a standard deviation below 0.04 sd and the
/// 0.15 sd bar is about four of those — while a real modelling difference (a prior, a scaling, a
/// Fourier phase) moves some mean by far more. Contribution totals: Monte Carlo error of the mean
/// is below 0.5 % on each side (sd/mean ≤ 12 %, ESS ≥ 1000), so 5 % is a model check, not noise.
/// The fit is seeded, so the run is the same on every build of the same code.
final class PyMCAgreementTests: XCTestCase {
    struct Reference: Decodable {
        struct Parameter: Decodable {
            var name: String
            var pymc_name: String
            var mean: Double
            var sd: Double
        }
        struct Contribution: Decodable {
            var channel: String
            var mean: Double
        }
        struct Scales: Decodable {
            var channel: [Double]
            var target: Double
        }
        var pymc_marketing_version: String
        var scales: Scales
        var parameters: [Parameter]
        var contribution_totals: [Contribution]
    }

    func testPosteriorAgreesWithPyMCMarketing() throws {
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: Fixtures.url("model/pymc/pymc_weekly2ch_summary.json")))
        let config = try ConfigLoader.load(path: Fixtures.url("model/pymc/mixplan.yaml").path)
        let data = try DatasetLoader().load(config).dataset
        let model = try ModelFitter.fit(dataset: data, config: config)
        XCTAssertTrue(model.verdict.passed, model.verdict.summary)

        // Same scaling: channels and target by their maximum over the training rows.
        for (ours, theirs) in zip(model.structure.scaling.spendScale, reference.scales.channel) {
            XCTAssertEqual(ours, theirs, accuracy: 1e-9 * theirs)
        }
        XCTAssertEqual(model.structure.scaling.targetScale, reference.scales.target, accuracy: 1e-9 * reference.scales.target)

        // Every shared parameter (the reference lists all of ours, so none is skipped).
        XCTAssertEqual(Set(reference.parameters.map(\.name)), Set(model.parameterNames))
        for p in reference.parameters {
            let ours = try XCTUnwrap(model.sampler.parameters.first { $0.name == p.name }, p.name)
            let distance = abs(ours.mean - p.mean) / p.sd
            XCTAssertLessThanOrEqual(distance, 0.15,
                                     "\(p.name) (PyMC-Marketing \(p.pymc_name)): ours \(ours.mean), theirs \(p.mean) ± \(p.sd)")
        }

        let quantities = PosteriorQuantities(model: model)
        for ref in reference.contribution_totals {
            let c = try XCTUnwrap(data.channelNames.firstIndex(of: ref.channel))
            let ours = quantities.channels[c].contribution.mean
            XCTAssertEqual(ours, ref.mean, accuracy: 0.05 * ref.mean, "\(ref.channel) total contribution")
        }
    }
}
