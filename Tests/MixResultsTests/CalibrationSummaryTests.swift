import MixTestSupport
import Foundation
import MixData
import MixModel
import MixResults
import XCTest

/// Prior summaries against SciPy, and the calibration summary of a fitted model with lift tests
/// and per-channel priors against values recomputed by hand from its draws.
final class CalibrationSummaryTests: XCTestCase {
    struct QuantileCase: Decodable {
        var family: String
        var parameters: [String: Double]
        var mean: Double?
        var p: [Double]
        var quantile: [Double]
    }

    /// SciPy's means and quantiles (Tests/Fixtures/calibration/make_prior_quantiles.py). The CDFs
    /// are accurate to ~1e-15 (series and continued fractions run to 1e-16 steps) and bisection
    /// runs to adjacent doubles; a CDF error ε moves the quantile by ε/density, which in the
    /// 0.1 % tails of these shapes stays below 1e-11 relative. 1e-9 leaves room for SciPy's own
    /// root finding in `ppf`.
    func testPriorMeansAndQuantilesMatchSciPy() throws {
        let data = try Data(contentsOf: Fixtures.url("calibration/prior_quantiles.json"))
        let cases = try JSONDecoder().decode([QuantileCase].self, from: data)
        XCTAssertEqual(Set(cases.map(\.family)), Set(PriorSpec.Family.allCases.map(\.rawValue)), "every family is covered")
        for c in cases {
            let spec = PriorSpec(PriorSpec.Family(rawValue: c.family)!, c.parameters)
            if let mean = c.mean {
                XCTAssertEqual(PriorSummary.mean(spec), mean, accuracy: 1e-12 * max(1, abs(mean)), "\(spec) mean")
            } else {
                XCTAssertEqual(PriorSummary.mean(spec), .infinity, "\(spec) has no mean")
            }
            for (p, q) in zip(c.p, c.quantile) {
                XCTAssertEqual(PriorSummary.quantile(spec, p), q, accuracy: 1e-9 * max(1, abs(q)), "\(spec) quantile \(p)")
                XCTAssertEqual(PriorSummary.cdf(spec, q), p, accuracy: 1e-10, "\(spec) cdf at its \(p) quantile")
            }
            let summary = PriorSummary(spec, mass: 0.94)
            XCTAssertEqual(summary.lower, c.quantile[c.p.firstIndex(of: 0.03)!], accuracy: 1e-9 * max(1, abs(summary.lower)))
            XCTAssertEqual(summary.upper, c.quantile[c.p.firstIndex(of: 0.97)!], accuracy: 1e-9 * max(1, abs(summary.upper)))
        }
    }

    /// The committed weekly-2ch model (logistic saturation, geometric adstock) refitted-free:
    /// the same draws under a config with two lift tests on x1 and an elicited-style prior on
    /// x2's λ. The reporting reads only the config and the draws, so the draws need not come
    /// from a fit that saw the tests.
    static func calibratedModel() throws -> FittedModel {
        let base = try ModelStore.load(from: Fixtures.url("charts/weekly-2ch-model"))
        var config = base.config
        config.calibration.liftTests = [
            LiftTest(channel: "x1", spend: 2500, spendChange: -2250, targetChange: -1050, standardError: 150, source: "test, row 2"),
            LiftTest(channel: "x1", spend: 2500, spendChange: 1000, targetChange: 260, standardError: 90, source: "test, row 3"),
        ]
        config.model.channels["x2"] = .init(priors: ["saturation_lambda": PriorSpec(.gamma, ["alpha": 16, "beta": 8])])
        return try FittedModel(config: config, dataset: base.dataset, holdout: base.holdout, chains: base.chains,
                               drawsPerChain: base.drawsPerChain, draws: base.draws, sampler: base.sampler)
    }

    func testCalibratedChannelsParametersAndTestsFromTheDraws() throws {
        let model = try Self.calibratedModel()
        let summary = CalibrationSummary(model: model, mass: 0.94)
        XCTAssertEqual(summary.channels.map(\.name), ["x1", "x2"])
        XCTAssertEqual(summary.channels.map(\.reason), ["2 lift tests", "priors set in the config for saturation_lambda"])
        XCTAssertTrue(summary.hasLiftTests)
        let names = model.parameterNames
        let n = model.structure.dimension
        for ch in summary.channels {
            XCTAssertEqual(ch.parameters.map(\.key), ["adstock_alpha", "saturation_lambda", "saturation_beta"])
            for p in ch.parameters {
                XCTAssertEqual(names[p.parameterIndex], "\(ch.name).\(p.key)")
                // Mean and equal-tailed interval recomputed from the raw draw array, with
                // NumPy's default (linear) quantile; only summation order may differ.
                let draws = (0..<model.drawCount).map { model.draws[$0 * n + p.parameterIndex] }.sorted()
                func q(_ prob: Double) -> Double {
                    let h = Double(draws.count - 1) * prob, i = Int(h)
                    return draws[i] + (h - Double(i)) * (draws[min(i + 1, draws.count - 1)] - draws[i])
                }
                XCTAssertEqual(p.posterior.mean, draws.reduce(0, +) / Double(draws.count), accuracy: 1e-12)
                XCTAssertEqual(p.posterior.lower, q(0.03), accuracy: 1e-12)
                XCTAssertEqual(p.posterior.upper, q(0.97), accuracy: 1e-12)
                XCTAssertEqual(p.setInConfig, ch.name == "x2" && p.key == "saturation_lambda")
            }
        }
        // Priors: the model's defaults, except the one the config sets.
        let x1 = summary.channels[0], x2 = summary.channels[1]
        XCTAssertEqual(x1.parameters[0].prior.spec, PriorSpec(.beta, ["alpha": 1, "beta": 3]))
        XCTAssertEqual(x1.parameters[1].prior.spec, PriorSpec(.gamma, ["alpha": 3, "beta": 1]))
        XCTAssertEqual(x2.parameters[1].prior.spec, PriorSpec(.gamma, ["alpha": 16, "beta": 8]))
        XCTAssertEqual(x2.parameters[1].prior.mean, 2, accuracy: 1e-15)
        XCTAssertEqual(x1.parameters[1].label, "λ (saturation)")
        XCTAssertEqual(x1.parameters[0].label, "α (adstock)")
        XCTAssertTrue(x2.liftTests.isEmpty)

        // Lift tests: the predicted change recomputed with the logistic curve written out,
        // f(x) = targetScale · β · tanh(λ x / (2 · spendScale)), over all 200 draws.
        let scale = model.structure.scaling
        func f(_ draw: Int, _ spend: Double) -> Double {
            let lambda = model.draws[draw * n + 2], beta = model.draws[draw * n + 3]
            return scale.targetScale * beta * tanh(lambda * spend / scale.spendScale[0] / 2)
        }
        for check in x1.liftTests {
            let t = check.test
            let anchors = (0..<model.drawCount).map { f($0, t.spend) }
            let changes = (0..<model.drawCount).map { f($0, t.spendDuring) - f($0, t.spend) }
            let mean = changes.reduce(0, +) / Double(changes.count)
            // tanh against the model's one-exp form and summation order: ~1e-13 relative.
            XCTAssertEqual(check.anchor, anchors.reduce(0, +) / Double(anchors.count), accuracy: 1e-9 * abs(check.anchor))
            XCTAssertEqual(check.modelChange.mean, mean, accuracy: 1e-9 * abs(mean))
            XCTAssertEqual(check.standardisedGap, (t.targetChange - mean) / t.standardError, accuracy: 1e-9)
            let sorted = changes.sorted()
            XCTAssertLessThanOrEqual(check.modelChange.lower, check.modelChange.mean)
            XCTAssertGreaterThanOrEqual(check.modelChange.lower, sorted[5] - 1e-9)
            XCTAssertLessThanOrEqual(check.modelChange.upper, sorted[194] + 1e-9)
            XCTAssertEqual(check.modelChange.mean.sign, t.spendChange.sign, "a cut lowers the response, a rise raises it")
        }
    }

    /// `lift_roi_prior` on x1 and `roi_prior` on x2 (on the same draws): each channel gets an
    /// effect-prior row — the prior's summary, and the posterior of r = (f(x + Δx) − f(x))/Δx
    /// recomputed with the logistic curve written out (as above), and of ROAS = Σ contribution /
    /// Σ spend from the model's decomposition — and β's row says its prior is replaced.
    func testEffectPriorsAgainstTheirPosteriors() throws {
        let base = try ModelStore.load(from: Fixtures.url("charts/weekly-2ch-model"))
        var config = base.config
        let lift = MixPlanConfig.LiftROIPrior(spend: 2500, spendChange: -2250, prior: PriorSpec(.gamma, ["alpha": 20, "beta": 40]))
        config.model.channels["x1"] = .init(liftROIPrior: lift)
        config.model.channels["x2"] = .init(roiPrior: PriorSpec(.logNormal, ["mu": 0, "sigma": 0.5]))
        let model = try FittedModel(config: config, dataset: base.dataset, holdout: base.holdout, chains: base.chains,
                                    drawsPerChain: base.drawsPerChain, draws: base.draws, sampler: base.sampler)
        let summary = CalibrationSummary(model: model, mass: 0.94)
        XCTAssertEqual(summary.channels.map(\.reason), ["lift_roi_prior set in the config", "roi_prior set in the config"])
        let n = model.structure.dimension, scale = model.structure.scaling
        func f(_ draw: Int, _ spend: Double) -> Double {
            let lambda = model.draws[draw * n + 2], beta = model.draws[draw * n + 3]
            return scale.targetScale * beta * tanh(lambda * spend / scale.spendScale[0] / 2)
        }
        let x1 = summary.channels[0], x2 = summary.channels[1]
        XCTAssertEqual(x1.effectPriors.map(\.key), ["lift_roi_prior"])
        XCTAssertEqual(x2.effectPriors.map(\.key), ["roi_prior"])
        XCTAssertEqual(x1.parameters.map(\.replacedBy), [nil, nil, "lift_roi_prior"])
        XCTAssertEqual(x2.parameters.last?.replacedBy, "roi_prior")
        let r = x1.effectPriors[0]
        XCTAssertEqual(r.prior.spec, lift.prior)
        XCTAssertEqual(r.prior.mean, 0.5, accuracy: 1e-15)
        let rs = (0..<model.drawCount).map { (f($0, 250) - f($0, 2500)) / -2250 }
        // tanh against the model's one-exp form and summation order: ~1e-13 relative.
        XCTAssertEqual(r.posterior.mean, rs.reduce(0, +) / Double(rs.count), accuracy: 1e-9 * abs(r.posterior.mean))
        XCTAssertEqual(r.draws.count, model.drawCount)
        XCTAssertTrue(rs.allSatisfy { $0 > 0 }, "r of a rising curve is positive")
        let decomposition = model.evaluator
        let spend = model.dataset.spend[1].reduce(0, +)
        let roas = (0..<model.drawCount).map { decomposition.decompose(model.draw($0)).channels[1].reduce(0, +) / spend }
        XCTAssertEqual(x2.effectPriors[0].posterior.mean, roas.reduce(0, +) / Double(roas.count), accuracy: 1e-9 * abs(roas[0]))
    }

    func testUncalibratedModelHasNothingToReport() throws {
        let base = try ModelStore.load(from: Fixtures.url("charts/weekly-2ch-model"))
        XCTAssertTrue(CalibrationSummary(model: base).isEmpty)
        XCTAssertFalse(CalibrationSummary(model: base).hasLiftTests)
    }
}
