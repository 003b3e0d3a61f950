import MixTestSupport
import Foundation
import XCTest
import MixModel

/// Lift tests and ROI priors in the log density (issue 9, points 1 and 3): gradient against
/// finite differences, value against a direct computation in original units, config errors.
final class CalibrationTermTests: XCTestCase {
    /// Tests on two channels: a cut, a cut to zero (Hill's a = 0 branch) and a rise.
    static let tests = [
        LiftTest(channel: "ch0", spend: 500, spendChange: -450, targetChange: -30, standardError: 10),
        LiftTest(channel: "ch0", spend: 300, spendChange: -300, targetChange: -12, standardError: 5),
        LiftTest(channel: "ch1", spend: 800, spendChange: 400, targetChange: 20, standardError: 8),
    ]

    static func model(_ adstock: Adstock.Kind = .geometric, _ saturation: Saturation.Kind) -> MixPlanConfig.ModelSection {
        var model = MixPlanConfig.ModelSection()
        model.defaultPriors = .pymcMarketing   // independent priors on β and the shape, as computed directly here
        model.adstock = adstock
        model.saturation = saturation
        model.adstockMaxLag = 6
        model.channels["ch1"] = .init(roiPrior: PriorSpec(.logNormal, ["mu": -0.5, "sigma": 0.8]))
        model.channels["ch0"] = .init(liftROIPrior: .init(spend: 500, spendChange: -450, prior: PriorSpec(.gamma, ["alpha": 3, "beta": 20])))
        return model
    }

    /// Gradient with lift tests, an ROI prior and an incremental-ROI prior, every adstock × saturation kind, at random points
    /// (tolerance: see `FiniteDifference`).
    func testGradientMatchesFiniteDifferences() throws {
        let data = MediaMixModelGradientTests.dataset()
        var rng = TestRandom(seed: 11)
        for adstock in Adstock.Kind.allCases {
            for saturation in Saturation.Kind.allCases {
                let structure = try ModelStructure(dataset: data, model: Self.model(adstock, saturation), liftTests: Self.tests)
                XCTAssertEqual(structure.calibration.liftTests.count, 3)
                XCTAssertEqual(structure.calibration.roiPriors.map(\.channel), [1])
                XCTAssertEqual(structure.calibration.liftROIPriors.map(\.channel), [0])
                let density = MediaMixModel(structure: structure)
                for _ in 0..<3 {
                    let u0 = (0..<density.dimension).map { _ in rng.uniform(-1.5, 1.5) }
                    let u = structure.unconstrain(zip(structure.parameters, u0).map { $0.prior.constrain($1).x })
                    let lp = FiniteDifference.checkGradient(of: density, at: u, context: "\(adstock)/\(saturation)")
                    XCTAssertTrue(lp.isFinite)
                }
            }
        }
    }

    /// The calibrated log density minus the plain one equals the terms computed directly:
    /// each test's Normal log density of Δy around f(x + Δx) − f(x) in original units, f(s) =
    /// max y · sat(s / max x) (plus log max y, the Jacobian of measuring Δy in units of max y),
    /// and for the ROI prior log LogNormal(R) + log R − log β − log Gamma(β; 4, 2) (β's default
    /// Michaelis–Menten prior, Gamma(mean 2, sd 1), which the ROI prior replaces) + log(1 − β/B)
    /// (the taper that bounds β, `CalibrationLayout.betaBound`), with R the
    /// channel's contribution (from `ModelEvaluator`) over its spend, and likewise for ch0's
    /// incremental-ROI prior with r the curve's return on the spend change. Agreement to 1e-9
    /// relative: both sides add the same O(10²) terms in different orders.
    func testValueEqualsDirectComputation() throws {
        let data = MediaMixModelGradientTests.dataset()
        let model = Self.model(.geometric, .michaelisMenten)
        let calibrated = try ModelStructure(dataset: data, model: model, liftTests: Self.tests)
        var plainModel = model
        plainModel.channels = [:]
        let plain = try ModelStructure(dataset: data, model: plainModel)
        var rng = TestRandom(seed: 4)
        let x = calibrated.parameters.map { $0.prior.constrain(rng.uniform(-1, 1)).x }
        // Each structure at its own coordinates of the same x (the calibrated one measures the
        // effect over the tested interval, the plain one at mean spend); the Jacobian is the same.
        func lp(_ s: ModelStructure) -> Double { FiniteDifference.value(of: MediaMixModel(structure: s), at: s.unconstrain(x)) }
        let names = calibrated.parameterNames
        func p(_ name: String) -> Double { x[names.firstIndex(of: name)!] }
        let ymax = data.target.max()!
        var expected = 0.0
        for test in Self.tests {
            let c = data.channelNames.firstIndex(of: test.channel)!
            let xmax = data.spend[c].max()!
            func f(_ s: Double) -> Double {
                let a = s / xmax
                return ymax * p("\(test.channel).saturation_beta") * a / (p("\(test.channel).saturation_lambda") + a)
            }
            let z = (test.targetChange - (f(test.spendDuring) - f(test.spend))) / test.standardError
            expected += -0.5 * z * z - log(test.standardError) - 0.5 * log(2 * Double.pi) + log(ymax)
        }
        let contribution = ModelEvaluator(structure: calibrated, dataset: data).decompose(x).channels[1].reduce(0, +)
        let roas = contribution / data.spend[1].reduce(0, +)
        let beta = p("ch1.saturation_beta")
        let lnz = (log(roas) + 0.5) / 0.8
        let logLogNormal = -log(roas) - log(0.8) - 0.5 * log(2 * Double.pi) - 0.5 * lnz * lnz
        let logGamma = 4 * log(2.0) - lgamma(4) + 3 * log(beta) - 2 * beta
        // Both effect priors taper to 0 at β = CalibrationLayout.betaBound: + log(1 − β/B).
        let bound = CalibrationLayout.betaBound
        expected += logLogNormal + log(roas) - log(beta) - logGamma + log1p(-beta / bound)
        // ch0's incremental-ROI prior: log Gamma(r; 3, 20) + log r − log β − log Gamma(β; 4, 2),
        // r = (f(50) − f(500))/(−450) with f the lift tests' curve in original units.
        let xmax0 = data.spend[0].max()!
        func f0(_ s: Double) -> Double {
            ymax * p("ch0.saturation_beta") * (s / xmax0) / (p("ch0.saturation_lambda") + s / xmax0)
        }
        let r = (f0(50) - f0(500)) / -450, beta0 = p("ch0.saturation_beta")
        let logGammaR = 3 * log(20.0) - lgamma(3) + 2 * log(r) - 20 * r
        expected += logGammaR + log(r) - log(beta0) - (4 * log(2.0) - lgamma(4) + 3 * log(beta0) - 2 * beta0) + log1p(-beta0 / bound)
        // The calibrated channels' λ move on the softplus scale (SoftplusScale), the plain ones' on
        // the log scale: the Jacobians differ by log σ(u) − log λ for each.
        for c in 0..<2 {
            let lambda = p("ch\(c).saturation_lambda")
            expected += SoftplusScale.constrain(SoftplusScale.unconstrain(lambda)).logJacobian - log(lambda)
        }
        let difference = lp(calibrated) - lp(plain)
        XCTAssertEqual(difference, expected, accuracy: 1e-9 * max(1, abs(expected)))
    }

    /// A lift test pulls the curve: at the point where the test's predicted change equals Δy the
    /// lift term is at its maximum, so the log density is higher there than with Δy moved by 3σ.
    func testLiftTermPeaksAtAMatchingCurve() throws {
        let data = MediaMixModelGradientTests.dataset()
        var model = MixPlanConfig.ModelSection()
        model.defaultPriors = .pymcMarketing   // independent priors on β and the shape, as computed directly here
        model.saturation = .michaelisMenten
        let plain = try ModelStructure(dataset: data, model: model)
        var rng = TestRandom(seed: 8)
        let x = plain.parameters.map { $0.prior.constrain(rng.uniform(-1, 1)).x }
        let xmax = data.spend[0].max()!, ymax = data.target.max()!
        let beta = x[plain.parameterNames.firstIndex(of: "ch0.saturation_beta")!]
        let lambda = x[plain.parameterNames.firstIndex(of: "ch0.saturation_lambda")!]
        func f(_ s: Double) -> Double { ymax * beta * (s / xmax) / (lambda + s / xmax) }
        let matching = f(100) - f(500)
        func lp(_ dy: Double) throws -> Double {
            let s = try ModelStructure(dataset: data, model: model, liftTests: [
                LiftTest(channel: "ch0", spend: 500, spendChange: -400, targetChange: dy, standardError: 4)])
            return FiniteDifference.value(of: MediaMixModel(structure: s), at: s.unconstrain(x))
        }
        // Normal log density: moving Δy by 3σ costs exactly 4.5.
        XCTAssertEqual(try lp(matching) - lp(matching + 12), 4.5, accuracy: 1e-9)
    }

    func testConfigErrors() throws {
        let data = MediaMixModelGradientTests.dataset()
        var model = MixPlanConfig.ModelSection()
        model.defaultPriors = .pymcMarketing   // independent priors on β and the shape, as computed directly here
        model.channels["ch1"] = .init(priors: ["saturation_beta": PriorSpec(.halfNormal, ["sigma": 1])],
                                      roiPrior: PriorSpec(.logNormal, ["mu": 0, "sigma": 1]))
        XCTAssertThrowsError(try ModelStructure(dataset: data, model: model, configPath: "m.yaml")) { error in
            XCTAssertTrue("\(error)".contains("model.channels.ch1.roi_prior"), "\(error)")
            XCTAssertTrue("\(error)".contains("saturation_beta"), "\(error)")
        }
        // A global saturation_beta override clashes too.
        model.channels["ch1"]?.priors = [:]
        model.priors["saturation_beta"] = PriorSpec(.halfNormal, ["sigma": 1])
        XCTAssertThrowsError(try ModelStructure(dataset: data, model: model))
        model.priors = [:]
        model.channels["ch1"]?.roiPrior = PriorSpec(.normal, ["mu": 1, "sigma": 1])
        XCTAssertThrowsError(try ModelStructure(dataset: data, model: model)) { error in
            XCTAssertTrue("\(error)".contains("(0, ∞)"), "\(error)")
        }
        // An incremental-ROI prior clashes with saturation_beta too, and must live on (0, ∞).
        model.channels = ["ch0": .init(priors: ["saturation_beta": PriorSpec(.halfNormal, ["sigma": 1])],
                                       liftROIPrior: .init(spend: 10, spendChange: 5, prior: PriorSpec(.gamma, ["alpha": 2, "beta": 1])))]
        XCTAssertThrowsError(try ModelStructure(dataset: data, model: model, configPath: "m.yaml")) { error in
            XCTAssertTrue("\(error)".contains("model.channels.ch0.lift_roi_prior"), "\(error)")
            XCTAssertTrue("\(error)".contains("saturation_beta"), "\(error)")
        }
        model.channels["ch0"]?.priors = [:]
        model.channels["ch0"]?.liftROIPrior?.prior = PriorSpec(.normal, ["mu": 1, "sigma": 1])
        XCTAssertThrowsError(try ModelStructure(dataset: data, model: model)) { error in
            XCTAssertTrue("\(error)".contains("(0, ∞)"), "\(error)")
            XCTAssertTrue("\(error)".contains("lift_roi_prior"), "\(error)")
        }
        model.channels = [:]
        XCTAssertThrowsError(try ModelStructure(dataset: data, model: model, liftTests: [
            LiftTest(channel: "radio", spend: 1, spendChange: 1, targetChange: 1, standardError: 1)])) { error in
            XCTAssertTrue("\(error)".contains("radio"), "\(error)")
        }
        XCTAssertThrowsError(try ModelStructure(dataset: data, model: model, liftTests: [
            LiftTest(channel: "ch0", spend: 10, spendChange: 5, targetChange: -1, standardError: 1)])) { error in
            XCTAssertTrue("\(error)".contains("opposite sign"), "\(error)")
        }
    }

    /// `roi_prior` reads from YAML; a saved channel setting without it (older model.json) decodes.
    func testRoiPriorReadsFromConfigAndOldJSONDecodes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let yaml = """
        data:
          file: data.csv
          target: sales
          channels: [tv, search]
        model:
          channels:
            tv:
              roi_prior: LogNormal(0.5, 0.3)

        """
        try yaml.write(to: dir.appendingPathComponent("mixplan.yaml"), atomically: true, encoding: .utf8)
        let config = try ConfigLoader.load(path: dir.appendingPathComponent("mixplan.yaml").path)
        XCTAssertEqual(config.model.channels["tv"]?.roiPrior, PriorSpec(.logNormal, ["mu": 0.5, "sigma": 0.3]))
        let old = #"{"priors": {}, "adstock": "delayed"}"#
        let decoded = try JSONDecoder().decode(MixPlanConfig.ChannelSettings.self, from: Data(old.utf8))
        XCTAssertNil(decoded.roiPrior)
        XCTAssertEqual(decoded.adstock, .delayed)
        let roundTrip = try JSONDecoder().decode(MixPlanConfig.ChannelSettings.self,
                                                 from: JSONEncoder().encode(config.model.channels["tv"]!))
        XCTAssertEqual(roundTrip, config.model.channels["tv"])
    }

    func testSummaryLine() throws {
        let data = MediaMixModelGradientTests.dataset()
        let s = try ModelStructure(dataset: data, model: Self.model(.geometric, .logistic), liftTests: Self.tests)
        XCTAssertEqual(s.calibration.summary(channelNames: data.channelNames),
                       "Calibration: 3 lift tests (ch0 2, ch1 1); ROI prior on ch1: LogNormal(mu=-0.5, sigma=0.8); incremental-ROI prior on ch0: Gamma(alpha=3, beta=20)")
        XCTAssertNil(try ModelStructure(dataset: data, model: MixPlanConfig.ModelSection()).calibration.summary(channelNames: data.channelNames))
    }
}

/// A fitted model keeps its lift tests inline, so the saved folder is enough to report on them.
final class CalibratedFitTests: XCTestCase {
    func testFitResolvesLiftTestFileIntoTheSavedConfig() throws {
        let dir = Fixtures.sample("lift-cut-2ch")
        var config = try ConfigLoader.load(path: dir.appendingPathComponent("mixplan.yaml").path)
        XCTAssertEqual(config.calibration.liftTestsFile, "lift_tests.csv")
        // A tiny run: this checks the plumbing, not the posterior.
        config.sampler.chains = 1
        config.sampler.warmup = 30
        config.sampler.draws = 10
        let data = try DatasetLoader().load(config).dataset
        let model = try ModelFitter.fit(dataset: data, config: config)
        XCTAssertNil(model.config.calibration.liftTestsFile)
        func numbers(_ tests: [LiftTest]) -> [[Double]] { tests.map { [$0.spend, $0.spendChange, $0.targetChange, $0.standardError] } }
        XCTAssertEqual(numbers(model.config.calibration.liftTests),
                       numbers(try LiftTestLoader.load(path: dir.appendingPathComponent("lift_tests.csv").path)))
        XCTAssertEqual(model.structure.calibration.liftTests.count, 1)
        // …and survives a save and load.
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("calfit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        try ModelStore.save(model, to: out)
        let loaded = try ModelStore.load(from: out)
        XCTAssertEqual(loaded.config.calibration.liftTests, model.config.calibration.liftTests)
        XCTAssertEqual(loaded.structure.calibration, model.structure.calibration)
    }
}
