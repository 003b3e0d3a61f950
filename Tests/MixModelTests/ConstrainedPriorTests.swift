import MixTestSupport
import Foundation
import MixData
import MixModel
import XCTest

/// The special functions against SciPy, and the constrained-prior solver against its definition
/// (the achieved central mass) and against an independent SciPy solution.
final class ConstrainedPriorTests: XCTestCase {
    struct Reference: Decodable {
        struct GammaCase: Decodable { var a, x, p, q: Double }
        struct BetaCase: Decodable { var a, b, x, i: Double }
        struct NormalCase: Decodable { var p, z: Double }
        struct PriorCase: Decodable { var family: String; var lower, upper, mass: Double; var parameters: [String: Double] }
        var gamma_p: [GammaCase]
        var beta_i: [BetaCase]
        var normal_quantile: [NormalCase]
        var central_priors: [PriorCase]
    }

    static let reference: Reference = {
        let data = try! Data(contentsOf: Fixtures.url("calibration/special_functions.json"))
        return try! JSONDecoder().decode(Reference.self, from: data)
    }()

    /// SciPy (Cephes) is accurate to a few ulps. Ours loses accuracy only in the prefactor
    /// exp(a·log x − x − lgamma(a)), whose terms reach ~1e6 for a = 1e5: an absolute rounding
    /// error of ~1e6·2e-16 in the exponent is a relative error of ~2e-10 in the result. 1e-9
    /// relative (plus 1e-15 absolute for values near 0) covers that and nothing more.
    func assertClose(_ value: Double, _ expected: Double, _ context: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertLessThanOrEqual(abs(value - expected), 1e-15 + 1e-9 * abs(expected), "\(context): \(value) vs SciPy \(expected)", file: file, line: line)
    }

    func testIncompleteGammaMatchesSciPy() {
        for c in Self.reference.gamma_p {
            assertClose(SpecialFunctions.regularizedGammaP(c.a, c.x), c.p, "P(\(c.a), \(c.x))")
            assertClose(SpecialFunctions.regularizedGammaQ(c.a, c.x), c.q, "Q(\(c.a), \(c.x))")
        }
    }

    func testIncompleteBetaMatchesSciPy() {
        for c in Self.reference.beta_i {
            assertClose(SpecialFunctions.regularizedBeta(c.x, c.a, c.b), c.i, "I_\(c.x)(\(c.a), \(c.b))")
        }
    }

    func testNormalQuantileMatchesSciPy() {
        for c in Self.reference.normal_quantile {
            // Bisection to the last bit of z: agreement to 1e-12 relative.
            XCTAssertEqual(SpecialFunctions.normalQuantile(c.p), c.z, accuracy: 1e-12 * max(1, abs(c.z)), "Φ⁻¹(\(c.p))")
        }
    }

    /// The solved parameters equal SciPy's independent solution. Both solve the same two equations
    /// to ~1e-12; the parameters are well conditioned for these intervals, so 1e-7 relative.
    func testSolverMatchesSciPySolutions() throws {
        for c in Self.reference.central_priors {
            let family = try XCTUnwrap(PriorSpec.Family(rawValue: c.family))
            let fit = try ConstrainedPrior.solve(family, lower: c.lower, upper: c.upper, mass: c.mass)
            for (name, expected) in c.parameters {
                XCTAssertEqual(fit.spec[name], expected, accuracy: 1e-7 * abs(expected), "\(c.family) on [\(c.lower), \(c.upper)] (\(c.mass)): \(name)")
            }
        }
    }

    /// The acceptance criterion: the solved prior's mass on the interval equals the request to
    /// 1e-4, and its tails are equal (the interval is central), for every family over a sweep of
    /// intervals from narrow to wide and masses from 0.5 to 0.99.
    func testSolverHitsRequestedMassForEveryFamily() throws {
        let positive: [(Double, Double)] = [(0.01, 0.02), (0.1, 5), (0.5, 0.6), (1, 1.001), (2, 40), (3e-3, 900), (1e4, 3e4)]
        let unit: [(Double, Double)] = [(0.01, 0.05), (0.1, 0.9), (0.45, 0.55), (0.9, 0.999), (0.2, 0.21), (0.001, 0.999)]
        let real: [(Double, Double)] = [(-3, 2), (10, 10.5), (-1e3, -2)]
        var cases: [(PriorSpec.Family, Double, Double)] = []
        for (l, u) in positive { cases += [(.gamma, l, u), (.logNormal, l, u)] }
        for (l, u) in unit { cases += [(.beta, l, u), (.gamma, l, u), (.logNormal, l, u), (.normal, l, u)] }
        for (l, u) in real { cases.append((.normal, l, u)) }
        for mass in [0.5, 0.8, 0.9, 0.95, 0.99] {
            for (family, lower, upper) in cases {
                let fit = try ConstrainedPrior.solve(family, lower: lower, upper: upper, mass: mass)
                let label = "\(family.rawValue) on [\(lower), \(upper)] with mass \(mass) → \(fit.spec)"
                XCTAssertEqual(fit.achievedMass, mass, accuracy: 1e-4, label)
                // Recomputed from the spec, not taken from the solver's report.
                XCTAssertEqual(fit.spec.mass(lower: lower, upper: upper), mass, accuracy: 1e-4, label)
                XCTAssertEqual(fit.spec.cdf(lower), (1 - mass) / 2, accuracy: 1e-4, "lower tail, " + label)
                XCTAssertEqual(fit.spec.family, family)
            }
        }
    }

    func testImpossibleRequestsAreErrors() {
        func expectError(_ family: PriorSpec.Family, _ lower: Double, _ upper: Double, mass: Double = 0.95, mentioning words: [String]) {
            XCTAssertThrowsError(try ConstrainedPrior.solve(family, lower: lower, upper: upper, mass: mass), "\(family) [\(lower), \(upper)] \(mass)") { error in
                let text = "\(error)"
                for word in words { XCTAssertTrue(text.contains(word), "\(text) should mention \(word)") }
            }
        }
        expectError(.beta, 0.5, 1.2, mentioning: ["Beta lives on (0, 1)"])
        expectError(.beta, -0.1, 0.5, mentioning: ["Beta lives on (0, 1)"])
        expectError(.gamma, -1, 2, mentioning: ["Gamma lives on (0, ∞)"])
        expectError(.gamma, 0, 2, mentioning: ["Gamma lives on (0, ∞)"])
        expectError(.logNormal, -2, -1, mentioning: ["LogNormal lives on (0, ∞)"])
        expectError(.normal, 2, 1, mentioning: ["empty"])
        expectError(.gamma, 1, 1, mentioning: ["empty"])
        expectError(.normal, 0, 1, mass: 1, mentioning: ["strictly between 0 and 1"])
        expectError(.normal, 0, 1, mass: 0, mentioning: ["strictly between 0 and 1"])
        expectError(.normal, 0, .infinity, mentioning: ["finite"])
        expectError(.halfNormal, 0, 1, mentioning: ["no constrained-prior solver for HalfNormal"])
        // Beyond the solver's reach: a Beta or Gamma would need a shape above 1e9.
        expectError(.beta, 0.5, 0.5 + 1e-9, mentioning: ["too narrow"])
        expectError(.gamma, 1, 1 + 1e-9, mentioning: ["close to 1"])
    }

    /// Each prior family's CDF against the numerical integral of its own density (Prior's
    /// normalised log density), by Simpson's rule on a fine grid: agreement to 1e-6.
    func testCDFIsTheIntegralOfTheDensity() throws {
        let specs = [
            PriorSpec(.normal, ["mu": 1, "sigma": 2]), PriorSpec(.halfNormal, ["sigma": 1.5]),
            PriorSpec(.halfCauchy, ["beta": 1]), PriorSpec(.beta, ["alpha": 2.5, "beta": 4]),
            PriorSpec(.gamma, ["alpha": 3, "beta": 1.5]), PriorSpec(.logNormal, ["mu": 0.2, "sigma": 0.7]),
            PriorSpec(.laplace, ["mu": -1, "b": 0.5]), PriorSpec(.uniform, ["lower": -1, "upper": 3]),
            PriorSpec(.truncatedNormal, ["mu": 0.5, "sigma": 1, "lower": 0, "upper": 2]),
            PriorSpec(.exponential, ["lam": 2]), PriorSpec(.inverseGamma, ["alpha": 3, "beta": 2]),
        ]
        for spec in specs {
            let prior = try Prior(spec)
            // Integrate from a point a with known CDF to b.
            let a = 0.25, b = 0.9
            let n = 2000
            let h = (b - a) / Double(n)
            var sum = 0.0
            for i in 0...n {
                let w: Double = (i == 0 || i == n) ? 1 : (i % 2 == 1 ? 4 : 2)
                sum += w * exp(prior.logDensity(a + Double(i) * h).value)
            }
            // Simpson's error is h⁴·max|f⁗|/180 ≈ 1e-13 here; 1e-9 leaves room for rounding.
            XCTAssertEqual(spec.cdf(b) - spec.cdf(a), sum * h / 3, accuracy: 1e-9, "\(spec)")
        }
    }
}
