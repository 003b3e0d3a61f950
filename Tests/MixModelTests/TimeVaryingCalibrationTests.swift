import Foundation
import XCTest
import MixModel

/// An ROI prior on a model with a time-varying media multiplier: the channel's ROAS over the
/// training window is Σ_t m[t]·contribution[t] / Σ_t spend[t], so the prior's term depends on the
/// GP's parameters too. Gradient against finite differences, value against a direct computation
/// from `ModelEvaluator`'s contributions (which include m[t]).
final class TimeVaryingCalibrationTests: XCTestCase {
    static func model(_ adstock: Adstock.Kind, _ saturation: Saturation.Kind, intercept: Bool = false) -> MixPlanConfig.ModelSection {
        var model = MixPlanConfig.ModelSection()
        model.defaultPriors = .pymcMarketing   // only the configured ROI prior, as computed directly here
        model.adstock = adstock
        model.saturation = saturation
        model.adstockMaxLag = 6
        model.channels["ch1"] = .init(roiPrior: PriorSpec(.logNormal, ["mu": -0.5, "sigma": 0.8]))
        model.timeVarying = TimeVaryingModelTests.settings(intercept: intercept, m: 8)
        return model
    }

    /// Every GP parameter (length-scale, amplitude, coefficients) now has a gradient from the ROI
    /// term as well as from the likelihood; lift tests ride along (tolerance: see `FiniteDifference`).
    func testGradientMatchesFiniteDifferences() throws {
        let data = MediaMixModelGradientTests.dataset()
        var rng = TestRandom(seed: 23)
        let cases: [(Adstock.Kind, Saturation.Kind, Bool)] = [(.geometric, .logistic, false), (.delayed, .hill, true),
                                                              (.weibullCDF, .michaelisMenten, false)]
        for (adstock, saturation, intercept) in cases {
            let structure = try ModelStructure(dataset: data, model: Self.model(adstock, saturation, intercept: intercept),
                                               liftTests: CalibrationTermTests.tests)
            XCTAssertEqual(structure.calibration.roiPriors.map(\.channel), [1])
            let density = MediaMixModel(structure: structure)
            for _ in 0..<3 {
                let u = TimeVaryingModelTests.randomPoint(structure, &rng)
                let lp = FiniteDifference.checkGradient(of: density, at: u, context: "\(adstock)/\(saturation) intercept \(intercept)")
                XCTAssertTrue(lp.isFinite)
            }
        }
    }

    /// The ROI-prior model minus the same model without it is log LogNormal(R) + log R − log β −
    /// log Gamma(β; 4, 2) (β's default Michaelis–Menten prior, which the ROI prior replaces) +
    /// log(1 − β/B) (the bound on β), with
    /// R the channel's contribution over the training window — m[t] included — over its spend.
    /// The multiplier is far from 1 at the chosen point, so leaving it out of R would fail this.
    /// Agreement to 1e-9 relative: both sides add the same O(10²) terms in different orders.
    func testValueUsesTheMultipliedContribution() throws {
        let data = MediaMixModelGradientTests.dataset()
        let model = Self.model(.geometric, .michaelisMenten)
        let calibrated = try ModelStructure(dataset: data, model: model)
        var plainModel = model
        plainModel.channels = [:]
        let plain = try ModelStructure(dataset: data, model: plainModel)
        var rng = TestRandom(seed: 5)
        var x = calibrated.parameters.map { $0.prior.constrain(rng.uniform(-1, 1)).x }
        let names = calibrated.parameterNames
        // A clear drift: the first coefficients large, with amplitude 1 and a mid length-scale.
        x[names.firstIndex(of: "tvp_media.amplitude")!] = 1
        x[names.firstIndex(of: "tvp_media.lengthscale")!] = 10
        x[names.firstIndex(of: "tvp_media.v[1]")!] = 1.5
        x[names.firstIndex(of: "tvp_media.v[2]")!] = -1.2
        let u = calibrated.unconstrain(x)
        func lp(_ s: ModelStructure) -> Double { FiniteDifference.value(of: MediaMixModel(structure: s), at: u) }
        let parts = ModelEvaluator(structure: calibrated, dataset: data).decompose(x)
        let spend = data.spend[1].reduce(0, +)
        let roas = parts.channels[1].reduce(0, +) / spend
        let m = calibrated.mediaMultiplier(x)
        let unmultiplied = zip(parts.channels[1], m).map { $0 / $1 }.reduce(0, +) / spend
        XCTAssertGreaterThan(abs(roas / unmultiplied - 1), 0.02, "the test point needs a multiplier that moves the ROAS")
        let beta = x[names.firstIndex(of: "ch1.saturation_beta")!]
        let lnz = (log(roas) + 0.5) / 0.8
        let logLogNormal = -log(roas) - log(0.8) - 0.5 * log(2 * Double.pi) - 0.5 * lnz * lnz
        let logGamma = 4 * log(2.0) - lgamma(4) + 3 * log(beta) - 2 * beta
        // + log(1 − β/B): the taper that keeps β below CalibrationLayout.betaBound.
        let expected = logLogNormal + log(roas) - log(beta) - logGamma + log1p(-beta / CalibrationLayout.betaBound)
        XCTAssertEqual(lp(calibrated) - lp(plain), expected, accuracy: 1e-9 * max(1, abs(expected)))
    }
}
