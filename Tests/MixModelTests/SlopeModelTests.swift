import Foundation
import MixData
import MixInference
import MixModel
import XCTest

/// The derivative-space elicitation model: its slope formulas and gradient against finite
/// differences, its posterior against brute-force quadrature, and the elicited priors against a
/// known curve.
final class SlopeModelTests: XCTestCase {
    let kinds: [(Saturation, [Double])] = [
        (Saturation(kind: .logistic), [1.7, 0.6]),
        (Saturation(kind: .michaelisMenten), [2.5, 2.75]),
        (Saturation(kind: .hill), [1.8, 0.4, 0.9]),
    ]

    /// The average slope the model fits is the curve's own chord slope: for every kind, at
    /// random parameters, `averageSlope` equals (h(b) − h(a))/(b − a) computed from the curve,
    /// and tends to the derivative (central differences) as the interval shrinks.
    func testAverageSlopeIsTheChordSlope() throws {
        for (saturation, p) in kinds {
            let priors = try saturation.defaultPriors.map { try Prior($0) }
            for (x, dx) in [(1_000.0, 500.0), (3_000, -2_700), (4_000, 1e-3)] {
                let lift = LiftTest(channel: "tv", spend: x, spendChange: dx, targetChange: dx, standardError: 1)
                let model = SlopeModel(saturation: saturation, priors: priors, tests: [lift], spendScale: 5_000, targetScale: 80_000)
                let (a, b) = (x / 5_000, (x + dx) / 5_000)
                let chord = (saturation.value(b, parameters: p) - saturation.value(a, parameters: p)) / (b - a)
                XCTAssertEqual(model.averageSlope(0, parameters: p), chord, accuracy: 1e-12 * max(1, abs(chord)), "\(saturation.kind)")
                if abs(dx) < 1 {
                    // A 2e-7-wide scaled interval: chord = h′(a) up to h″·width/2 ≈ 1e-7 and rounding ε/width ≈ 1e-9.
                    let derivative = FiniteDifference.derivative(at: a) { saturation.value($0, parameters: p) }
                    XCTAssertEqual(chord, derivative, accuracy: 1e-6 * max(1, abs(derivative)), "\(saturation.kind)")
                }
            }
        }
    }

    func tests(for saturation: Saturation, truth: [Double], spendScale: Double, targetScale: Double,
               levels: [(Double, Double)], relativeError: Double) -> [LiftTest] {
        levels.enumerated().map { i, level in
            let (x, dx) = level
            let f = { (s: Double) in targetScale * saturation.value(s / spendScale, parameters: truth) }
            let dy = f(x + dx) - f(x)
            return LiftTest(channel: "tv", spend: x, spendChange: dx, targetChange: dy,
                            standardError: abs(dy) * relativeError, source: "test \(i + 1)")
        }
    }

    /// log density gradient against central differences at random unconstrained points.
    func testLogDensityGradientMatchesFiniteDifferences() throws {
        var random = TestRandom(seed: 11)
        for (saturation, truth) in kinds {
            let priors = try saturation.defaultPriors.map { try Prior($0) }
            let lift = tests(for: saturation, truth: truth, spendScale: 5_000, targetScale: 80_000,
                             levels: [(1_000, 500), (3_000, -2_700), (4_000, 800)], relativeError: 0.2)
            let model = SlopeModel(saturation: saturation, priors: priors, tests: lift, spendScale: 5_000, targetScale: 80_000)
            for _ in 0..<5 {
                let u = (0..<model.dimension).map { _ in random.uniform(-1.5, 1.5) }
                let value = FiniteDifference.checkGradient(of: model, at: u, context: "\(saturation.kind) at \(u)")
                XCTAssertTrue(value.isFinite)
            }
        }
    }

    /// NUTS on the slope model against the same posterior integrated on a grid in the *natural*
    /// parameters (prior densities × likelihood, no transforms), for one logistic lift test:
    /// posterior means agree within 5 Monte Carlo standard errors (plus the grid's 1e-3 relative
    /// discretisation error).
    func testPosteriorMatchesQuadrature() throws {
        let saturation = Saturation(kind: .logistic)
        let priors = try saturation.defaultPriors.map { try Prior($0) }
        let lift = tests(for: saturation, truth: [2.0, 0.5], spendScale: 1, targetScale: 1,
                         levels: [(0.4, 0.2)], relativeError: 0.15)
        let model = SlopeModel(saturation: saturation, priors: priors, tests: lift, spendScale: 1, targetScale: 1)
        var settings = SamplerSettings(chains: 4, warmup: 500, draws: 1500, targetAcceptance: 0.9, seed: 3)
        settings.maxThreads = 2
        let result = try sample(model, settings: settings)
        // Grid: λ ∈ (0, 15], β ∈ (0, 10] (the priors' mass beyond is < 1e-4), 600 × 600 midpoints.
        let n = 600, lambdaMax = 15.0, betaMax = 10.0
        var z = 0.0, meanLambda = 0.0, meanBeta = 0.0
        for i in 0..<n {
            let lambda = (Double(i) + 0.5) * lambdaMax / Double(n)
            for j in 0..<n {
                let beta = (Double(j) + 0.5) * betaMax / Double(n)
                // The test's average slope over spend 0.4 → 0.6 (scales 1), from the curve itself.
                let s = (saturation.value(0.6, parameters: [lambda, beta]) - saturation.value(0.4, parameters: [lambda, beta])) / 0.2
                let r = (model.slopes[0] - s) / model.standardErrors[0]
                let w = exp(priors[0].logDensity(lambda).value + priors[1].logDensity(beta).value - 0.5 * r * r)
                z += w; meanLambda += w * lambda; meanBeta += w * beta
            }
        }
        meanLambda /= z; meanBeta /= z
        for (k, expected) in [meanLambda, meanBeta].enumerated() {
            let chains = result.derived { model.constrain($0)[k] }
            let summary = QuantitySummary(name: saturation.parameterNames[k], chains: chains)
            XCTAssertEqual(summary.mean, expected, accuracy: 5 * summary.mcseMean + 1e-3 * abs(expected),
                           "\(summary.name): NUTS \(summary.mean) ± \(summary.mcseMean) vs quadrature \(expected)")
        }
    }

    /// Three precise tests along a Michaelis–Menten curve: the elicited intervals of λ and r cover
    /// the truth and the fitted priors put the requested mass on them; the first test alone
    /// writes no prior on λ.
    func testElicitationRecoversAKnownCurve() throws {
        let saturation = Saturation(kind: .michaelisMenten)
        let truth = [2.5, 2.75]
        let S = 10_000.0, T = 120_000.0
        let lift = tests(for: saturation, truth: truth, spendScale: S, targetScale: T,
                         levels: [(6_000, -5_400), (2_000, 3_000), (9_000, 4_000)], relativeError: 0.05)
        let priors = try saturation.defaultPriors.map { try Prior($0) }
        var settings = PriorElicitation.Settings(seed: 5)
        settings.sampler.maxThreads = 2
        let all = try PriorElicitation.elicit(model: SlopeModel(saturation: saturation, priors: priors, tests: lift, spendScale: S, targetScale: T),
                                              channel: "tv", tests: lift, settings: settings)
        let one = try PriorElicitation.elicit(model: SlopeModel(saturation: saturation, priors: priors, tests: [lift[0]], spendScale: S, targetScale: T),
                                              channel: "tv", tests: [lift[0]], settings: settings)
        XCTAssertTrue(all.converged, "R̂/ESS/divergences: \(all.parameters.map { ($0.rhat, $0.essBulk) }) \(all.divergences)")
        XCTAssertEqual(all.parameters.map(\.key), ["saturation_lambda"], "β's marginal is replaced by the prior on r")
        // One test pins a ridge, not λ: no shape prior is written from it.
        XCTAssertFalse(one.shapeIdentified)
        XCTAssertEqual(one.parameters, [])
        for (k, p) in all.parameters.enumerated() {
            XCTAssertEqual(p.key, "saturation_" + saturation.parameterNames[k])
            XCTAssertLessThan(p.lower, truth[k], p.key)
            XCTAssertGreaterThan(p.upper, truth[k], p.key)
            XCTAssertEqual(p.fit.spec.family, .gamma)
            XCTAssertEqual(p.fit.spec.mass(lower: p.lower, upper: p.upper), 0.95, accuracy: 1e-4, "\(p.fit.spec)")
        }
        // r = (f(x + Δx) − f(x))/Δx: the elicited interval covers the true curve's r at the chosen
        // test and the prior puts 95 % on it.
        let r = all.incrementalReturn
        let f = { (x: Double) in T * saturation.value(x / S, parameters: truth) }
        let trueR = (f(r.test.spendDuring) - f(r.test.spend)) / r.test.spendChange
        XCTAssertTrue(r.lower < trueR && trueR < r.upper, "true r \(trueR) outside [\(r.lower), \(r.upper)]")
        XCTAssertEqual(r.fit.spec.mass(lower: r.lower, upper: r.upper), 0.95, accuracy: 1e-4, "\(r.fit.spec)")
        XCTAssertEqual(r.setting.spend, r.test.spend)
        XCTAssertEqual(r.setting.spendChange, r.test.spendChange)
        XCTAssertEqual(one.incrementalReturn.test, lift[0])
    }

    /// Two or more different spend intervals pin the shape; the same interval twice (either way
    /// round: a cut from 1000 to 100 and a rise from 100 to 1000) does not.
    func testShapeIsIdentifiedByTwoSpendIntervals() {
        func test(_ x: Double, _ dx: Double) -> LiftTest {
            LiftTest(channel: "tv", spend: x, spendChange: dx, targetChange: dx, standardError: 1)
        }
        XCTAssertFalse(PriorElicitation.identifiesShape([test(1000, -900)]))
        XCTAssertFalse(PriorElicitation.identifiesShape([test(1000, -900), test(100, 900), test(1000, -900)]))
        XCTAssertTrue(PriorElicitation.identifiesShape([test(1000, -900), test(1000, 500)]))
    }
}
