import Foundation
import MixInference
import XCTest

/// Bijector-style constraints: the transforms against finite differences and their inverses, and
/// sampling through `ConstrainedDensity` against distributions with known moments.
final class ConstraintTests: XCTestCase {
    let all: [Constraint] = [.real, .positive, .lowerBounded(-2), .unitInterval, .bounded(lower: -1, upper: 3)]

    /// Central differences with h = 1e-6 on functions whose third derivative is O(1) here:
    /// truncation ≈ 1e-12, rounding ≈ 2e-16·|f|/1e-6 ≲ 1e-8 for |f| ≤ 40, so 1e-6 relative is safe.
    func testDerivativesAndLogJacobianMatchFiniteDifferences() {
        let h = 1e-6
        for c in all {
            for x in [-30.0, -3, -0.4, 0, 0.7, 4, 30] {
                let e = c.evaluate(x)
                let slope = (c.constrain(x + h) - c.constrain(x - h)) / (2 * h)
                XCTAssertEqual(e.derivative, slope, accuracy: 1e-6 * (1 + abs(slope)), "\(c) dθ/dx at \(x)")
                let jacobianSlope = (c.evaluate(x + h).logJacobian - c.evaluate(x - h).logJacobian) / (2 * h)
                XCTAssertEqual(e.logJacobianDerivative, jacobianSlope, accuracy: 1e-6 * (1 + abs(jacobianSlope)), "\(c) d log J at \(x)")
                if e.derivative > 1e-300 {
                    XCTAssertEqual(e.logJacobian, log(e.derivative), accuracy: 1e-12 * (1 + abs(e.logJacobian)), "\(c) log J at \(x)")
                }
            }
        }
    }

    /// Far in the tails the logistic's log-Jacobian stays finite and exact (≈ −|x|), where the
    /// naive log(s·(1 − s)) would be log 0 = −∞.
    func testLogisticLogJacobianIsFiniteInTheTails() {
        for x in [-800.0, 800] {
            XCTAssertEqual(Constraint.unitInterval.evaluate(x).logJacobian, -800, accuracy: 1e-9)
        }
    }

    /// unconstrain(constrain(x)) = x to within the conditioning of the logistic (|x| ≤ 4 keeps
    /// s away from 0 and 1, so 1e-12 holds); outside the support the inverse is NaN.
    func testInverseRoundTripsAndRejectsPointsOutsideTheSupport() {
        for c in all {
            for x in [-4.0, -1, 0, 0.5, 4] {
                XCTAssertEqual(c.unconstrain(c.constrain(x)), x, accuracy: 1e-12, "\(c) at \(x)")
            }
        }
        XCTAssertTrue(Constraint.positive.unconstrain(-1).isNaN)
        XCTAssertTrue(Constraint.unitInterval.unconstrain(1.5).isNaN)
        XCTAssertTrue(Constraint.bounded(lower: -1, upper: 3).unconstrain(3.5).isNaN)
        XCTAssertNotNil(Constraint.bounded(lower: 2, upper: 1).problem)
        XCTAssertNil(Constraint.bounded(lower: 1, upper: 2).problem)
    }

    /// Gamma(3, rate 2) on σ > 0, Beta(2, 5) on p in (0, 1) and −1 + 4·Beta(3, 3) on w in (−1, 3):
    /// with the Jacobian added, the draws of θ must have the exact means (4 MCSE) and sds. Each sd
    /// has ESS ≳ 1,500 here, so its relative Monte Carlo error is ≲ 1/√(2·1500) ≈ 1.8 %; 8 % is
    /// over 4 of those, while forgetting the Jacobian moves these sds by 20 % or more.
    func testConstrainedSamplingHasTheExactMoments() throws {
        let model = ConstrainedDensity(parameters: [("sigma", .positive), ("p", .unitInterval),
                                                     ("w", .bounded(lower: -1, upper: 3))]) { θ in
            let (sigma, p, u) = (θ[0], θ[1], (θ[2] + 1) / 4)
            let value = 2 * log(sigma) - 2 * sigma + log(p) + 4 * log(1 - p) + 2 * log(u) + 2 * log(1 - u)
            return (value, [2 / sigma - 2, 1 / p - 4 / (1 - p), (2 / u - 2 / (1 - u)) / 4])
        }
        XCTAssertEqual(model.parameterNames, ["sigma_log", "p_logit", "w_logit"])
        XCTAssertTrue(GradientCheck(model, at: [0.3, -0.8, 1.2]).passes())
        let raw = try sample(model, settings: SamplerSettings(chains: 4, warmup: 1000, draws: 1000, seed: 41))
        let result = model.constrained(raw)
        XCTAssertEqual(result.parameterNames, ["sigma", "p", "w"])
        XCTAssertTrue(result.chainsOf(parameter: 1).joined().allSatisfy { $0 > 0 && $0 < 1 })
        let exactMean: [Double] = [1.5, 2.0 / 7, 1]
        let exactSD: [Double] = [sqrt(3.0) / 2, sqrt(10.0 / 392), 4 * sqrt(9.0 / 252)]   // Gamma, Beta(2, 5), 4·Beta(3, 3)
        for (p, row) in result.summary().enumerated() {
            XCTAssertLessThanOrEqual(abs(row.mean - exactMean[p]), 4 * row.mcseMean, "\(row.name) mean \(row.mean)")
            XCTAssertEqual(row.sd / exactSD[p], 1, accuracy: 0.08, "\(row.name) sd \(row.sd)")
        }
        XCTAssertEqual(raw.values.count, result.values.count)
        XCTAssertEqual(result.stats, raw.stats)
    }

    /// An init given on the natural scale reaches the sampler as its unconstrained point.
    func testInitsOnTheNaturalScale() throws {
        let model = ConstrainedDensity(parameters: [("sigma", .positive)]) { θ in (-θ[0], [-1]) }
        var settings = SamplerSettings(chains: 1, warmup: 0, draws: 1, seed: 3)
        settings.inits = [model.unconstrain([2.5])]
        settings.initialStepSize = 1e-9
        let result = model.constrained(try sample(model, settings: settings))
        XCTAssertEqual(result.values[0], 2.5, accuracy: 1e-4)  // ≤ 1023 steps of 1e-9 move x by ≤ 1e-6
    }
}
