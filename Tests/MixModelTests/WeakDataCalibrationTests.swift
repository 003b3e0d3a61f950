import MixTestSupport
import Foundation
import XCTest
import MixModel

/// Issue 26: calibrating a channel the data barely inform — the centred baseline the sampler moves
/// instead of the intercept, the bound on β under an effect prior, the degenerate-corner check,
/// and the simulator's always-on and step-drift cases.
final class WeakDataCalibrationTests: XCTestCase {
    /// A calibrated structure samples b = intercept + Σ_c C̄_c (every channel with a positive β,
    /// C̄ its mean effect over the training periods): u's intercept coordinate minus the natural
    /// intercept equals the channels' contributions from `ModelEvaluator` (target units ÷ max y),
    /// averaged over the periods, and the map still inverts. A β on ℝ keeps its channel out.
    /// Tolerance 1e-12: the two sides sum the same 40 terms in different orders.
    func testInterceptIsSampledCentredOnTheCalibratedChannels() throws {
        let data = MediaMixModelGradientTests.dataset()
        for saturation in Saturation.Kind.allCases {
            var model = CalibrationTermTests.model(.geometric, saturation)
            model.channels["ch2"] = .init(priors: ["saturation_beta": PriorSpec(.normal, ["mu": 0, "sigma": 1])])
            let s = try ModelStructure(dataset: data, model: model, liftTests: CalibrationTermTests.tests)
            XCTAssertTrue(s.centresIntercept)
            XCTAssertEqual(s.centredChannels, [0, 1], "ch2's β is on ℝ, sampled as itself")
            XCTAssertEqual(try ModelStructure(dataset: data, model: CalibrationTermTests.model(.geometric, saturation),
                                              liftTests: CalibrationTermTests.tests).centredChannels, [0, 1, 2])
            var rng = TestRandom(seed: 8)
            let u = (0..<s.dimension).map { _ in rng.uniform(-1.5, 1.5) }
            let x = s.constrain(u)
            let evaluator = ModelEvaluator(structure: s, dataset: data)
            let ymax = data.target.max()!
            let mean = (0..<2).map { evaluator.channelContribution($0, x).reduce(0, +) / ymax / Double(data.periodCount) }.reduce(0, +)
            XCTAssertEqual(u[s.interceptIndex] - x[s.interceptIndex], mean, accuracy: 1e-12 * max(1, abs(mean)), "\(saturation)")
            for (i, back) in s.unconstrain(x).enumerated() { XCTAssertEqual(back, u[i], accuracy: 1e-12, s.parameterNames[i]) }
        }
        var plainSection = MixPlanConfig.ModelSection()
        plainSection.defaultPriors = .pymcMarketing
        let plain = try ModelStructure(dataset: data, model: plainSection)
        XCTAssertFalse(plain.centresIntercept, "nothing calibrated, no ROAS prior: the intercept is its own coordinate")
        XCTAssertTrue(try ModelStructure(dataset: data, model: MixPlanConfig.ModelSection()).centresIntercept,
                      "the default ROAS priors pin each effect's size, so the baseline is centred on them")
        var onPositiveIntercept = CalibrationTermTests.model(.geometric, .logistic)
        onPositiveIntercept.priors["intercept"] = PriorSpec(.halfNormal, ["sigma": 2])
        XCTAssertFalse(try ModelStructure(dataset: data, model: onPositiveIntercept, liftTests: CalibrationTermTests.tests).centresIntercept,
                       "b − ΣC̄ could leave a (0, ∞) support, so such an intercept is not centred")
    }

    /// The centring and β's coordinate together: gradient against central differences at random
    /// points for every saturation, with a time-varying media multiplier too (the shift is taken
    /// off μ before the multiplied media are added). Tolerance: `FiniteDifference`'s.
    func testCentredGradientMatchesFiniteDifferences() throws {
        let data = MediaMixModelGradientTests.dataset()
        var rng = TestRandom(seed: 21)
        for saturation in Saturation.Kind.allCases {
            for timeVarying in [false, true] {
                var model = CalibrationTermTests.model(.geometric, saturation)
                if timeVarying {
                    var tv = MixPlanConfig.TimeVarying()
                    tv.media = true
                    tv.intercept = true
                    tv.basisFunctions = 6
                    model.timeVarying = tv
                }
                let s = try ModelStructure(dataset: data, model: model, liftTests: CalibrationTermTests.tests)
                for _ in 0..<3 {
                    let u = (0..<s.dimension).map { _ in rng.uniform(-1, 1) }
                    let lp = FiniteDifference.checkGradient(of: MediaMixModel(structure: s), at: u, context: "\(saturation) tv \(timeVarying)")
                    XCTAssertTrue(lp.isFinite)
                }
            }
        }
    }

    /// The softplus scale inverts, and its log-Jacobian is the log of a central-difference
    /// derivative of θ(u) (step 1e-5: error ≈ 1e-10 relative), from the log-like end (θ ≈ e^u) to
    /// the linear one (θ ≈ u); calibrated channels' positive shapes use it, others do not.
    func testSoftplusScale() throws {
        for u in [-30.0, -5, -0.3, 0, 0.7, 4, 40] {
            let t = SoftplusScale.constrain(u)
            XCTAssertGreaterThan(t.x, 0)
            XCTAssertEqual(SoftplusScale.unconstrain(t.x), u, accuracy: 1e-9 * max(1, abs(u)))
            let h = 1e-5
            let derivative = (SoftplusScale.constrain(u + h).x - SoftplusScale.constrain(u - h).x) / (2 * h)
            XCTAssertEqual(t.dxdu, derivative, accuracy: 1e-8 * max(derivative, 1e-12) + 1e-18, "u \(u)")
            XCTAssertEqual(t.logJacobian, log(t.dxdu), accuracy: 1e-12)
            let dj = (SoftplusScale.constrain(u + h).logJacobian - SoftplusScale.constrain(u - h).logJacobian) / (2 * h)
            XCTAssertEqual(t.dLogJacobian, dj, accuracy: 1e-8)
        }
        let s = try ModelStructure(dataset: MediaMixModelGradientTests.dataset(), model: CalibrationTermTests.model(.geometric, .hill),
                                   liftTests: CalibrationTermTests.tests)
        let softplus = s.parameterNames.indices.filter(s.onSoftplusScale).map { s.parameterNames[$0] }
        XCTAssertEqual(softplus, ["ch0.saturation_slope", "ch0.saturation_kappa", "ch1.saturation_slope", "ch1.saturation_kappa"])
    }

    /// Under an effect prior the density is 0 from β = `CalibrationLayout.betaBound` on (and
    /// finite just below it), whatever the other coordinates: no draw can pass the bound.
    func testEffectPriorDensityEndsAtTheBetaBound() throws {
        let data = MediaMixModelGradientTests.dataset()
        let s = try ModelStructure(dataset: data, model: CalibrationTermTests.model(.geometric, .logistic), liftTests: CalibrationTermTests.tests)
        var rng = TestRandom(seed: 2)
        let x0 = s.constrain((0..<s.dimension).map { _ in rng.uniform(-0.5, 0.5) })
        let bound = CalibrationLayout.betaBound
        for channel in 0..<2 {   // ch0: lift_roi_prior, ch1: roi_prior
            let b = s.channels[channel].saturationOffset + 1
            for (beta, finite) in [(0.99 * bound, true), (bound, false), (1.5 * bound, false), (1e9, false)] {
                var x = x0
                x[b] = beta
                x[s.channels[channel].saturationOffset] = 1e-3   // λ small: the linear limit, where β runs away
                let lp = FiniteDifference.value(of: MediaMixModel(structure: s), at: s.unconstrain(x))
                XCTAssertEqual(lp.isFinite, finite, "channel \(channel) β = \(beta): log density \(lp)")
            }
        }
    }

    /// The case for the guard, under the default priors: an always-on channel with a
    /// `lift_roi_prior` (r's truth ± 10 %) and the other channel with the `default_priors: roas`
    /// default ROAS prior — both priors replace β's own, so both βs are bounded only by the taper —
    /// each with a λ prior with mass near 0 (HalfNormal(0.5) instead of Gamma(3, 1)), so the linear
    /// limit λ → 0, β → ∞ is a real part of the posterior. No draw of either β reaches the bound
    /// the README states, and the bound is far above the truths (0.3, 0.15), so it does not decide
    /// the fit.
    func testNoPosteriorDrawOfBetaExceedsTheBound() throws {
        let output = Simulator(preset: .alwaysOnLift2ch, seed: 1).run()
        let truth = try JSONDecoder().decode(SimulationTruth.self, from: Data(output.truthJSON.utf8))
        let test = try XCTUnwrap(truth.liftTests?.first)
        var config = MixPlanConfig()
        config.model = output.model
        XCTAssertEqual(config.model.priorDefaults, .roas, "the defaults put a ROAS prior on every channel")
        config.sampler.warmup = 300
        config.sampler.draws = 300
        config.sampler.seed = 3
        let r = test.trueDeltaY / test.deltaX
        let nearZero = PriorSpec(.halfNormal, ["sigma": 0.5])
        config.model.channels["social"] = .init(priors: ["saturation_lambda": nearZero],
                                                liftROIPrior: .init(spend: test.x, spendChange: test.deltaX,
                                                                    prior: PriorSpec(.logNormal, ["mu": log(r), "sigma": 0.1])))
        config.model.channels["search"] = .init(priors: ["saturation_lambda": nearZero])
        let fit = try ModelFitter.fit(dataset: output.dataset, config: config)
        XCTAssertTrue(fit.structure.hasDefaultROASPrior(channel: 1), "search keeps the default ROAS prior")
        XCTAssertEqual(fit.structure.calibration.liftROIPriors.map(\.channel), [0])
        for channel in ["social", "search"] {
            let b = try XCTUnwrap(fit.parameterNames.firstIndex(of: "\(channel).saturation_beta"))
            let betas = (0..<fit.drawCount).map { fit.draw($0)[b] }
            XCTAssertLessThan(betas.max()!, CalibrationLayout.betaBound, channel)
            XCTAssertTrue(betas.allSatisfy { $0 > 0 && $0.isFinite }, channel)
            print("\(channel) β with λ ~ HalfNormal(0.5): max draw \(betas.max()!), bound \(CalibrationLayout.betaBound)")
        }
        print(fit.verdict.summary)
    }

    /// A chain whose λ collapsed (issue 26's λ ≈ 6e-11, β ≈ 4.8e9) is named among the fit's
    /// problems and the fit is not converged; healthy chains are not named.
    func testDegenerateCornerIsNamed() throws {
        let data = MediaMixModelGradientTests.dataset(periods: 20, channels: 2, controls: 0)
        let s = try ModelStructure(dataset: data, model: MixPlanConfig.ModelSection())
        let n = s.dimension, perChain = 10, chains = 3
        var draws = [Double](repeating: 0.5, count: chains * perChain * n)
        let lambda = s.channels[1].saturationOffset
        for d in 0..<perChain {
            draws[(2 * perChain + d) * n + lambda] = 6e-11
            draws[(2 * perChain + d) * n + lambda + 1] = 4.8e9
        }
        let corners = DegenerateCorner.find(structure: s, draws: draws, chains: chains, perChain: perChain)
        XCTAssertEqual(corners, [DegenerateCorner(chain: 3, channel: "ch1", parameter: "ch1.saturation_lambda", median: 6e-11)])
        // A real fit's report, with the corner added.
        var model = try ModelStore.load(from: Fixtures.url("charts/weekly-2ch-model"))
        XCTAssertFalse(model.verdict.reasons.contains { $0.check == .degenerateCorner })
        model.sampler.degenerateCorners = corners
        XCTAssertFalse(model.verdict.passed)
        XCTAssertTrue(model.verdict.reasons.map(\.message).contains("chain 3 is stuck in a degenerate corner of ch1's curve (ch1.saturation_lambda median 6e-11)"),
                      "\(model.verdict.summary)")
        // A runaway β alone is named too.
        draws = [Double](repeating: 0.5, count: chains * perChain * n)
        for d in 0..<perChain { draws[d * n + s.channels[0].saturationOffset + 1] = 2e3 }
        XCTAssertEqual(DegenerateCorner.find(structure: s, draws: draws, chains: chains, perChain: perChain).map(\.parameter), ["ch0.saturation_beta"])
    }

    /// The always-on preset: social's spend varies by about 6 % (coefficient of variation 4–8 %
    /// over seeds), its one test cuts spend by 50 % with σ = 10 % of the true |Δy|, and the
    /// recorded truth recomputes: Δy's truth is the curve's change in target units.
    func testAlwaysOnPresetIsSteadyWithOnePreciseTest() throws {
        for seed in UInt64(1)...3 {
            let out = Simulator(preset: .alwaysOnLift2ch, seed: seed).run()
            let social = out.dataset.spend[0]
            let mean = social.reduce(0, +) / Double(social.count)
            let sd = (social.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(social.count - 1)).squareRoot()
            XCTAssertEqual(sd / mean, 0.06, accuracy: 0.02, "seed \(seed)")
            let truth = try JSONDecoder().decode(SimulationTruth.self, from: Data(out.truthJSON.utf8))
            let test = try XCTUnwrap(truth.liftTests?.first)
            XCTAssertEqual(test.deltaX / test.x, -0.5, accuracy: 0.005, "a 50 % cut (cents rounding)")
            // σ is written with 2 decimals: 0.1·|Δy| to within 0.005.
            XCTAssertEqual(test.sigma, 0.1 * abs(test.trueDeltaY), accuracy: 0.005 + 1e-9 * abs(test.trueDeltaY))
            XCTAssertNotNil(out.liftTestsCSV)
        }
        XCTAssertNotNil(SimulationPreset.named("always-on-lift-2ch"))
    }

    /// The step drift: mean 1 over the span, the late level 1.8× the early one, and the change
    /// done within a few percent of the span around `at`.
    func testStepDriftIsAStep() {
        let T = 179
        let m = MediaDrift.step(ratio: 1.8, at: 0.55, width: 0.005).multiplier(periods: T)
        XCTAssertEqual(m.reduce(0, +) / Double(T), 1, accuracy: 1e-12)
        XCTAssertEqual(m[T - 1] / m[0], 1.8, accuracy: 1e-6)
        let mid = Int(0.55 * Double(T - 1))
        // Ten weeks from the middle of the ramp the logistic is within e^(−11) of its end.
        XCTAssertEqual(m[mid - 10] / m[0], 1, accuracy: 1e-4, "before the step")
        XCTAssertEqual(m[mid + 10] / m[T - 1], 1, accuracy: 1e-4, "after the step")
        XCTAssertNotNil(SimulationPreset.named("weekly-2ch-tvp-step"))
    }
}
