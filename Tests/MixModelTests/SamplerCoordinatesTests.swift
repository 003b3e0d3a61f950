import Foundation
import XCTest
import MixModel

/// The sampler's coordinates (β sampled as the log effect at a reference spend level): the map
/// to natural parameters inverts, applies only where β's prior is on (0, ∞), and the log density
/// carries the right Jacobian — checked against a numerically differentiated map.
final class SamplerCoordinatesTests: XCTestCase {
    func testEffectCoordinateIsUsedOnlyForPositiveCeilings() throws {
        let data = MediaMixModelGradientTests.dataset()
        var model = MixPlanConfig.ModelSection()
        model.defaultPriors = .pymcMarketing   // independent priors on β and the shape, as computed directly here
        model.channels["ch1"] = .init(priors: ["saturation_beta": PriorSpec(.normal, ["mu": 0, "sigma": 1])])
        let s = try ModelStructure(dataset: data, model: model)
        XCTAssertNil(s.channels[1].effectReference, "a real-line prior on β keeps β itself as the coordinate")
        for c in [0, 2] {
            let xMax = data.spend[c].max()!
            let mean = data.spend[c].map { $0 / xMax }.reduce(0, +) / Double(data.periodCount)
            XCTAssertEqual(try XCTUnwrap(s.channels[c].effectReference), mean, accuracy: 1e-12)
        }
    }

    func testConstrainAndUnconstrainAreInverse() throws {
        let data = MediaMixModelGradientTests.dataset()
        var rng = TestRandom(seed: 11)
        for saturation in Saturation.Kind.allCases {
            var model = MixPlanConfig.ModelSection()
            model.defaultPriors = .pymcMarketing   // independent priors on β and the shape, as computed directly here
            model.saturation = saturation
            let s = try ModelStructure(dataset: data, model: model)
            for _ in 0..<5 {
                let u = (0..<s.dimension).map { _ in rng.uniform(-2, 2) }
                let back = s.unconstrain(s.constrain(u))
                // Each step is a handful of exp/log, so the round trip holds to a few ulps of u.
                for i in u.indices { XCTAssertEqual(back[i], u[i], accuracy: 1e-12, "\(saturation) \(s.parameterNames[i])") }
                let x = s.constrain(u)
                for ch in s.channels {
                    let b = ch.saturationOffset + ch.saturation.parameterCount - 1
                    let shape = Array(x[ch.saturationOffset..<b])
                    // u_β is the log of β·h(r; θ), the channel's effect at the reference level.
                    let effect = ch.saturation.value(try XCTUnwrap(ch.effectReference), parameters: shape + [x[b]])
                    XCTAssertEqual(u[b], log(effect), accuracy: 1e-12, "\(saturation) \(ch.name)")
                    XCTAssertEqual(ch.referenceEffect(shape: shape) * x[b], effect, accuracy: 1e-12 * effect)
                }
            }
        }
    }

    /// A channel with an experiment measures its effect's mean slope over the tested interval (the
    /// incremental-ROI prior's, else the most precise lift test's): u_β = log(β·(h(r) − h(r₀))/(r − r₀)),
    /// and the map still inverts. Channels without one keep the mean-spend level.
    func testCalibratedChannelsMeasureTheTestedSlope() throws {
        let data = MediaMixModelGradientTests.dataset()
        let tests = [LiftTest(channel: "ch1", spend: 800, spendChange: 400, targetChange: 20, standardError: 8),
                     LiftTest(channel: "ch1", spend: 600, spendChange: -300, targetChange: -30, standardError: 6),
                     LiftTest(channel: "ch0", spend: 500, spendChange: -450, targetChange: -30, standardError: 10)]
        var model = MixPlanConfig.ModelSection()
        model.defaultPriors = .pymcMarketing   // independent priors on β and the shape, as computed directly here
        model.saturation = .michaelisMenten
        model.channels["ch0"] = .init(liftROIPrior: .init(spend: 400, spendChange: 100, prior: PriorSpec(.gamma, ["alpha": 3, "beta": 20])))
        let s = try ModelStructure(dataset: data, model: model, liftTests: tests)
        let xMax = (0..<3).map { data.spend[$0].max()! }
        XCTAssertEqual(try XCTUnwrap(s.channels[0].effectReferenceStart), 400 / xMax[0], accuracy: 1e-15, "the lift_roi_prior's interval wins")
        XCTAssertEqual(try XCTUnwrap(s.channels[0].effectReference), 500 / xMax[0], accuracy: 1e-15)
        // ch1: σ/|Δy| is 0.4 for the first test and 0.2 for the second, the cut from 600 to 300.
        XCTAssertEqual(try XCTUnwrap(s.channels[1].effectReferenceStart), 300 / xMax[1], accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(s.channels[1].effectReference), 600 / xMax[1], accuracy: 1e-15)
        XCTAssertNil(s.channels[2].effectReferenceStart)
        var rng = TestRandom(seed: 5)
        let u = (0..<s.dimension).map { _ in rng.uniform(-2, 2) }
        let x = s.constrain(u)
        for (i, back) in s.unconstrain(x).enumerated() { XCTAssertEqual(back, u[i], accuracy: 1e-12, s.parameterNames[i]) }
        for c in 0..<2 {
            let ch = s.channels[c]
            let lambda = x[ch.saturationOffset], beta = x[ch.saturationOffset + 1]
            let (r0, r) = (ch.effectReferenceStart!, ch.effectReference!)
            let slope = beta * (r / (lambda + r) - r0 / (lambda + r0)) / (r - r0)
            XCTAssertEqual(u[ch.saturationOffset + 1], log(slope), accuracy: 1e-12, ch.name)
        }
    }

    /// The density is log p(x(u)) + log|det ∂x/∂u| with the priors on natural parameters: the
    /// determinant is taken here of a finite-difference Jacobian of `constrain` (relative error
    /// ≈ 1e-9 per entry, so ≈ 1e-8 on the log-determinant).
    func testLogDensityIncludesTheJointJacobian() throws {
        let data = MediaMixModelGradientTests.dataset(periods: 30, channels: 2, controls: 1)
        for saturation in Saturation.Kind.allCases {
            var model = MixPlanConfig.ModelSection()
            model.defaultPriors = .pymcMarketing   // independent priors on β and the shape, as computed directly here
            model.saturation = saturation
            let s = try ModelStructure(dataset: data, model: model)
            var withBeta = model
            withBeta.channels = ["ch0": .init(priors: ["saturation_beta": PriorSpec(.uniform, ["lower": 0, "upper": 1000])]),
                                 "ch1": .init(priors: ["saturation_beta": PriorSpec(.uniform, ["lower": 0, "upper": 1000])])]
            // Same likelihood; β sampled directly (interval support), so only the coordinates differ.
            let direct = try ModelStructure(dataset: data, model: withBeta)
            XCTAssertTrue(direct.channels.allSatisfy { $0.effectReference == nil })
            var rng = TestRandom(seed: 17)
            let u = (0..<s.dimension).map { _ in rng.uniform(-1, 1) }
            let x = s.constrain(u)
            let logDet = FiniteDifference.logAbsJacobianDeterminant(at: u, s.constrain)
            var priors = 0.0
            for (p, v) in zip(s.parameters, x) { priors += p.prior.logDensity(v).value }
            // The likelihood at x, read off the direct model: its density minus its own priors and
            // per-coordinate Jacobians (uniform priors on β add a constant we remove the same way).
            let uDirect = direct.unconstrain(x)
            var likelihood = value(direct, at: uDirect)
            for (p, v) in zip(direct.parameters, uDirect) { likelihood -= p.prior.logDensityUnconstrained(v).value }
            XCTAssertEqual(value(s, at: u), likelihood + priors + logDet, accuracy: 1e-7, "\(saturation)")
        }
    }

    private func value(_ structure: ModelStructure, at u: [Double]) -> Double {
        FiniteDifference.value(of: MediaMixModel(structure: structure), at: u)
    }
}
